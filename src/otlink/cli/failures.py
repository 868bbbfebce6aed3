"""Errors mapped to what the user reads and the exit code, in one place for every command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from otlink.errors import (
    CommandFailed,
    LiveRunBroken,
    MissingExtra,
    OtlinkError,
    PreflightFailed,
    RobotUnreachable,
    RunConflict,
)

from .exit_codes import ExitCode
from .output import Output

F = TypeVar("F", bound=Callable[..., Any])


def exit_code_for(error: BaseException) -> ExitCode:
    if isinstance(error, MissingExtra):
        return ExitCode.USAGE
    if isinstance(error, RobotUnreachable):
        return ExitCode.ROBOT_UNREACHABLE
    if isinstance(error, CommandFailed | PreflightFailed | LiveRunBroken):
        return ExitCode.PROTOCOL_FAILED
    if isinstance(error, OtlinkError):
        return ExitCode.ROBOT_ERROR
    return ExitCode.FAILURE


def hint_for(error: BaseException) -> str | None:
    if isinstance(error, RunConflict):
        return error.hint
    if isinstance(error, RobotUnreachable):
        return "check the address and that the robot is on (otlink discover finds robots)"
    return None


def reports_failures(command: F) -> F:
    """Turn otlink's errors into a message, a hint and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OtlinkError as error:
            output = click.get_current_context().find_object(Output) or Output()
            code = exit_code_for(error)
            failed = output.fail(str(error), code, hint=hint_for(error))
            raise click.exceptions.Exit(failed) from error

    return wrapper  # type: ignore[return-value]
