"""Tecan Freedom EVOware / Fluent worklists (``.gwl``): A, D, W, R, B, C, F, S records.

A record is a line of ``;``-separated fields. ``A`` aspirates and ``D`` dispenses
(RackLabel;RackID;RackType;Position;TubeID;Volume;LiquidClass;TipType;TipMask;ForcedRack);
the dispenses after an aspirate each become a row from its source. ``W`` (any wash scheme,
``WD`` too) gives the next aspirate a fresh tip; without it the tip is kept, as on the EVO.
``R`` distributes a reagent over a range of positions. ``B`` (break), ``C`` (comment), ``F``
(flush) and ``S`` (tip type) do not change the transfers. Positions count down the columns
(1 = A1, 2 = B1), resolved on the deck's labware; rack labels (else rack ids) name labware.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import cells
from .rows import Problem, Row, Worklist

_IGNORED = {"B", "C", "F", "S"}


def read_gwl(path: Path) -> Worklist:
    """Read a ``.gwl`` worklist; rows are numbered by the file's line.

    >>> read_gwl(Path("dilution.gwl")).rows[0]  # doctest: +SKIP
    Row(number=8, source='MM', source_well='1', destination='MM', destination_well='32', ...)
    """
    return rows_from_gwl(cells.decode(path.read_bytes()), path.name)


def rows_from_gwl(content: str, source: str = "worklist.gwl") -> Worklist:
    worklist = Worklist([], source, columns={"volume": "Volume", "source_well": "Position"})
    aspirate: _Aspirate | None = None
    fresh_tip = True
    for number, line in enumerate(content.splitlines(), start=1):
        fields = line.strip().split(";")
        kind = fields[0].strip().upper()
        if not kind or kind in _IGNORED:
            continue
        try:
            if kind == "A":
                _check_dispensed(aspirate, worklist)
                aspirate = None  # until this one reads
                aspirate = _Aspirate(number, fields, _volume(_field(fields, 6)))
            elif kind == "D":
                if aspirate is None:
                    raise cells.CellError("a dispense (D) with no aspirate (A) before it")
                row = _transfer(
                    number, aspirate.fields, fields, fresh_tip and not aspirate.dispensed
                )
                aspirate.dispensed += row.volume
                fresh_tip = False
                if aspirate.dispensed > aspirate.volume + 1e-9:
                    raise cells.CellError(
                        f"dispenses {aspirate.dispensed:g} µL in all after aspirating"
                        f" {aspirate.volume:g} µL (line {aspirate.number})"
                    )
                worklist.rows.append(row)
            elif kind.startswith("W"):
                _check_dispensed(aspirate, worklist)
                aspirate, fresh_tip = None, True
            elif kind == "R":
                worklist.rows.extend(_distribution(number, fields))
                fresh_tip = True
            else:
                raise cells.CellError(f"unknown record {kind!r} (A, D, W, R, B, C, F, S are read)")
        except cells.CellError as error:
            worklist.problems.append(Problem(number, str(error), error.column))
            if kind == "D" and aspirate is not None:
                aspirate.dispensed = max(aspirate.dispensed, 1e-9)  # its dispense was reported
    _check_dispensed(aspirate, worklist)
    return worklist


@dataclass
class _Aspirate:
    number: int
    fields: list[str]
    volume: float
    dispensed: float = 0.0


def _labware(fields: list[str]) -> str:
    label, rack_id = _field(fields, 1), _field(fields, 2)
    if not (label or rack_id):
        raise cells.CellError("no rack label or rack id", "RackLabel")
    return label or rack_id


def _volume(written: str) -> float:
    try:
        return cells.number(written, "the volume")
    except cells.CellError as error:
        raise cells.CellError(str(error), "Volume") from None


def _field(fields: list[str], index: int) -> str:
    return fields[index].strip() if index < len(fields) else ""


def _transfer(number: int, aspirate: list[str], dispense: list[str], fresh: bool) -> Row:
    volume = _volume(_field(dispense, 6))
    liquid_class = _field(dispense, 7) or _field(aspirate, 7) or None
    return Row(
        number,
        _labware(aspirate),
        _position(aspirate),
        _labware(dispense),
        _position(dispense),
        volume,
        new_tip=fresh,
        liquid_class=liquid_class,
    )


def _position(fields: list[str]) -> str:
    position = _field(fields, 4)
    if not position:
        raise cells.CellError("no position (the 5th field)", "Position")
    return cells.well(position)


def _check_dispensed(aspirate: _Aspirate | None, worklist: Worklist) -> None:
    if aspirate is not None and not aspirate.dispensed:
        message = "an aspirate (A) with no dispense (D) after it"
        worklist.problems.append(Problem(aspirate.number, message))


def _distribution(number: int, fields: list[str]) -> list[Row]:
    """``R;src label;src id;src type;src start;src end;dst label;dst id;dst type;dst start;
    dst end;volume;liquid class;tip reuses;multi-dispenses;direction[;excluded wells]``."""
    if len(fields) < 17:
        raise cells.CellError("an R record has 16 fields before any excluded wells")
    source = _labware(fields[0:4])
    destination = _labware([fields[0], *fields[6:9]])
    src_start, src_end, dst_start, dst_end = (
        int(cells.number(fields[i], "a position")) for i in (4, 5, 9, 10)
    )
    volume = _volume(fields[11])
    reuses = max(1, int(cells.number(fields[13] or "1", "the tip reuses")))
    backwards = fields[15].strip() == "1"
    excluded = {int(value) for value in fields[16:] if value.strip().isdigit()}
    destinations = [p for p in range(dst_start, dst_end + 1) if p not in excluded]
    if backwards:
        destinations.reverse()
    sources = list(range(src_start, src_end + 1))
    return [
        Row(
            number,
            source,
            str(sources[index % len(sources)]),
            destination,
            str(position),
            volume,
            new_tip=index % reuses == 0,
            liquid_class=fields[12].strip() or None,
        )
        for index, position in enumerate(destinations)
    ]
