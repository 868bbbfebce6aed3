"""Rows checked against the deck: labware, wells, liquid classes; each becomes a transfer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from . import cells
from .deck import Deck, DeckLabware, DeckPipette
from .labware_data import well_names
from .rows import Mix, Problem, Row, Worklist


@dataclass(frozen=True)
class Settings:
    """How a transfer is pipetted (a row's own columns over its liquid class)."""

    new_tip: bool | None = None
    mix_before: Mix | None = None
    mix_after: Mix | None = None
    air_gap: float = 0.0
    touch_tip: bool = False
    blow_out: bool = False
    aspirate_flow_rate: float | None = None
    dispense_flow_rate: float | None = None
    aspirate_height: float | None = None
    dispense_height: float | None = None

    @property
    def plain(self) -> bool:
        """Nothing between aspirate and dispense but the move (multi-dispense allows only this)."""
        return not (self.mix_before or self.mix_after or self.air_gap or self.blow_out)


_SETTINGS = tuple(Settings.__dataclass_fields__)


@dataclass(slots=True)  # not frozen: one per row, and a frozen init costs 4x
class Transfer:
    """A row on the deck: ``volume`` µL from ``source`` ``source_well`` to ``destination``."""

    rows: tuple[int, ...]
    source: DeckLabware
    source_wells: tuple[str, ...]
    destination: DeckLabware
    destination_wells: tuple[str, ...]
    volume: float
    settings: Settings
    liquid_class: str | None = None

    @property
    def first_row(self) -> int:
        return self.rows[0]


def resolve(worklist: Worklist, deck: Deck, problems: list[Problem]) -> list[Transfer]:
    """Each row that names real labware, wells and liquid class, as a transfer; the others
    are reported in ``problems``."""
    wells: dict[str, list[str]] = {
        slot: well_names(item.definition) for slot, item in deck.labware.items()
    }
    transfers: list[Transfer] = []
    # 10,000 rows name a few labware, wells and settings: each is looked up once
    ends: dict[tuple[str, str, str | None, str], _End] = {}
    settings_of: dict[tuple[Any, ...], Settings] = {}
    smallest = _smallest(deck)
    for row in worklist.rows:
        found = len(problems)
        source = ends.get((_SOURCE, row.source, row.source_labware, row.source_well))
        if source is None:
            source = _end(row, _SOURCE, deck, wells, worklist)
            ends[(_SOURCE, row.source, row.source_labware, row.source_well)] = source
        destination = ends.get(
            (_DESTINATION, row.destination, row.destination_labware, row.destination_well)
        )
        if destination is None:
            destination = _end(row, _DESTINATION, deck, wells, worklist)
            ends[(_DESTINATION, row.destination, row.destination_labware, row.destination_well)] = (
                destination
            )
        for end in (source, destination):
            if end.problem is not None:
                problems.append(Problem(row.number, *end.problem))
        key = _settings_key(row)
        settings = settings_of.get(key)
        if settings is None:  # a bad liquid class is reported at every row that names it
            settings = _settings(row, deck, worklist, problems)
            if settings is not None:
                settings_of[key] = settings
        volume_problem = _volume(row, smallest)
        if volume_problem:
            problems.append(Problem(row.number, volume_problem, worklist.column("volume")))
        if len(problems) > found or settings is None:
            continue
        assert source.labware and destination.labware
        transfers.append(
            Transfer(
                (row.number,),
                source.labware,
                source.wells,
                destination.labware,
                destination.wells,
                row.volume,
                settings,
                row.liquid_class,
            )
        )
    return transfers


_SOURCE, _DESTINATION = "source", "destination"
_settings_key = attrgetter("liquid_class", *_SETTINGS)


@dataclass(frozen=True)
class _End:
    """One end of a row on the deck: its labware and well, or what is wrong (message, column)."""

    labware: DeckLabware | None
    wells: tuple[str, ...] = ()
    problem: tuple[str, str | None] | None = None


def _end(row: Row, end: str, deck: Deck, wells: dict[str, list[str]], worklist: Worklist) -> _End:
    found: list[Problem] = []
    item = _labware(row, end, deck.find(getattr(row, end)), deck, worklist, found)
    well = _well(row, end, item, wells, worklist, found) if item else None
    if found:
        return _End(None, problem=(found[0].message, found[0].column))
    assert well is not None
    return _End(item, (well,))


def _smallest(deck: Deck) -> DeckPipette:
    singles = [p for p in deck.pipettes.values() if p.channels == 1] or list(deck.pipettes.values())
    return min(singles, key=lambda p: p.min_volume)


def _volume(row: Row, smallest: DeckPipette) -> str | None:
    """A volume no single-channel pipette on the deck can take (the labware aside)."""
    if row.volume <= 0:
        return "the volume must be above 0"
    if row.volume < smallest.min_volume - 1e-6:
        return (
            f"{row.volume:g} µL is below the smallest pipette's minimum"
            f" ({smallest.name}: {smallest.min_volume:g} µL)"
        )
    return None


def _labware(
    row: Row,
    end: str,
    item: DeckLabware | None,
    deck: Deck,
    worklist: Worklist,
    problems: list[Problem],
) -> DeckLabware | None:
    reference: str = getattr(row, end)
    column = worklist.column(f"{end}_slot" if f"{end}_slot" in worklist.columns else end)
    if item is None:
        known = ", ".join(deck.names()) or "none"
        problems.append(
            Problem(row.number, f"no labware {reference!r} on the deck (labware: {known})", column)
        )
        return None
    if item.is_tip_rack:
        problems.append(Problem(row.number, f"{item.label} is a tip rack", column))
        return None
    written: str | None = getattr(row, f"{end}_labware")
    if written and written.casefold() not in {
        item.load_name.casefold(),
        (item.name or "").casefold(),
    }:
        problems.append(
            Problem(
                row.number,
                f"says {written!r}, but slot {item.slot} holds {item.load_name}",
                worklist.column(end),
            )
        )
        return None
    return item


def _well(
    row: Row,
    end: str,
    item: DeckLabware,
    wells: dict[str, list[str]],
    worklist: Worklist,
    problems: list[Problem],
) -> str | None:
    written: str = getattr(row, f"{end}_well")
    ordered = wells[item.slot]
    if written.isdigit():  # Tecan and Hamilton count wells down the columns from 1
        index = int(written)
        if 1 <= index <= len(ordered):
            return ordered[index - 1]
    elif written in item.definition["wells"]:
        return written
    problems.append(
        Problem(
            row.number,
            f"{item.label} ({item.load_name}) has no well {written!r}"
            f" (wells {ordered[0]} to {ordered[-1]}, or 1 to {len(ordered)})",
            worklist.column(f"{end}_well"),
        )
    )
    return None


def _settings(row: Row, deck: Deck, worklist: Worklist, problems: list[Problem]) -> Settings | None:
    base = Settings()
    if row.liquid_class and deck.liquid_classes:
        values = deck.liquid_classes.get(row.liquid_class)
        if values is None:
            known = ", ".join(sorted(deck.liquid_classes))
            problems.append(
                Problem(
                    row.number,
                    f"no liquid class {row.liquid_class!r} in the deck file (classes: {known})",
                    worklist.column("liquid_class"),
                )
            )
            return None
        try:
            base = _liquid_class(values, row.volume)
        except cells.CellError as error:
            problems.append(Problem(row.number, f"liquid class {row.liquid_class}: {error}"))
            return None
    own: dict[str, Any] = {}
    for name in Settings.__dataclass_fields__:
        value = getattr(row, name)
        if name in ("touch_tip", "blow_out") and value is False:
            continue
        if name == "air_gap" and not value:
            continue
        if value is not None:
            own[name] = value
    return replace(base, **own)


def _liquid_class(values: dict[str, Any], volume: float) -> Settings:
    settings: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("mix_before", "mix_after"):
            settings[name] = cells.mix(value, volume, name.replace("_", " "))
        elif name in ("touch_tip", "blow_out"):
            settings[name] = cells.flag(value, name.replace("_", " "))
        else:
            settings[name] = cells.number(value, name.replace("_", " "))
    return Settings(**settings)
