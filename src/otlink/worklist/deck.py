"""The deck a worklist runs on: pipettes by mount, labware by slot, liquid classes.

A small TOML file (see the README's "Worklists" section for a complete example)::

    [pipettes]
    left = "p300_single_gen2"
    right = { name = "p20_single_gen2", tip_racks = ["4"] }

    [labware]
    1 = "opentrons_96_tiprack_300ul"
    4 = "opentrons_96_tiprack_20ul"
    2 = { load_name = "nest_12_reservoir_15ml", name = "Reagents", volume = 10000 }
    3 = { definition = "labware/my_plate.json", name = "Assay" }
    7 = { load_name = "nest_96_wellplate_100ul_pcr_full_skirt", module = "thermocycler module" }

A labware on a module names the module as the Protocol API's ``load_module`` does
(``temperature module gen2``, ``magnetic module gen2``, ``thermocycler module``,
``heaterShakerModuleV1``); the module sits in the labware's slot (a thermocycler in 7, over
8, 10 and 11 too). Geometry and capacities come from opentrons-shared-data (or the custom
definition), never from this file; the file only says what is where.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import labware_data
from .rows import Problem, WorklistInvalid

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_API_LEVEL = "2.20"
SLOTS = tuple(str(slot) for slot in range(1, 12))
_LIQUID_CLASS_KEYS = {
    "aspirate_flow_rate",
    "dispense_flow_rate",
    "aspirate_height",
    "dispense_height",
    "air_gap",
    "touch_tip",
    "blow_out",
    "mix_before",
    "mix_after",
}


@dataclass(frozen=True)
class DeckLabware:
    """A labware in a slot, with its definition (shared-data's or the user's)."""

    slot: str
    load_name: str
    definition: dict[str, Any] = field(repr=False, compare=False)
    name: str | None = None  # what worklist rows call it, besides the slot
    custom: bool = False
    volumes: dict[str, float] = field(default_factory=dict, repr=False)  # starting µL per well
    all_wells_volume: float | None = None
    module: str | None = None  # the module it sits on, as load_module names it
    module_model: str | None = None  # ... and as the robot does ("temperatureModuleV2")

    @property
    def is_tip_rack(self) -> bool:
        return bool(self.definition["parameters"].get("isTiprack"))

    @property
    def label(self) -> str:
        return f"{self.name} (slot {self.slot})" if self.name else f"slot {self.slot}"

    def starting_volume(self, well: str) -> float | None:
        return self.volumes.get(well, self.all_wells_volume)


@dataclass(frozen=True)
class DeckPipette:
    """A pipette on a mount, with what shared-data says about it and the racks it takes tips
    from (in order)."""

    mount: str
    name: str
    channels: int
    min_volume: float
    max_volume: float
    tip_racks: tuple[str, ...]
    aspirate_flow_rate: float
    dispense_flow_rate: float
    tip_volume: float

    @property
    def capacity(self) -> float:
        """The most one aspirate holds: the pipette's maximum or its tips', the smaller."""
        return min(self.max_volume, self.tip_volume)


@dataclass
class Deck:
    """What is where. Build it with :meth:`from_toml`, :meth:`read` or
    :func:`otlink.worklist.deck_from_protocol`.

    >>> deck = Deck.from_toml('''
    ... [pipettes]
    ... left = "p300_single_gen2"
    ... [labware]
    ... 1 = "opentrons_96_tiprack_300ul"
    ... 2 = { load_name = "corning_96_wellplate_360ul_flat", name = "Plate" }
    ... ''')
    >>> deck.find("plate").slot, deck.pipettes["left"].capacity
    ('2', 300.0)
    """

    pipettes: dict[str, DeckPipette]
    labware: dict[str, DeckLabware]
    liquid_classes: dict[str, dict[str, Any]] = field(default_factory=dict)
    api_level: str = DEFAULT_API_LEVEL

    @classmethod
    def read(cls, path: Path) -> Deck:
        """Read a deck file; custom definitions are found relative to it."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise WorklistInvalid([Problem(None, f"cannot read the deck file: {error}")]) from None
        return cls.from_toml(text, base=path.parent, source=path.name)

    @classmethod
    def from_toml(cls, text: str, *, base: Path = Path(), source: str = "deck") -> Deck:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise WorklistInvalid([Problem(None, f"{source} is not TOML: {error}")]) from None
        return cls.from_dict(data, base=base, source=source)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, base: Path = Path(), source: str = "deck"
    ) -> Deck:
        problems: list[Problem] = []

        def fail(message: str) -> None:
            problems.append(Problem(None, f"{source}: {message}"))

        unknown = set(data) - {"pipettes", "labware", "liquid_classes", "api_level"}
        if unknown:
            fail(
                f"unknown section {', '.join(sorted(unknown))} (pipettes, labware, liquid_classes)"
            )
        api_level = str(data.get("api_level", DEFAULT_API_LEVEL))
        labware: dict[str, DeckLabware] = {}
        for slot, entry in dict(data.get("labware", {})).items():
            try:
                labware[str(slot)] = _labware(str(slot), entry, base, api_level)
            except ValueError as error:
                fail(f"labware in slot {slot}: {error}")
        pipettes: dict[str, DeckPipette] = {}
        for mount, entry in dict(data.get("pipettes", {})).items():
            try:
                pipettes[mount] = _pipette(mount, entry, labware)
            except ValueError as error:
                fail(f"pipette {mount}: {error}")
        if not pipettes and not problems:
            fail('no pipettes ([pipettes] left = "p300_single_gen2")')
        classes = {str(k): dict(v) for k, v in dict(data.get("liquid_classes", {})).items()}
        for name, settings in classes.items():
            bad = set(settings) - _LIQUID_CLASS_KEYS
            if bad:
                fail(f"liquid class {name}: unknown {', '.join(sorted(bad))}")
        for slot, item in labware.items():
            if item.module_model and item.module_model.startswith("thermocycler"):
                covered = sorted(set(labware) & set(labware_data.THERMOCYCLER_COVERS))
                if covered:
                    fail(f"slot {', '.join(covered)}: under the thermocycler in slot {slot}")
        if problems:
            raise WorklistInvalid(problems)
        return cls(pipettes, labware, classes, api_level)

    def find(self, reference: str) -> DeckLabware | None:
        """The labware a row names: a slot, a display name or a load name (any case)."""
        reference = reference.strip()
        if reference in self.labware:
            return self.labware[reference]
        wanted = reference.casefold()
        for item in self.labware.values():
            if item.name and item.name.casefold() == wanted:
                return item
        matches = [item for item in self.labware.values() if item.load_name.casefold() == wanted]
        return matches[0] if len(matches) == 1 else None

    def names(self) -> list[str]:
        """How rows may name the labware, for messages."""
        return [item.name or item.slot for item in self.labware.values() if not item.is_tip_rack]

    def custom_definitions(self) -> list[dict[str, Any]]:
        return [item.definition for item in self.labware.values() if item.custom]

    def to_json(self) -> dict[str, Any]:
        """The deck as plain data (what the plan is made for)."""
        return {
            "api_level": self.api_level,
            "pipettes": {
                m: {"name": p.name, "tip_racks": list(p.tip_racks)}
                for m, p in self.pipettes.items()
            },
            "labware": {
                slot: {
                    "load_name": item.load_name,
                    "name": item.name,
                    "custom": item.custom,
                    **({"module": item.module} if item.module else {}),
                }
                for slot, item in self.labware.items()
            },
        }


def _labware(slot: str, entry: Any, base: Path, api_level: str) -> DeckLabware:
    if slot not in SLOTS:
        raise ValueError(f"no slot {slot} on an OT-2 (1 to 11)")
    if isinstance(entry, str):
        entry = {"load_name": entry}
    if not isinstance(entry, Mapping):
        raise ValueError("give a load name or a table (load_name or definition, name, volume)")
    known = {"load_name", "definition", "name", "version", "volume", "volumes", "module"}
    unknown = set(entry) - known
    if unknown:
        raise ValueError(f"unknown key {', '.join(sorted(unknown))}")
    if isinstance(entry.get("definition"), Mapping):  # already read (a protocol's deck)
        definition, custom = dict(entry["definition"]), True
    elif "definition" in entry:
        path = base / str(entry["definition"])
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"cannot read the definition {path}: {error}") from None
        custom = True
    elif "load_name" in entry:
        definition = labware_data.standard_definition(
            str(entry["load_name"]), entry.get("version"), api_level
        )
        custom = False
    else:
        raise ValueError("give load_name or definition")
    volumes = {str(well): float(v) for well, v in dict(entry.get("volumes", {})).items()}
    unknown_wells = sorted(set(volumes) - set(definition["wells"]))
    if unknown_wells:
        raise ValueError(f"volumes for wells it does not have: {', '.join(unknown_wells)}")
    volume = entry.get("volume")
    module = str(entry["module"]) if entry.get("module") else None
    model = labware_data.module_model(module, slot) if module else None
    return DeckLabware(
        slot,
        definition["parameters"]["loadName"],
        definition,
        name=str(entry["name"]) if entry.get("name") else None,
        custom=custom,
        volumes=volumes,
        all_wells_volume=float(volume) if volume is not None else None,
        module=module,
        module_model=model,
    )


def _pipette(mount: str, entry: Any, labware: Mapping[str, DeckLabware]) -> DeckPipette:
    if mount not in ("left", "right"):
        raise ValueError("the mounts are left and right")
    if isinstance(entry, str):
        entry = {"name": entry}
    name = str(entry.get("name", ""))
    spec = labware_data.pipette_spec(name)
    racks = entry.get("tip_racks")
    if racks is None:
        slots = [
            slot
            for slot, item in labware.items()
            if item.is_tip_rack and labware_data.tip_volume(item.definition) in spec.tip_volumes
        ]
    else:
        slots = [str(slot) for slot in racks]
        for slot in slots:
            if slot not in labware or not labware[slot].is_tip_rack:
                raise ValueError(f"tip_racks: slot {slot} holds no tip rack")
    if not slots:
        raise ValueError(f'no tip rack for {name} on the deck (tip_racks = ["SLOT"])')
    tip_volume = min(labware_data.tip_volume(labware[slot].definition) for slot in slots)
    return DeckPipette(
        mount,
        name,
        spec.channels,
        spec.min_volume,
        spec.max_volume,
        tuple(slots),
        spec.aspirate_flow_rate,
        spec.dispense_flow_rate,
        tip_volume,
    )
