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

import functools
from collections.abc import Callable
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
        return Failure(error.format_message(), exit_code_for(error), "UsageError", str(error))
    error_type = str(getattr(error, "error_type", None) or getattr(error, "error_id", None) or "")
    detail = str(getattr(error, "detail", None) or error)
    hint = hint_for_failure(error_type, detail) or error.hint
    if isinstance(error, RobotUnreachable):
        hint = "check the address and that the robot is on (otlink discover finds robots)"
        if "Timeout" in error.cause:
            hint = f"the robot at {error.host} took too long to answer: is it busy or hung? Try"
            hint += " again, or pass a longer --timeout"
    if isinstance(error, ApiError) and not error_type:
        error_type = f"HTTP {error.status}"
    # A conflict's own text ends in its hint, shown on the hint line here.
    message = ApiError.__str__(error) if isinstance(error, RunConflict) else str(error)
    return Failure(
        message=message,
        code=exit_code_for(error),
        error_type=error_type or type(error).__name__,
        detail=detail,
        hint=hint,
        file=error.file or getattr(error, "filename", None),
        line=error.line,
    )


def reports_failures(command: F) -> F:
    """Turn otlink's errors (and usage errors met while running) into a message, a hint and the
    documented exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (OtlinkError, click.UsageError) as error:
            output = click.get_current_context().find_object(Output) or Output()
            if isinstance(error, click.UsageError) and not output.as_json:
                raise
            raise click.exceptions.Exit(output.fail(failure_of(error))) from error

    return wrapper  # type: ignore[return-value]
