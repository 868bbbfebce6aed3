"""What a protocol run on the robot shows while it goes.

On a terminal: the title, a progress bar of the commands done out of the analysis' total with
the elapsed and remaining time, and the command running now in words (naming its labware and
slot), on three lines that fit 80 columns. Elsewhere (logs, pipes, CI): one plain
line per finished command.

Example::

    with RunProgress(output, "transfer.py on 10.0.0.5", analysis.commands) as progress:
        for command in client.follow_run(run.id):
            progress.finished(command)
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from types import TracebackType

from rich.console import RenderableType
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from otlink.models import CommandStatus, CommandSummary
from otlink.models.command_words import CommandWords

from .output import Output


class _StackedProgress(Progress):
    """The title, the bar with its counts and times, and the command running now, each on a
    line of its own, cut to the terminal's width: readable at 80 columns (one row would drop
    the bar and the counts to make room for the words)."""

    def get_renderables(self) -> Iterable[RenderableType]:
        for task in self.tasks:
            for markup in (f"[bold]{task.fields['title']}[/]", None, task.description):
                if markup is None:
                    yield self.make_tasks_table([task])
                    continue
                line = Text.from_markup(markup, overflow="ellipsis")
                line.no_wrap = True
                yield line


class RunProgress:
    """Follows the commands of a run against the ``planned`` ones of its analysis."""

    def __init__(
        self,
        output: Output,
        title: str,
        planned: Sequence[CommandSummary],
        words: CommandWords | None = None,
    ) -> None:
        self.output = output
        self.title = title
        self.planned = list(planned)
        self.words = words or CommandWords()
        self.done = 0
        self.failed: CommandSummary | None = None
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    @property
    def total(self) -> int:
        return max(len(self.planned), self.done)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def current(self) -> str:
        """The command running now, in words: the next one the analysis planned."""
        if self.done < len(self.planned):
            upcoming = self.planned[self.done]
            return self.words(upcoming.commandType, upcoming.params)
        return "finishing"

    def __enter__(self) -> RunProgress:
        self.started = time.monotonic()
        if self.output.console.is_terminal and not self.output.as_json:
            self._bar = _StackedProgress(
                BarColumn(bar_width=30),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("[dim]elapsed,"),
                TimeRemainingColumn(),
                TextColumn("[dim]left"),
                console=self.output.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(
                escape(self.current), total=self.total, title=escape(self.title)
            )
        else:
            self.output.line(escape(f"{self.title}: {self.total} commands planned"))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.suspend()

    def finished(self, command: CommandSummary) -> None:
        """One more command of the run has finished (succeeded or failed)."""
        self.done += 1
        if command.status == CommandStatus.FAILED and self.failed is None:
            self.failed = command
        if self._bar is not None and self._task is not None:
            self._bar.update(
                self._task, completed=self.done, total=self.total, description=escape(self.current)
            )
            return
        # The analysis' twin of the command knows its labware (the run's ids are new ones).
        twin = self.planned[self.done - 1] if self.done <= len(self.planned) else command
        if twin.commandType != command.commandType:
            twin = command
        words = self.words(twin.commandType, twin.params)
        self.output.line(
            escape(f"[{self.elapsed:7.1f}s] {self.done}/{self.total} {words}: {command.status}")
        )

    def note(self, text: str) -> None:
        """Say something about the run (paused, resumed...) without breaking the display."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=escape(text))
        else:
            self.output.line(escape(f"[{self.elapsed:7.1f}s] {text}"))

    def suspend(self) -> None:
        """Take the bar off the screen (to ask a question); :meth:`resume` brings it back."""
        if self._bar is not None:
            self._bar.stop()

    def resume(self) -> None:
        if self._bar is not None:
            self._bar.start()
