"""Pictures of the OT-2 deck: labware, modules, tips and liquids, drawn from their definitions.

A :class:`DeckState` is built from commands (a protocol's dry run, a robot run, a live
protocol context) and drawn by :func:`render` as SVG, PNG or a self-contained HTML page.

Example::

    from otlink.deck import deck_from_robot_run, render

    deck = deck_from_robot_run(RobotClient("10.0.0.5"), run_id)
    Path("deck.png").write_bytes(render(deck, "png", at_start=True))
"""

from __future__ import annotations

from .export import html_page, svg_to_png
from .pictures import render, write_deck
from .report import robot_run_report, run_report
from .setup import SetupLine, pipette_lines, setup_lines
from .sources import deck_from_robot_run, deck_of_context, deck_of_engine
from .state import DeckState, Labware, Liquid, Module, Pipette
from .svg import deck_svg
from .timeline import timeline_svg

__all__ = [
    "DeckState",
    "Labware",
    "Liquid",
    "Module",
    "Pipette",
    "SetupLine",
    "deck_from_robot_run",
    "deck_of_context",
    "deck_of_engine",
    "deck_svg",
    "html_page",
    "pipette_lines",
    "render",
    "robot_run_report",
    "run_report",
    "setup_lines",
    "svg_to_png",
    "timeline_svg",
    "write_deck",
]
