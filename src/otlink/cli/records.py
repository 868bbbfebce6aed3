"""Lists of records (runs, commands, protocols, robots) as a table, JSON or CSV.

Every listing command takes ``--format table|json|csv``; ``--json`` is short for
``--format json``. Records are plain dicts; the table and the CSV show ``columns`` of them,
JSON shows all of their fields.

Example::

    output = Output(as_json=wants_json(fmt, as_json))
    show_records(output, [{"id": "r1", "status": "succeeded"}], ["id", "status"], fmt)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from .output import Output

FORMATS = ("table", "json", "csv")
WHOLE_COLUMNS = frozenset({"id", "url"})
MOST_WIDTH = 40
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to print the records (--json is --format json).",
)


def wants_json(fmt: str, as_json: bool) -> bool:
    return as_json or fmt == "json"


def show_records(
    output: Output,
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str = "table",
    *,
    title: str | None = None,
) -> None:
    """Print ``records`` in ``fmt`` (JSON whenever ``output`` is in JSON mode)."""
    if output.as_json:
        output.data(list(records))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: _cell(record.get(c)) for c in columns} for record in records)
        output.text(buffer.getvalue())
    else:
        table = Table(title=title, title_justify="left")
        rows = [[_short(_cell(record.get(column))) for column in columns] for record in records]
        for index, column in enumerate(columns):
            # Wide enough for the data rather than for a terminal: a table in a log is whole.
            # Ids and addresses are never folded; long free text is, past MOST_WIDTH.
            width = max([len(column), *(len(row[index]) for row in rows)])
            most = width if column in WHOLE_COLUMNS else MOST_WIDTH
            table.add_column(column, overflow="fold", min_width=min(width, most))
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        output.show(table)


def show_fields(output: Output, record: Mapping[str, Any], *, title: str) -> None:
    """Print one record as ``name  value`` lines, lists joined (JSON in JSON mode)."""
    if output.as_json:
        output.data(dict(record))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for name, value in record.items():
        if isinstance(value, list) and not any(isinstance(item, dict) for item in value):
            table.add_row(name, escape(", ".join(_cell(item) for item in value) or "none"))
        elif not isinstance(value, list | dict):
            table.add_row(name, escape(_cell(value)))
    output.line(f"[bold]{escape(title)}[/]")
    output.show(table)


def _short(text: str) -> str:
    """A timestamp to the second, for people: ``2024-10-24 12:34:56``."""
    return f"{text[:10]} {text[11:19]}" if TIMESTAMP.match(text) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
