"""A run's commands on a time line, drawn as SVG: one row per command type, one bar per command.

x is the time since the run's first command; a bar spans its command's start to its end (at least
a pixel wide, so that a 2 ms ``loadPipette`` still shows) and says in its hover title what the
command did, when, and for how long. Time in which no command ran is shaded as idle; an idle
stretch longer than the rest of the run is drawn shortened, with a break, so that a night's pause
does not squash the work into a line. The run's actions (play, pause, stop) are marked above.

One ``<rect class="command">`` per command that ran (``data-index`` is its place in the run,
from 0, as the robot and ``otlink runs log`` number commands),
so a 1,000-command run is 1,000 bars in a dozen rows.

Example::

    svg = timeline_svg(commands, actions=run.actions)
    Path("timeline.svg").write_text(svg)
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .svg import _box
from .timeline_layout import (
    BREAK,
    RIGHT,
    WIDTH,
    Describer,
    Span,
    Timeline,
    clock_words,
    duration_words,
    instant,
    row_name,
    spans_of,
)

INK = "#26303a"
GRID = "#e3e6ea"
IDLE = "#dfe3e8"
FAILED = "#c8102e"
ROW_COLOURS = ("#2f6fae", "#3f8f5a", "#a8612a", "#7a4fa0", "#2b8c8c", "#8a7a2a", "#a0456e")
TOP = 30.0  # room for the action marks
ROW = 18.0
BAR = 11.0
AXIS = 34.0
MIN_BAR = 1.0
MIN_FAILED_BAR = 3.0  # a failed command often ends at once: still seen


def timeline_svg(
    commands: Sequence[Mapping[str, Any]],
    *,
    actions: Iterable[Mapping[str, Any]] = (),
    describe: Describer | None = None,
    title: str | None = None,
) -> str:
    """The commands (dicts as the robot lists them: commandType, status, params, startedAt,
    completedAt) as an SVG time line; ``actions`` are the run's (actionType, createdAt)."""
    actions = list(actions)
    marks = [str(action["createdAt"]) for action in actions if action.get("createdAt")]
    timeline = spans_of(commands, describe or _type_only, marks)
    rows = list(timeline.rows)
    left = timeline.left
    height = TOP + ROW * max(len(rows), 1) + AXIS + (14 if title else 0)
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH:g} {height:g}",
            "width": f"{WIDTH:g}",
            "height": f"{height:g}",
            "font-family": "Helvetica, Arial, sans-serif",
            "font-size": "11",
            "class": "otlink-timeline",
            "role": "img",
        },
    )
    top = TOP + (14 if title else 0)
    if title:
        _text(root, title, 0, 12, weight="bold", size="12")
    if not timeline.spans:
        _text(root, "No command of this run has started.", left, top + ROW / 2 + 4)
        return ET.tostring(root, encoding="unicode")
    bottom = top + ROW * len(rows)
    for row, command_type in enumerate(rows):
        y = top + row * ROW
        if row % 2:
            ET.SubElement(root, "rect", _box(left, y, WIDTH - left - RIGHT, ROW, fill="#f7f8fa"))
        name = row_name(command_type, timeline.spans)
        _text(root, name, left - 6, y + ROW / 2 + 4, anchor="end")
    # Over the rows' stripes, under the bars: idle time shows across every row.
    _draw_axis(root, timeline, top, bottom)
    _draw_idle(root, timeline, top, bottom)
    colours = {name: ROW_COLOURS[i % len(ROW_COLOURS)] for i, name in enumerate(rows)}
    bars = ET.SubElement(root, "g", {"class": "commands"})
    for span in timeline.spans:
        _draw_span(bars, timeline, span, top + rows.index(span.command_type) * ROW, colours)
    _draw_actions(root, timeline, actions, top, bottom)
    return ET.tostring(root, encoding="unicode")


def _type_only(command_type: str, params: Mapping[str, Any]) -> str:
    return command_type


def _draw_span(
    parent: ET.Element, timeline: Timeline, span: Span, y: float, colours: Mapping[str, str]
) -> None:
    x0, x1 = timeline.x(span.start), timeline.x(span.end)
    failed = span.status == "failed"
    least = MIN_FAILED_BAR if failed else MIN_BAR
    bar = ET.SubElement(
        parent,
        "rect",
        {
            **_box(x0, y + (ROW - BAR) / 2, max(x1 - x0, least), BAR),
            "fill": FAILED if failed else colours[span.command_type],
            "class": "command failed" if failed else "command",
            "data-index": str(span.index),
            "data-command-type": span.command_type,
        },
    )
    took = span.end - span.start
    state = "" if span.status in ("succeeded", "") else f", {span.status}"
    ET.SubElement(
        bar, "title"
    ).text = (
        f"#{span.index} {span.words}: {duration_words(took)} from {clock_words(span.start)}{state}"
    )


def _draw_idle(root: ET.Element, timeline: Timeline, top: float, bottom: float) -> None:
    group = ET.SubElement(root, "g", {"class": "idle"})
    for start, end in timeline.idle:
        x0, x1 = timeline.x(start), timeline.x(end)
        shade = ET.SubElement(group, "rect", _box(x0, top, max(x1 - x0, MIN_BAR), bottom - top))
        shade.set("fill", IDLE)
        ET.SubElement(
            shade, "title"
        ).text = (
            f"idle {duration_words(end - start)}, from {clock_words(start)} to {clock_words(end)}"
        )
    for segment in timeline.segments:
        if segment.shortened:
            x = segment.x + BREAK / 2
            ET.SubElement(
                group,
                "path",
                {
                    "d": f"M{x - 4:.1f},{bottom + 2:.1f} l4,8 l4,-8 M{x - 4:.1f},{top - 2:.1f} "
                    f"l4,-6 l4,6",
                    "fill": "none",
                    "stroke": INK,
                    "stroke-width": "1",
                },
            )
            mark = _text(group, "≈", x, (top + bottom) / 2 + 4, anchor="middle", size="13")
            ET.SubElement(
                mark, "title"
            ).text = f"idle {duration_words(segment.end - segment.start)} (drawn shortened)"


def _draw_axis(root: ET.Element, timeline: Timeline, top: float, bottom: float) -> None:
    group = ET.SubElement(root, "g", {"class": "axis"})
    ET.SubElement(
        group,
        "line",
        {
            "x1": f"{timeline.left:g}",
            "x2": f"{WIDTH - RIGHT:g}",
            "y1": f"{bottom:g}",
            "y2": f"{bottom:g}",
        },
    ).set("stroke", INK)
    drawn_at = -math.inf
    for seconds in _ticks(timeline):
        x = timeline.x(seconds)
        ET.SubElement(
            group,
            "line",
            {"x1": f"{x:.1f}", "x2": f"{x:.1f}", "y1": f"{top:g}", "y2": f"{bottom + 4:g}"},
        ).set("stroke", GRID)
        if x - drawn_at >= 56:
            _text(group, clock_words(seconds), x, bottom + 16, anchor="middle")
            drawn_at = x
    _text(group, "time since the first command", WIDTH - RIGHT, bottom + 30, anchor="end")


def _ticks(timeline: Timeline) -> list[float]:
    """Round times for the axis, about a hundred pixels apart, none in a shortened stretch."""
    drawn = [s for s in timeline.segments if not s.shortened]
    scale = drawn[0].scale if drawn else 1.0
    step = _nice_step(100 / scale)
    ticks = []
    for segment in drawn:
        tick = math.ceil(segment.start / step) * step
        while tick <= segment.end + 1e-9:
            ticks.append(tick)
            tick += step
    return ticks


def _nice_step(seconds: float) -> float:
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
                 1800, 3600, 7200, 14400, 28800, 86400):  # fmt: skip
        if step >= seconds:
            return float(step)
    return 86400.0 * math.ceil(seconds / 86400)


def _draw_actions(
    root: ET.Element,
    timeline: Timeline,
    actions: Iterable[Mapping[str, Any]],
    top: float,
    bottom: float,
) -> None:
    if timeline.origin is None:
        return
    group = ET.SubElement(root, "g", {"class": "actions"})
    for action in actions:
        try:
            seconds = (instant(str(action["createdAt"])) - timeline.origin).total_seconds()
        except (KeyError, ValueError):
            continue
        if not -1 <= seconds <= timeline.length + 1e-6:
            continue
        x = timeline.x(max(seconds, 0.0))
        name = str(action.get("actionType", ""))
        mark = ET.SubElement(group, "g", {"class": "action", "data-action": name})
        ET.SubElement(mark, "title").text = f"{name} at {clock_words(seconds)}"
        ET.SubElement(
            mark,
            "line",
            {
                "x1": f"{x:.1f}",
                "x2": f"{x:.1f}",
                "y1": f"{top - 8:g}",
                "y2": f"{bottom:g}",
                "stroke": INK,
                "stroke-dasharray": "3 2",
            },
        )
        at_the_end = x > WIDTH - RIGHT - 40  # the label goes left of the line, inside
        _text(mark, name, x - 3 if at_the_end else x + 3, top - 10, size="10",
              anchor="end" if at_the_end else "start")  # fmt: skip


def _text(
    parent: ET.Element,
    text: str,
    x: float,
    y: float,
    *,
    anchor: str = "start",
    weight: str = "normal",
    size: str = "11",
) -> ET.Element:
    element = ET.SubElement(
        parent,
        "text",
        {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "text-anchor": anchor,
            "fill": INK,
            "font-weight": weight,
            "font-size": size,
        },
    )
    element.text = text
    return element
