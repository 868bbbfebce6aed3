"""What is on the deck, built from a protocol's commands: labware, modules, tips, liquids.

The commands come from anywhere that has them: a robot run's command list, an analysis
document, a local simulation, or a live run as it goes. Each is applied in order
(:meth:`DeckState.apply`), so the state can also follow a run command by command.

Example::

    deck = DeckState()
    deck.apply("loadLabware", {"loadName": "opentrons_96_tiprack_300ul", "location":
               {"slotName": "1"}}, {"labwareId": "tips"})
    deck.apply("pickUpTip", {"pipetteId": "p", "labwareId": "tips", "wellName": "A1"})
    deck.labware["tips"].used_tips  # {"A1"}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .definitions import find_labware, labware_uri, nozzle_offsets

EMPTY_LIQUID = "EMPTY"


@dataclass
class Liquid:
    id: str
    name: str
    color: str = "#7a9cc6"
    description: str = ""


@dataclass
class Module:
    id: str
    model: str
    slot: str


@dataclass
class Pipette:
    id: str
    name: str
    mount: str = ""
    nozzles: tuple[tuple[float, float], ...] = ((0.0, 0.0),)
    content: dict[str, float] = field(default_factory=dict)  # liquid id -> µL in its tips


@dataclass
class Labware:
    """One loaded labware: where it was loaded and is now, and what its wells hold."""

    id: str
    definition: Mapping[str, Any]
    start_location: Mapping[str, Any]
    location: Mapping[str, Any]
    display_name: str | None = None
    #: well -> liquid -> µL loaded at set-up (loadLiquid)
    loaded: dict[str, dict[str, float]] = field(default_factory=dict)
    #: well -> liquid -> µL now
    content: dict[str, dict[str, float]] = field(default_factory=dict)
    used_tips: set[str] = field(default_factory=set)

    @property
    def load_name(self) -> str:
        return str(self.definition["parameters"]["loadName"])

    @property
    def title(self) -> str:
        """Its display name as the definition gives it (e.g. "NEST 12 Well Reservoir 15 mL")."""
        return str(self.definition.get("metadata", {}).get("displayName", self.load_name))

    @property
    def is_tip_rack(self) -> bool:
        return bool(self.definition["parameters"].get("isTiprack"))

    @property
    def is_trash(self) -> bool:
        return "trash" in self.definition.get("allowedRoles", []) or self.load_name.endswith(
            "_trash_1100ml_fixed"
        )


@dataclass
class DeckState:
    """The deck at one moment, and what was set up on it at the start."""

    custom_definitions: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    labware: dict[str, Labware] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    pipettes: dict[str, Pipette] = field(default_factory=dict)
    liquids: dict[str, Liquid] = field(default_factory=dict)
    #: the labware and wells the last liquid-handling command went to
    current: tuple[str, tuple[str, ...]] | None = None
    commands: int = 0

    @classmethod
    def from_commands(
        cls,
        commands: Iterable[Mapping[str, Any]],
        *,
        liquids: Iterable[Mapping[str, Any]] = (),
        definitions: Iterable[Mapping[str, Any]] = (),
    ) -> DeckState:
        """The deck after ``commands`` (dicts with commandType, params and, where known,
        result, as robots and analyses give them); failed commands are skipped."""
        deck = cls(custom_definitions={labware_uri(d): d for d in definitions})
        for liquid in liquids:
            deck.add_liquid(liquid)
        deck.follow(commands)
        return deck

    def follow(self, commands: Iterable[Mapping[str, Any]]) -> None:
        """Apply more commands (dicts, as :meth:`from_commands` takes); failed ones are skipped."""
        for command in commands:
            if command.get("status", "succeeded") in ("failed", "queued"):
                continue
            self.apply(command["commandType"], command.get("params") or {}, command.get("result"))

    def add_liquid(self, liquid: Mapping[str, Any]) -> None:
        """A liquid the protocol defines (``{"id", "displayName", "displayColor"}``)."""
        self.liquids[liquid["id"]] = Liquid(
            liquid["id"],
            liquid.get("displayName") or liquid["id"],
            liquid.get("displayColor") or "#7a9cc6",
            liquid.get("description") or "",
        )

    def apply(
        self,
        command_type: str,
        params: Mapping[str, Any],
        result: Mapping[str, Any] | None = None,
    ) -> None:
        """Follow one command that ran; commands that change nothing drawn are ignored."""
        self.commands += 1
        handler = _HANDLERS.get(command_type)
        if handler is not None:
            handler(self, params, result or {})

    # --- loads -------------------------------------------------------------------------------

    def _load_labware(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        labware_id = result.get("labwareId") or params.get("labwareId")
        definition = result.get("definition") or find_labware(
            params["loadName"],
            params.get("namespace"),
            params.get("version"),
            self.custom_definitions,
        )
        if labware_id is None or definition is None:
            return
        location = params.get("location") or {}
        self.labware[labware_id] = Labware(
            labware_id, definition, location, location, params.get("displayName")
        )

    def _load_module(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        module_id = result.get("moduleId") or params.get("moduleId")
        if module_id is None:
            return
        model = result.get("model") or params["model"]
        slot = str((params.get("location") or {}).get("slotName", ""))
        self.modules[module_id] = Module(module_id, model, slot)

    def _load_pipette(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        pipette_id = result.get("pipetteId") or params.get("pipetteId")
        if pipette_id is None:
            return
        name = params["pipetteName"]
        try:
            nozzles = nozzle_offsets(name)
        except (ValueError, KeyError, OSError):
            nozzles = ((0.0, 0.0),)
        self.pipettes[pipette_id] = Pipette(pipette_id, name, params.get("mount", ""), nozzles)

    def _load_liquid(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        labware = self.labware.get(params.get("labwareId", ""))
        if labware is None:
            return
        liquid = params.get("liquidId", "")
        for well, volume in (params.get("volumeByWell") or {}).items():
            if liquid == EMPTY_LIQUID:
                labware.content[well] = {}
                continue
            labware.loaded.setdefault(well, {})[liquid] = float(volume)
            labware.content[well] = {liquid: float(volume)}

    def _move_labware(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        labware = self.labware.get(params.get("labwareId", ""))
        if labware is not None and params.get("newLocation"):
            labware.location = params["newLocation"]

    # --- liquid handling ---------------------------------------------------------------------

    def wells_reached(self, pipette_id: str, labware_id: str, well: str) -> tuple[str, ...]:
        """The wells that the pipette's nozzles are in, its primary nozzle in ``well``."""
        labware = self.labware.get(labware_id)
        pipette = self.pipettes.get(pipette_id)
        if labware is None:
            return ()
        if pipette is None or len(pipette.nozzles) == 1:
            return (well,)
        wells = labware.definition["wells"]
        if well not in wells:
            return ()
        x0, y0 = wells[well]["x"], wells[well]["y"]
        reached = _wells_under(wells, x0, y0, pipette.nozzles)
        if len(reached) < len(pipette.nozzles):
            # A well that all nozzles fit in (a reservoir): the engine centres the nozzles on it.
            middle_x = sum(dx for dx, _ in pipette.nozzles) / len(pipette.nozzles)
            middle_y = sum(dy for _, dy in pipette.nozzles) / len(pipette.nozzles)
            centred = _wells_under(wells, x0 - middle_x, y0 - middle_y, pipette.nozzles)
            if len(centred) > len(reached):
                reached = centred
        return tuple(reached)

    def _touch(self, params: Mapping[str, Any]) -> tuple[Labware, tuple[str, ...]] | None:
        labware_id = params.get("labwareId")
        if labware_id not in self.labware:
            return None
        wells = self.wells_reached(params.get("pipetteId", ""), labware_id, params["wellName"])
        self.current = (labware_id, wells)
        return self.labware[labware_id], wells

    def _pick_up_tip(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        touched = self._touch(params)
        if touched is not None:
            touched[0].used_tips.update(touched[1])

    def _aspirate(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        touched = self._touch(params)
        pipette = self.pipettes.get(params.get("pipetteId", ""))
        if touched is None or pipette is None:
            return
        labware, wells = touched
        each = float(params.get("volume", 0))
        for well in wells:
            taken = _take(labware.content.setdefault(well, {}), each)
            for liquid, volume in taken.items():
                pipette.content[liquid] = pipette.content.get(liquid, 0.0) + volume

    def _dispense(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        touched = self._touch(params)
        pipette = self.pipettes.get(params.get("pipetteId", ""))
        if touched is None or pipette is None or not touched[1]:
            return
        labware, wells = touched
        total = float(params.get("volume", 0)) * len(wells)
        given = _take(pipette.content, total)
        given = given or {"": total}  # liquid of unknown origin still fills the well
        for well in wells:
            content = labware.content.setdefault(well, {})
            for liquid, volume in given.items():
                content[liquid] = content.get(liquid, 0.0) + volume / len(wells)

    def _tips_gone(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        pipette = self.pipettes.get(params.get("pipetteId", ""))
        if pipette is not None:
            pipette.content.clear()

    def _drop_tip(self, params: Mapping[str, Any], result: Mapping[str, Any]) -> None:
        self._tips_gone(params, result)
        if params.get("labwareId") in self.labware:
            self._touch(params)


def _wells_under(
    wells: Mapping[str, Mapping[str, Any]],
    x0: float,
    y0: float,
    nozzles: tuple[tuple[float, float], ...],
) -> list[str]:
    found = (_well_at(wells, x0 + dx, y0 + dy) for dx, dy in nozzles)
    return [name for name in found if name is not None]


def _well_at(wells: Mapping[str, Mapping[str, Any]], x: float, y: float) -> str | None:
    for name, well in wells.items():
        if well["shape"] == "circular":
            radius = well["diameter"] / 2
            if (x - well["x"]) ** 2 + (y - well["y"]) ** 2 <= radius**2:
                return name
        elif (
            abs(x - well["x"]) <= well["xDimension"] / 2
            and abs(y - well["y"]) <= well["yDimension"] / 2
        ):
            return name
    return None


def _take(content: dict[str, float], volume: float) -> dict[str, float]:
    """Take ``volume`` out of a mixture, in proportion; what is there, if less."""
    there = sum(content.values())
    if there <= 0 or volume <= 0:
        return {}
    share = min(1.0, volume / there)
    taken = {liquid: amount * share for liquid, amount in content.items()}
    for liquid, amount in taken.items():
        content[liquid] -= amount
        if content[liquid] <= 1e-9:
            del content[liquid]
    return taken


_HANDLERS = {
    "loadLabware": DeckState._load_labware,
    "loadModule": DeckState._load_module,
    "loadPipette": DeckState._load_pipette,
    "loadLiquid": DeckState._load_liquid,
    "moveLabware": DeckState._move_labware,
    "pickUpTip": DeckState._pick_up_tip,
    "aspirate": DeckState._aspirate,
    "dispense": DeckState._dispense,
    "dropTip": DeckState._drop_tip,
    "dropTipInPlace": DeckState._tips_gone,
}
