"""One entry point for every worklist format, chosen by the file's extension."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .gwl import read_gwl
from .rows import Problem, Worklist
from .tables import read_json, read_table

FORMATS = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".tab": "TSV",
    ".txt": "CSV",
    ".xlsx": "XLSX",
    ".xlsm": "XLSX",
    ".gwl": "Tecan GWL",
    ".json": "JSON",
}


def read_worklist(
    path: Path, *, volume_unit: str = "µL", ignore_columns: Iterable[str] = ()
) -> Worklist:
    """Read a worklist in any format otlink knows; problems (bad cells, unknown columns) are
    collected in ``worklist.problems``, each with its row, for :func:`plan` to report.

    >>> read_worklist(Path("transfers.xlsx")).rows[0].volume  # doctest: +SKIP
    50.0
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        return Worklist(
            [], path.name, problems=[Problem(None, f"unknown format {suffix!r} ({known})")]
        )
    if suffix == ".gwl":
        return read_gwl(path)
    if suffix == ".json":
        return read_json(path)
    return read_table(path, volume_unit=volume_unit, ignore_columns=ignore_columns)
