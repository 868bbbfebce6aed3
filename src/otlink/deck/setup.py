"""The set-up a protocol needs, in words: what goes in which slot, which wells to fill.

Example::

    for line in setup_lines(deck):
        print(line)  # slot 2: NEST 12 Well Reservoir 15 mL — fill A1 with 10 mL Buffer
"""

from __future__ import annotations

from dataclasses import dataclass

from .definitions import module_definition, pipette_display_name
from .placement import labware_slot
from .state import DeckState, Labware


@dataclass(frozen=True)
class SetupLine:
    """One labware (or module) to put on the deck, and what to fill it with."""

    slot: str
    what: str
    fill: list[str]

    def __str__(self) -> str:
        text = f"slot {self.slot}: {self.what}"
        return text + (" — fill " + "; ".join(self.fill) if self.fill else "")


def setup_lines(deck: DeckState) -> list[SetupLine]:
    """The set-up as the App's set-up step gives it, slot by slot; the trash is left out."""
    lines: list[SetupLine] = []
    for labware in deck.labware.values():
        if labware.is_trash:
            continue
        slot = labware_slot(deck, labware.start_location) or "off deck"
        lines.append(SetupLine(slot, _what(deck, labware), _fills(deck, labware)))
    for module in deck.modules.values():
        if not any(line.slot == module.slot for line in lines):
            lines.append(
                SetupLine(module.slot, str(module_definition(module.model)["displayName"]), [])
            )
    return sorted(
        lines,
        key=lambda line: (not line.slot.isdigit(), int(line.slot) if line.slot.isdigit() else 0),
    )


def pipette_lines(deck: DeckState) -> list[str]:
    """The pipettes to attach: "left: P300 8-Channel GEN2"."""
    return [
        f"{p.mount or 'mount ?'}: {pipette_display_name(p.name)}" for p in deck.pipettes.values()
    ]


def _what(deck: DeckState, labware: Labware) -> str:
    text = labware.title
    if labware.display_name and labware.display_name != labware.title:
        text = f"{labware.display_name} ({text})"
    location = labware.start_location
    if "moduleId" in location and location["moduleId"] in deck.modules:
        model = deck.modules[location["moduleId"]].model
        text += f" on {module_definition(model)['displayName']}"
    elif "labwareId" in location and location["labwareId"] in deck.labware:
        text += f" on {deck.labware[location['labwareId']].title}"
    if labware.is_tip_rack and labware.used_tips:
        text += f" ({len(labware.used_tips)} tips used)"
    return text


def _fills(deck: DeckState, labware: Labware) -> list[str]:
    """ "A1 with 10 mL Buffer", wells with the same fill named together."""
    by_fill: dict[tuple[str, float], list[str]] = {}
    for well, content in labware.loaded.items():
        for liquid, volume in content.items():
            by_fill.setdefault((liquid, volume), []).append(well)
    fills = []
    for (liquid, volume), wells in by_fill.items():
        name = deck.liquids[liquid].name if liquid in deck.liquids else liquid
        fills.append(f"{_wells(wells)} with {_volume(volume)} {name}")
    return fills


def _wells(wells: list[str]) -> str:
    return ", ".join(wells) if len(wells) <= 4 else f"{wells[0]}…{wells[-1]} ({len(wells)} wells)"


def _volume(microlitres: float) -> str:
    if microlitres >= 1000:
        return f"{microlitres / 1000:g} mL"
    return f"{microlitres:g} µL"
