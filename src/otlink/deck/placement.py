"""Where each labware and module of a :class:`DeckState` is, in deck coordinates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .definitions import module_labware_origin, slot_rect
from .state import DeckState, Labware


@dataclass(frozen=True)
class Placed:
    """A labware's origin (its front-left-bottom corner) on the deck, and the slot under it."""

    labware: Labware
    x: float
    y: float
    slot: str
    #: the point it stands on (its origin less its own corner offset): what stacks on it uses
    base: tuple[float, float] = (0.0, 0.0)


def labware_slot(deck: DeckState, location: Mapping[str, Any]) -> str | None:
    """The deck slot a location is in (through modules and adapters), None if off the deck."""
    if "slotName" in location:
        return str(location["slotName"])
    if "moduleId" in location:
        module = deck.modules.get(location["moduleId"])
        return module.slot if module else None
    if "labwareId" in location:
        parent = deck.labware.get(location["labwareId"])
        return labware_slot(deck, parent.location) if parent else None
    if location.get("addressableAreaName") in ("fixedTrash",):
        return "12"
    return None


def place(deck: DeckState, labware: Labware, at_start: bool) -> Placed | None:
    """Where ``labware`` was at the set-up (``at_start``) or is now; None when off the deck."""
    location = labware.start_location if at_start else labware.location
    if "labwareId" in location:  # on an adapter or another labware: stacked as it says
        parent = deck.labware.get(location["labwareId"])
        below = place(deck, parent, at_start) if parent is not None else None
        if parent is None or below is None:
            return None
        stacking = labware.definition.get("stackingOffsetWithLabware") or {}
        offset = stacking.get(parent.load_name, {})
        origin: tuple[float, float, str] | None = (
            below.base[0] + offset.get("x", 0.0),
            below.base[1] + offset.get("y", 0.0),
            below.slot,
        )
    else:
        origin = _origin(deck, location)
    if origin is None:
        return None
    x, y, slot = origin
    corner = labware.definition.get("cornerOffsetFromSlot", {})
    return Placed(labware, x + corner.get("x", 0.0), y + corner.get("y", 0.0), slot, (x, y))


def _origin(deck: DeckState, location: Mapping[str, Any]) -> tuple[float, float, str] | None:
    if "slotName" in location:
        slot = str(location["slotName"])
        rect = slot_rect(slot)
        return rect.x, rect.y, slot
    if "moduleId" in location:
        module = deck.modules.get(location["moduleId"])
        if module is None or not module.slot:
            return None
        x, y = module_labware_origin(module.model, module.slot)
        return x, y, module.slot
    return None
