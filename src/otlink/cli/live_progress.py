"""What a live run shows while it goes: the current step (naming its labware and slot), how many
so far, elapsed time."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from rich.live import Live
from rich.markup import escape
from rich.text import Text

from otlink.models.command_words import CommandWords

from .labware_names import display_name
from .output import Output


class LiveProgress:
    """Shows each robot command as it starts: one updating line on a terminal, plain lines
    otherwise (logs, pipes, CI)."""

    def __init__(self, output: Output, title: str) -> None:
        self.output = output
        self.title = title
        self.count = 0
        self.current = "starting"
        self.words = CommandWords(name_of=display_name)
        self.started = time.monotonic()
        self.plan: Any = None  # the whole-protocol check (steps, time estimate), once known
        self._live: Live | None = None

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def __enter__(self) -> LiveProgress:
        if self.output.console.is_terminal and not self.output.as_json:
            self._live = Live(self._line(), console=self.output.console, transient=True)
            self._live.__enter__()
        else:
            self.output.line(escape(self.title))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.__exit__(kind, error, trace)

    def planned(self, check: Any) -> None:
        """The whole-protocol check passed: show steps done of its total, and time left."""
        self.plan = check
        self.output.line(
            escape(f"Checked: {check.steps} steps, about {_duration(check.seconds)} on the robot.")
        )

    def _of_total(self) -> str:
        if self.plan is None:
            return ""
        return f" of {self.plan.steps}, ~{_duration(self.plan.seconds_after(self.count))} left"

    def __call__(self, command_type: str, params: Mapping[str, Any]) -> None:
        self.count += 1
        self.current = self.words(command_type, params)
        if self._live is not None:
            self._live.update(self._line())
        else:
            self.output.line(
                escape(f"[{self.elapsed:7.1f}s] #{self.count}{self._of_total()} {self.current}")
            )

    def _line(self) -> Text:
        return Text.assemble(
            (f"{self.title}  ", "bold"),
            f"step {self.count}{self._of_total()}: {self.current}",
            (f"  {self.elapsed:.1f}s", "dim"),
        )


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
