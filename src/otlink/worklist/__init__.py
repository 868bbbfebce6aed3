"""Worklists: transfers from a spreadsheet (CSV, TSV, XLSX), a Tecan ``.gwl`` or JSON, planned
as data on a deck, checked before anything moves, then run live or written out as a protocol.

>>> from otlink import worklist
>>> rows = worklist.read_worklist(Path("picklist.csv"))  # doctest: +SKIP
>>> deck = worklist.Deck.read(Path("deck.toml"))  # doctest: +SKIP
>>> plan = worklist.plan(rows, deck, worklist.PlanOptions(new_tip="per-source"))  # doctest: +SKIP
>>> print(worklist.summarise(plan).text())  # doctest: +SKIP
>>> worklist.run(plan, robot="10.0.0.5")  # doctest: +SKIP

Names load on first use: the CLI reads the options' choices without loading opentrons.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .deck import Deck, DeckLabware, DeckPipette
    from .deck_source import deck_from_file, deck_from_protocol
    from .live import RowFailed, run
    from .planner import plan
    from .protocol_text import ProtocolText, protocol_text
    from .reading import read_worklist
    from .rows import Mix, Problem, Row, Worklist, WorklistInvalid
    from .steps import TIP_POLICIES, Plan, PlanOptions, Step, diff
    from .summary import Summary, summarise
    from .tables import rows_from_records

_WHERE = {
    "Deck": "deck",
    "DeckLabware": "deck",
    "DeckPipette": "deck",
    "deck_from_file": "deck_source",
    "deck_from_protocol": "deck_source",
    "RowFailed": "live",
    "run": "live",
    "plan": "planner",
    "ProtocolText": "protocol_text",
    "protocol_text": "protocol_text",
    "read_worklist": "reading",
    "Mix": "rows",
    "Problem": "rows",
    "Row": "rows",
    "Worklist": "rows",
    "WorklistInvalid": "rows",
    "TIP_POLICIES": "steps",
    "Plan": "steps",
    "PlanOptions": "steps",
    "Step": "steps",
    "diff": "steps",
    "Summary": "summary",
    "summarise": "summary",
    "rows_from_records": "tables",
}

__all__ = [
    "TIP_POLICIES",
    "Deck",
    "DeckLabware",
    "DeckPipette",
    "Mix",
    "Plan",
    "PlanOptions",
    "Problem",
    "ProtocolText",
    "Row",
    "RowFailed",
    "Step",
    "Summary",
    "Worklist",
    "WorklistInvalid",
    "deck_from_file",
    "deck_from_protocol",
    "diff",
    "plan",
    "protocol_text",
    "read_worklist",
    "rows_from_records",
    "run",
    "summarise",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
