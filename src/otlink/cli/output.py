"""The one place the CLI writes to the terminal: rich for people, ``--json`` for scripts."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console, RenderableType
from rich.markup import escape

from .exit_codes import ExitCode


@dataclass(frozen=True)
class Failure:
    """What went wrong, as shown: the message, the fix, where, and the exit code."""

    message: str
    code: ExitCode
    error_type: str
    detail: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "error": self.message,
            "errorType": self.error_type,
            "detail": self.detail,
            "file": self.file,
            "line": self.line,
            "hint": self.hint,
            "exitCode": int(self.code),
        }


class Output:
    """Everything a command shows goes through here."""

    def __init__(self, *, as_json: bool = False) -> None:
        self.as_json = as_json
        self.console = Console(highlight=False)
        self.errors = Console(stderr=True, highlight=False)

    def line(self, text: str) -> None:
        """Print rich markup; put data through :func:`rich.markup.escape` first."""
        if not self.as_json:
            self.console.print(text, soft_wrap=True)

    def show(self, renderable: RenderableType) -> None:
        """Print a rich renderable (a table...); nothing in JSON mode."""
        if not self.as_json:
            self.console.print(renderable, crop=False)

    def text(self, text: str) -> None:
        """Write ``text`` exactly as it is (CSV...), no markup and no wrapping."""
        if not self.as_json:
            sys.stdout.write(text)
            sys.stdout.flush()

    def data(self, value: Any) -> None:
        if self.as_json:
            sys.stdout.write(json.dumps(value, default=str) + "\n")
            sys.stdout.flush()

    def fail(
        self, failure: Failure | str, code: ExitCode = ExitCode.FAILURE, *, hint: str | None = None
    ) -> ExitCode:
        """Say what went wrong (and how to fix it); the exit code to end with. Commands raise
        otlink errors instead (see :mod:`otlink.cli.failures`); a message and ``code`` are for
        what has no otlink error (a server that cannot start)."""
        if isinstance(failure, str):
            failure = Failure(failure, code, "Failure", failure, hint=hint)
        if self.as_json:
            self.data(failure.to_record())
        else:
            self.errors.print(f"[bold red]error:[/] {escape(failure.message)}", soft_wrap=True)
            if failure.hint:
                self.errors.print(f"[dim]hint:[/] {escape(failure.hint)}", soft_wrap=True)
        return failure.code


def command_output(*, as_json: bool = False) -> Output:
    """The output of the command being run, registered on its click context so that
    :func:`~otlink.cli.failures.reports_failures` reports errors the same way (JSON with
    ``--json``)."""
    output = Output(as_json=as_json)
    click.get_current_context().obj = output
    return output
