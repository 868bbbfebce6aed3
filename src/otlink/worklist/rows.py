"""Worklist rows: one transfer each, as read from a file, numbered as the file numbers them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# The fields a row can carry, as written in JSON and in the plan (the columns' canonical names).
REQUIRED = ("source", "source_well", "destination", "destination_well", "volume")
OPTIONAL = (
    "new_tip",
    "mix_before",
    "mix_after",
    "air_gap",
    "touch_tip",
    "blow_out",
    "liquid_class",
    "aspirate_flow_rate",
    "dispense_flow_rate",
    "aspirate_height",
    "dispense_height",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at its row (the file's own numbering) and column."""

    row: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "worklist"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class WorklistInvalid(ValueError):
    """The worklist cannot run as given; ``problems`` names every bad row (nothing moved).

    >>> try:
    ...     plan(rows, deck)  # doctest: +SKIP
    ... except WorklistInvalid as error:
    ...     for problem in error.problems:
    ...         print(problem)  # row 7, column 'Volume': 0.5 µL is below ...
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = [str(problem) for problem in self.problems[:20]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"... and {more} more")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class Mix:
    """``repetitions`` aspirate/dispense cycles of ``volume`` µL."""

    repetitions: int
    volume: float


@dataclass(frozen=True)
class Row:
    """One transfer: ``volume`` µL from ``source``/``source_well`` to ``destination``/well.

    ``source`` and ``destination`` are labware as the worklist names it: a slot ("2") or a
    name the deck file gives. ``number`` is the file's own row (a spreadsheet's row number,
    a GWL file's line), used in every message and by ``--from-row``.

    >>> Row(2, "1", "A1", "Destination", "B1", 50.0)
    Row(number=2, source='1', source_well='A1', destination='Destination', ...)
    """

    number: int
    source: str
    source_well: str
    destination: str
    destination_well: str
    volume: float
    new_tip: bool | None = None  # True: a fresh tip for this row; False: keep the tip; None: policy
    mix_before: Mix | None = None
    mix_after: Mix | None = None
    air_gap: float = 0.0
    touch_tip: bool = False
    blow_out: bool = False
    liquid_class: str | None = None
    aspirate_flow_rate: float | None = None
    dispense_flow_rate: float | None = None
    aspirate_height: float | None = None
    dispense_height: float | None = None
    # Where a file names the labware twice (a slot and a load name), the name, checked on the deck
    source_labware: str | None = None
    destination_labware: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The row as its JSON form (only what is set), as :func:`rows_from_json` reads it."""
        data: dict[str, Any] = {"row": self.number}
        for name in REQUIRED + OPTIONAL:
            value = getattr(self, name)
            if value is None or value is False or (value == 0.0 and name == "air_gap"):
                continue
            if isinstance(value, Mix):
                value = {"repetitions": value.repetitions, "volume": value.volume}
            data[name] = value
        if self.new_tip is False:
            data["new_tip"] = False
        for end in ("source", "destination"):  # named twice: as a table with both columns
            written = getattr(self, f"{end}_labware")
            if written:
                data[f"{end}_slot"], data[end] = data[end], written
        return data


@dataclass
class Worklist:
    """Rows read from one file, with the file's column names (for messages)."""

    rows: list[Row]
    source: str = "worklist"
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's column name
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> str:
        """The file's name for a field (``volume`` -> ``Transfer Volume``)."""
        return self.columns.get(name, name)
