"""Errors turned into what the user reads and the exit code: the one place for every command.

A command raises; :func:`reports_failures` catches, and :func:`failure_of` says what it was:
one line naming the problem, one naming the fix, and the documented exit code. Under
``--json`` the same comes as one object (``error``, ``errorType``, ``detail``, ``file``,
``line``, ``hint``, ``exitCode``).

Example::

    @click.command()
    @reports_failures
    def lights() -> None:
        raise NoRobotGiven("no robot given", hint="pass --robot HOST")   # exit 2
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from otlink.errors import (
    ApiError,
    CommandFailed,
    InvalidInput,
    LiveRunBroken,
    MissingExtra,
    OtlinkError,
    PreflightFailed,
    ProtocolFailed,
    ProtocolFileError,
    RobotUnreachable,
    RunConflict,
    RunInterrupted,
)

from .exit_codes import ExitCode
from .failure_hints import hint_for_failure
from .output import Failure, Output

F = TypeVar("F", bound=Callable[..., Any])

_PROTOCOL_ERRORS = (
    ProtocolFailed,
    ProtocolFileError,
    CommandFailed,
    PreflightFailed,
    LiveRunBroken,
)


def exit_code_for(error: BaseException) -> ExitCode:
    """The README's exit code for ``error``."""
    if isinstance(error, InvalidInput | MissingExtra | click.UsageError):
        return ExitCode.USAGE
    if isinstance(error, RobotUnreachable):
        return ExitCode.ROBOT_UNREACHABLE
    if isinstance(error, RunInterrupted):
        return ExitCode.INTERRUPTED
    if isinstance(error, _PROTOCOL_ERRORS):
        return ExitCode.PROTOCOL_FAILED
    if isinstance(error, OtlinkError):
        return ExitCode.ROBOT_ERROR
    return ExitCode.FAILURE


def failure_of(error: OtlinkError | click.ClickException) -> Failure:
    """How ``error`` is shown."""
    if isinstance(error, click.ClickException):
        return Failure(
            error.format_message(),
            exit_code_for(error),
            "UsageError",
            str(error),
            hint=_usage_hint(error),
        )
    error_type = str(getattr(error, "error_type", None) or getattr(error, "error_id", None) or "")
    detail = str(getattr(error, "detail", None) or error)
    hint = hint_for_failure(error_type, one_line(detail)) or error.hint
    if isinstance(error, RobotUnreachable):
        hint = "check the address and that the robot is on (otlink discover finds robots)"
        if "Timeout" in error.cause:
            hint = f"the robot at {error.host} took too long to answer: is it busy or hung? Try"
            hint += " again, or pass a longer --timeout"
    if hint is None and error.line is not None and isinstance(error, _PROTOCOL_ERRORS):
        hint = f"fix line {error.line} of {Path(error.file or 'the protocol').name}"
    if isinstance(error, ApiError) and not error_type:
        error_type = f"HTTP {error.status}"
    # A conflict's own text ends in its hint, shown on the hint line here.
    message = ApiError.__str__(error) if isinstance(error, RunConflict) else str(error)
    return Failure(
        message=one_line(message),
        code=exit_code_for(error),
        error_type=error_type or type(error).__name__,
        detail=one_line(detail),
        hint=hint,
        file=error.file or getattr(error, "filename", None),
        line=error.line,
    )


def _usage_hint(error: click.ClickException) -> str | None:
    """How to call the command, for a usage error: its usage line and where to read more."""
    context = getattr(error, "ctx", None) or click.get_current_context(silent=True)
    if context is None:
        return None
    usage = context.get_usage().strip().removeprefix("Usage: ")
    return f"usage: {usage} ({context.command_path} --help says more)"


class ReportingGroup(click.Group):
    """The ``otlink`` group: a usage error or a bad file met while reading the command line is
    told as every other failure (one line and its fix, JSON under ``--json``), not as click's
    usage text."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["otlink.argv"] = list(args)
        with _reported(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        with _reported(ctx):
            return super().invoke(ctx)


@contextlib.contextmanager
def _reported(ctx: click.Context) -> Iterator[None]:
    try:
        yield
    except (OtlinkError, click.UsageError) as error:
        argv = ctx.meta.get("otlink.argv", [])
        output = Output(as_json=_asks_for_json(argv))
        raise click.exceptions.Exit(output.fail(failure_of(error))) from error


def _asks_for_json(argv: list[str]) -> bool:
    """Whether the command line asks for JSON (read before click could parse it)."""
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return any(a in ("--json", "--format=json") or (a, b) == ("--format", "json") for a, b in pairs)


def one_line(text: str) -> str:
    """``text`` on one line: opentrons' legacy core writes some errors over several indented
    lines, with advice for the Opentrons App that the hint replaces."""
    text = text.split("If you are referencing a custom labware in your")[0]
    return " ".join(text.split())


def reports_failures(command: F) -> F:
    """Turn otlink's errors (and usage errors met while running) into a message, a hint and the
    documented exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (OtlinkError, click.UsageError) as error:
            output = click.get_current_context().find_object(Output) or Output()
            raise click.exceptions.Exit(output.fail(failure_of(error))) from error

    return wrapper  # type: ignore[return-value]
