"""What the console knows about a robot at one moment, built from the robot's own answers.

A :class:`RobotState` is replaced (never changed) after every poll, so a page rendering it
never sees half an update.

Example::

    progress = RunProgress.read(run, page, planned)
    print(f"{progress.done} of {progress.total}: {progress.current}")
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from otlink.models import (
    CommandError,
    CommandPage,
    CommandSummary,
    Health,
    Module,
    PipettesByMount,
    Run,
    RunStatus,
)
from otlink.models.command_words import describe

__all__ = ["RobotState", "RunProgress", "error_line", "module_words", "seconds_between"]

_LINE = re.compile(r"\[line (\d+)\]")
#: Statuses in which Pause, Resume or Stop mean something.
ACTIVE = frozenset(
    {RunStatus.IDLE, RunStatus.RUNNING, RunStatus.PAUSED, RunStatus.BLOCKED_BY_OPEN_DOOR}
)


def parse_time(text: str | None) -> datetime | None:
    """A robot timestamp (ISO 8601) as an aware datetime."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def seconds_between(start: str | None, end: str | None) -> float | None:
    """Seconds from the robot timestamp ``start`` to ``end`` (default: now)."""
    began = parse_time(start)
    if began is None:
        return None
    ended = parse_time(end) or datetime.now(timezone.utc)
    return max((ended - began).total_seconds(), 0.0)


def error_line(error: CommandError) -> int | None:
    """The protocol line the robot names in ``error`` (``[line 9]``), if any."""
    found = _LINE.search(error.detail)
    return int(found.group(1)) if found else None


def module_words(module: Module) -> str:
    """A module's live state in a few words: ``temperature 4.0 °C (holding at target)``."""
    data = module.data
    words = [str(data.get("status", ""))]
    if data.get("currentTemperature") is not None:
        words.insert(0, f"{data['currentTemperature']:g} °C")
    if data.get("targetTemperature") is not None:
        words.append(f"target {data['targetTemperature']:g} °C")
    if data.get("lidStatus"):
        words.append(f"lid {data['lidStatus']}")
    if data.get("height") is not None and module.moduleType == "magneticModuleType":
        words.append(f"magnet at {data['height']:g} mm")
    return ", ".join(word for word in words if word)


@dataclass(frozen=True)
class RunProgress:
    """How far a run has come: ``done`` of ``total`` commands (``None`` when no analysis
    planned them, as for a live run), the step in words, times, and the robot's errors."""

    run_id: str
    status: str
    done: int
    total: int | None
    current: str
    elapsed: float | None
    errors: tuple[CommandError, ...] = ()

    @property
    def remaining(self) -> float | None:
        """Seconds left, at the pace so far (``None`` until a command has finished)."""
        if self.total is None or not self.done or self.elapsed is None:
            return None
        if self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.STOPPED):
            return 0.0
        return self.elapsed / self.done * max(self.total - self.done, 0)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == RunStatus.SUCCEEDED else 0
        return min(100, round(100 * self.done / self.total))

    @classmethod
    def read(
        cls, run: Run, page: CommandPage, planned: Sequence[CommandSummary] | None
    ) -> RunProgress:
        """The progress of ``run`` from the last page of its commands and, for a protocol
        run, the commands its analysis ``planned``."""
        latest = page.data[-1] if page.data else None
        done = page.meta.cursor + len(page.data) if latest is not None else 0
        if latest is not None and not latest.is_done:
            done -= 1
        if latest is not None and not latest.is_done:
            current = describe(latest.commandType, latest.params)
        elif planned is not None and done < len(planned) and not run.is_done:
            upcoming = planned[done]
            current = describe(upcoming.commandType, upcoming.params)
        elif run.is_done:
            current = str(run.status)
        else:
            current = "waiting for the next command"
        total = None if planned is None else max(len(planned), done)
        failed = tuple(c.error for c in page.data if c.error is not None)
        return cls(
            run_id=run.id,
            status=str(run.status),
            done=done,
            total=total,
            current=current,
            elapsed=seconds_between(run.startedAt, run.completedAt),
            errors=tuple(run.errors) or failed,
        )


@dataclass(frozen=True)
class RobotState:
    """One robot as last seen: ``reachable`` is ``None`` before the first answer."""

    key: str
    url: str
    via: str = "configured"
    reachable: bool | None = None
    problem: str | None = None
    health: Health | None = None
    pipettes: PipettesByMount | None = None
    modules: tuple[Module, ...] = ()
    lights: bool | None = None
    run: Run | None = None
    progress: RunProgress | None = None
    protocol_name: str | None = None
    polls: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        return self.health.name if self.health else self.url

    @property
    def active_run(self) -> Run | None:
        """The current run if it has not ended."""
        if self.run is not None and self.run.current and not self.run.is_done:
            return self.run
        return None

    @property
    def can_pause(self) -> bool:
        return self.active_run is not None and self.active_run.status == RunStatus.RUNNING

    @property
    def can_resume(self) -> bool:
        run = self.active_run
        return run is not None and run.status == RunStatus.PAUSED

    @property
    def can_stop(self) -> bool:
        return self.active_run is not None and self.active_run.status in ACTIVE
