"""Where a run's commands go on its time line: seconds since the first command, the idle
stretches between them, and the axis in segments (a long idle stretch shortened); and times
in words. Pure data, drawn by :mod:`otlink.deck.timeline`.

>>> duration_words(200.0)
'3 min 20 s'
>>> clock_words(3723.0)
'1:02:03'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

WIDTH = 1100.0
MIN_LEFT = 120.0  # room for the row names: at least this, at most MAX_LEFT
MAX_LEFT = 330.0
CHARACTER = 6.1  # the width of a row name's character, about, at 11 px
RIGHT = 16.0
BREAK = 26.0  # the width of a shortened idle stretch

_FRACTION = re.compile(r"(\.\d+)")

#: Says what a command did, in words (``CommandWords``), from its type and params.
Describer = Callable[[str, Mapping[str, Any]], str]


def instant(timestamp: str) -> datetime:
    """A robot timestamp as a datetime, whatever its number of decimals (Python 3.10 reads
    only 3 or 6) and with ``Z`` for UTC."""
    text = _FRACTION.sub(lambda m: (m.group(1) + "000000")[:7], timestamp.replace("Z", "+00:00"))
    return datetime.fromisoformat(text)


def seconds_between(started: str | None, completed: str | None) -> float | None:
    """Seconds from ``started`` to ``completed``; None when either is missing or unreadable."""
    if not (started and completed):
        return None
    try:
        return (instant(completed) - instant(started)).total_seconds()
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    """One command on the time line, in seconds since the first command started."""

    index: int
    command_type: str
    status: str
    start: float
    end: float
    words: str


@dataclass(frozen=True)
class Segment:
    """A stretch of the axis: ``start`` to ``end`` seconds, drawn from ``x`` at ``scale`` px/s
    (a shortened idle stretch has its own, smaller scale)."""

    start: float
    end: float
    x: float
    scale: float
    shortened: bool = False

    def at(self, seconds: float) -> float:
        return self.x + (seconds - self.start) * self.scale


@dataclass(frozen=True)
class Timeline:
    """The spans, their origin, the idle gaps and the axis' segments."""

    origin: datetime | None
    spans: tuple[Span, ...]
    idle: tuple[tuple[float, float], ...]
    segments: tuple[Segment, ...]
    rows: tuple[str, ...]  # the command types, in order of first appearance
    left: float  # where the plot starts, right of the row names

    def x(self, seconds: float) -> float:
        for segment in self.segments:
            if seconds <= segment.end:
                return segment.at(max(seconds, segment.start))
        return self.segments[-1].at(seconds) if self.segments else self.left

    @property
    def length(self) -> float:
        """Where the axis ends, in seconds since the first command."""
        return self.segments[-1].end if self.segments else 0.0


def spans_of(
    commands: Sequence[Mapping[str, Any]], describe: Describer, marks: Iterable[str] = ()
) -> Timeline:
    """The commands that have times, placed on the time line; the axis also reaches the
    ``marks`` (timestamps: the run's actions) that come shortly after the last command."""
    timed = []
    for index, command in enumerate(commands):
        started = command.get("startedAt") or command.get("completedAt")
        completed = command.get("completedAt") or started
        if started and completed:
            try:
                timed.append((index, command, instant(started), instant(completed)))
            except ValueError:
                continue
    if not timed:
        return Timeline(None, (), (), (), (), MIN_LEFT)
    origin = min(start for _, _, start, _ in timed)
    spans = tuple(
        Span(
            index,
            str(command["commandType"]),
            str(command.get("status", "")),
            (start - origin).total_seconds(),
            max((end - origin).total_seconds(), (start - origin).total_seconds()),
            describe(str(command["commandType"]), command.get("params") or {}),
        )
        for index, command, start, end in timed
    )
    idle = _idle(spans)
    last = max(span.end for span in spans)
    end = max([last, *(m for m in _seconds_since(origin, marks) if m <= last + max(10, last / 5))])
    rows = tuple(dict.fromkeys(span.command_type for span in spans))
    left = min(MAX_LEFT, max(MIN_LEFT, 14 + CHARACTER * max(len(row_name(s, spans)) for s in rows)))
    return Timeline(origin, spans, idle, _segments(end, idle, left), rows, left)


def _seconds_since(origin: datetime, timestamps: Iterable[str]) -> list[float]:
    seconds = []
    for timestamp in timestamps:
        try:
            seconds.append((instant(timestamp) - origin).total_seconds())
        except ValueError:
            continue
    return seconds


def row_name(command_type: str, spans: Sequence[Span]) -> str:
    """A row's name: its command type and how many commands it has (``aspirate (96)``)."""
    count = sum(1 for span in spans if span.command_type == command_type)
    return f"{command_type} ({count})"


def _idle(spans: Iterable[Span]) -> tuple[tuple[float, float], ...]:
    """The stretches in which no command ran, longer than a blink (commands come a few ms
    apart even when nothing waits)."""
    ordered = sorted(spans, key=lambda span: span.start)
    if not ordered:
        return ()
    length = max(span.end for span in ordered)
    least = max(0.5, length / 400)
    gaps = []
    busy_until = ordered[0].end
    for span in ordered[1:]:
        if span.start - busy_until >= least:
            gaps.append((busy_until, span.start))
        busy_until = max(busy_until, span.end)
    return tuple(gaps)


def _segments(
    length: float, idle: Sequence[tuple[float, float]], left: float
) -> tuple[Segment, ...]:
    """The axis in pieces: idle stretches longer than the time left (and than a minute) are
    shortened to a fixed width; the rest shares the plot's width in proportion to time."""
    long_gaps = [(a, b) for a, b in idle if b - a > 60]
    while long_gaps:
        kept = length - sum(b - a for a, b in long_gaps)
        shortest = min(long_gaps, key=lambda gap: gap[1] - gap[0])
        if shortest[1] - shortest[0] > kept:
            break
        long_gaps.remove(shortest)  # shorter than the work around it: drawn to scale
    width = WIDTH - left - RIGHT - BREAK * len(long_gaps)
    kept = max(length - sum(b - a for a, b in long_gaps), 1e-3)
    scale = width / kept
    segments: list[Segment] = []
    x, at = left, 0.0
    for start, end in long_gaps:
        segments.append(Segment(at, start, x, scale))
        x += (start - at) * scale
        segments.append(Segment(start, end, x, BREAK / (end - start), shortened=True))
        x += BREAK
        at = end
    segments.append(Segment(at, max(length, at + 1e-3), x, scale))
    return tuple(segments)


def duration_words(seconds: float) -> str:
    """``12 ms``, ``4.5 s``, ``3 min 20 s``, ``2 h 05 min``."""
    if seconds < 0.9995:  # 999.6 ms would read "1e+03 ms"
        return f"{seconds * 1000:.3g} ms" if seconds >= 0.0005 else "0 ms"
    if seconds < 10:
        return f"{seconds:.3g} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"


def clock_words(seconds: float) -> str:
    """A time since the start: ``12.5 s``, ``4:05`` (minutes), ``1:02:03`` (hours)."""
    if seconds < 60:
        return f"{seconds:.3g} s" if seconds < 10 else f"{seconds:.0f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
