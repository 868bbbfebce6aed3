"""The one place the CLI writes to the terminal: rich for people, ``--json`` for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console, RenderableType
from rich.markup import escape

from .exit_codes import ExitCode


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

    def fail(self, message: str, code: ExitCode, *, hint: str | None = None) -> ExitCode:
        if self.as_json:
            self.data({"error": message, "hint": hint, "exitCode": int(code)})
        else:
            self.errors.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
            if hint:
                self.errors.print(f"[dim]hint:[/] {escape(hint)}", soft_wrap=True)
        return code


def command_output(*, as_json: bool = False) -> Output:
    """The output of the command being run, registered on its click context so that
    :func:`~otlink.cli.failures.reports_failures` reports errors the same way (JSON with
    ``--json``)."""
    output = Output(as_json=as_json)
    click.get_current_context().obj = output
    return output
