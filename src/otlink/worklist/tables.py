"""Worklists as tables: CSV, TSV, XLSX and the JSON form, each row a transfer."""

from __future__ import annotations

import csv
import difflib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import cells
from .columns import all_names, field_for, informs, known_columns, normalise, unit_factor
from .rows import OPTIONAL, REQUIRED, Problem, Row, Worklist, WorklistInvalid

_MERGED = " (a merged cell holds its value in its first row only)"
_MIN_HEADER_MATCHES = 3  # a header row names at least this many fields (skips preambles)


def read_table(
    path: Path, *, volume_unit: str = "µL", ignore_columns: Iterable[str] = ()
) -> Worklist:
    """Read a CSV, TSV or XLSX worklist with a header row (any preamble above it is skipped).

    ``volume_unit`` ("µL", "nL", "mL") applies where the volume column names no unit (Echo
    pick lists are in nL); ``ignore_columns`` are columns that inform only.

    >>> worklist = read_table(Path("picklist.csv"))  # doctest: +SKIP
    >>> worklist.rows[0]  # doctest: +SKIP
    Row(number=2, source='Source', source_well='A1', ...)
    """
    lines: Iterable[tuple[int, Sequence[Any]]]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(path)
    else:
        content = cells.decode(path.read_bytes())
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else _delimiter(content)
        lines = _csv_lines(content, delimiter)
    return rows_from_lines(
        lines, source=path.name, volume_unit=volume_unit, ignore_columns=ignore_columns
    )


def rows_from_records(records: Iterable[Mapping[str, Any]], *, source: str = "rows") -> Worklist:
    """Rows from dicts (the JSON form): keys as in a header (``source``, ``Source Well``...);
    ``row`` gives the row's number, else its position from 1.

    >>> rows = rows_from_records([{"source": "1", "source_well": "A1", "destination": "2",
    ...                             "destination_well": "B1", "volume": 50}])
    >>> rows.rows[0].volume
    50.0
    """
    lines: list[tuple[int, Sequence[Any]]] = []
    headers: list[str] = []
    for index, record in enumerate(records, start=1):
        for key in record:
            if key not in headers and key != "row":
                headers.append(key)
        values = [record.get(header) for header in headers]
        lines.append((int(record.get("row", index)), values))
    return rows_from_lines([(0, headers), *lines], source=source, header_found=True)


def read_json(path: Path) -> Worklist:
    """The JSON form: a list of row objects, or ``{"rows": [...]}``."""
    try:
        data = json.loads(cells.decode(path.read_bytes()))
    except json.JSONDecodeError as error:
        return Worklist([], path.name, problems=[Problem(None, f"not JSON: {error}")])
    records = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        message = 'should be a list of row objects, or {"rows": [...]}'
        return Worklist([], path.name, problems=[Problem(None, message)])
    return rows_from_records(records, source=path.name)


def rows_from_lines(
    lines: Iterable[tuple[int, Sequence[Any]]],
    *,
    source: str = "worklist",
    volume_unit: str = "µL",
    ignore_columns: Iterable[str] = (),
    header_found: bool = False,
) -> Worklist:
    """Rows from (row number, cells) lines whose first line (with enough known names) is the
    header."""
    worklist = Worklist([], source)
    ignored = {normalise(name) for name in ignore_columns}
    it = iter(lines)
    header: _Header | None = None
    number = 0
    for number, values in it:  # noqa: B007  (the header's row, for its problems)
        if not any(cells.text(value) for value in values):
            continue
        candidate = _Header(values, ignored, volume_unit)
        if header_found or candidate.matches >= _MIN_HEADER_MATCHES:
            header = candidate
            break
    if header is None:
        names = ", ".join(known_columns()[:7])
        worklist.problems.append(Problem(None, f"no header row found (columns such as {names})"))
        return worklist
    worklist.columns = header.names
    worklist.problems.extend(header.problems(number))
    if worklist.problems:
        return worklist
    for number, values in it:
        if not any(cells.text(value) for value in values) or cells.text(values[0]).startswith("#"):
            continue
        row = header.row(number, values, worklist.problems)
        if row is not None:
            worklist.rows.append(row)
    return worklist


class _Header:
    """Which cell holds which field, and how volumes are written."""

    def __init__(self, values: Sequence[Any], ignored: set[str], volume_unit: str) -> None:
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.unknown: list[str] = []
        self.duplicate: list[str] = []
        self.volume_factor = unit_factor(f"({volume_unit})") or 1.0
        for position, value in enumerate(values):
            name = cells.text(value)
            if not name or normalise(name) in ignored or informs(name):
                continue
            field = field_for(name)
            if field is None:
                self.unknown.append(name)
            elif field in self.index:
                self.duplicate.append(name)
            else:
                self.index[field] = position
                self.names[field] = name
                if field == "volume" and unit_factor(name) is not None:
                    self.volume_factor = unit_factor(name) or 1.0
        for end in ("source", "destination"):  # a slot column names the labware
            if f"{end}_slot" in self.names:
                self.names.setdefault(end, self.names[f"{end}_slot"])

    @property
    def matches(self) -> int:
        return len(self.index)

    def problems(self, number: int) -> list[Problem]:
        found: list[Problem] = []
        for name in self.unknown:
            close = difflib.get_close_matches(normalise(name), all_names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            found.append(
                Problem(
                    number,
                    f"unknown column{hint}; rename it, or ignore it (--ignore-column {name!r})",
                    name,
                )
            )
        for name in self.duplicate:
            found.append(Problem(number, "a second column for the same thing", name))
        for field in REQUIRED:
            if field not in self.index and not (
                field in ("source", "destination") and f"{field}_slot" in self.index
            ):
                found.append(Problem(number, f"no {field.replace('_', ' ')} column"))
        return found

    def _cell(self, values: Sequence[Any], field: str) -> Any:
        position = self.index.get(field)
        if position is None or position >= len(values):
            return None
        return values[position]

    def row(self, number: int, values: Sequence[Any], problems: list[Problem]) -> Row | None:
        try:
            return self._row(number, values, problems)
        except _BadCell as bad:
            message = str(bad.error) + (_MERGED if str(bad.error).endswith(" is empty") else "")
            problems.append(Problem(number, message, self.names.get(bad.field)))
            return None

    def _row(self, number: int, values: Sequence[Any], problems: list[Problem]) -> Row | None:
        cell = self._reader(values)
        labware: dict[str, str] = {}
        for end in ("source", "destination"):
            slot, name = cells.text(cell(f"{end}_slot")), cells.text(cell(end))
            labware[end] = slot or name
            if slot and name:
                labware[f"{end}_check"] = name  # checked against the deck when planned
        volume = self._guarded("volume", lambda: cells.number(cell("volume"), "the volume"))
        volume *= self.volume_factor
        optional: dict[str, Any] = {}
        for field in OPTIONAL:
            if field not in self.index:
                continue
            value = cell(field)
            optional[field] = self._guarded(field, lambda f=field, v=value: _optional(f, v, volume))
        row = Row(
            number,
            labware["source"],
            cells.well(cell("source_well")),
            labware["destination"],
            cells.well(cell("destination_well")),
            volume,
            source_labware=labware.get("source_check"),
            destination_labware=labware.get("destination_check"),
            **{name: value for name, value in optional.items() if value is not None},
        )
        for end in ("source", "destination"):
            if not getattr(row, end) or not getattr(row, f"{end}_well"):
                missing = end if not getattr(row, end) else f"{end}_well"
                message = f"the cell is empty{_MERGED}"
                problems.append(Problem(number, message, self.names.get(missing, missing)))
                return None
        return row

    def _reader(self, values: Sequence[Any]) -> Any:
        return lambda field: self._cell(values, field)

    @staticmethod
    def _guarded(field: str, read: Any) -> Any:
        try:
            return read()
        except cells.CellError as error:
            raise _BadCell(field, error) from None


class _BadCell(Exception):
    def __init__(self, field: str, error: cells.CellError) -> None:
        self.field = field
        self.error = error


def _optional(field: str, value: Any, volume: float) -> Any:
    what = field.replace("_", " ")
    if field == "new_tip":
        return cells.optional_flag(value, what)
    if field in ("touch_tip", "blow_out"):
        return cells.optional_flag(value, what) or None
    if field in ("mix_before", "mix_after"):
        return cells.mix(value, volume, what)
    if field == "liquid_class":
        return cells.text(value) or None
    if field == "air_gap":
        return cells.optional_number(value, what) or None
    return cells.optional_number(value, what)


def _delimiter(content: str) -> str:
    sample = "\n".join(content.splitlines()[:20])
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_lines(content: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    for values in reader:
        yield reader.line_num, values


def _xlsx_lines(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    import openpyxl  # type: ignore[import-untyped]  # the worklist extra; only XLSX needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:  # not an XLSX workbook inside
        problem = f"{path.name} is not an Excel workbook ({error}): save it as .xlsx or .csv"
        raise WorklistInvalid([Problem(None, problem)]) from None
    try:
        sheet = book.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()
