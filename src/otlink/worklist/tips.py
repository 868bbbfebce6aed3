"""Which tips are still in their racks, picked in the racks' order."""

from __future__ import annotations

from .deck import Deck, DeckPipette


class TipRacks:
    """The tips left in every rack on the deck; a pipette takes the next ones from its racks
    (a single channel the next tip, an 8-channel the next full column)."""

    def __init__(self, deck: Deck) -> None:
        self._columns = {
            slot: [list(column) for column in item.definition["ordering"]]
            for slot, item in deck.labware.items()
            if item.is_tip_rack
        }
        self._used: dict[str, set[str]] = {slot: set() for slot in self._columns}

    def take(self, pipette: DeckPipette) -> tuple[str, str] | None:
        """The (slot, well) the pipette picks up at next, now used; None when none is left."""
        for slot in pipette.tip_racks:
            used = self._used[slot]
            for column in self._columns[slot]:
                if pipette.channels == 1:
                    for well in column:
                        if well not in used:
                            used.add(well)
                            return slot, well
                elif len(column) == pipette.channels and not used.intersection(column):
                    used.update(column)
                    return slot, column[0]
        return None
