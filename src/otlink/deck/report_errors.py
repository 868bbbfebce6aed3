"""What went wrong in a run, as its report shows it: the run's errors with the protocol line they
name, the command that failed, and that line of the protocol's source when it is at hand.

A robot gives a Python protocol's failure as an ``ExceptionInProtocolError`` whose detail names
the line (``ProtocolCommandFailedError [line 9]: ...``), wrapping the error of the command that
failed (same id as that command's ``error``), which may wrap its own cause.

Example::

    for failure in run_failures(run.errors, commands):
        print(failure.line, failure.cause_type, failure.cause)   # 9 TipNotAttachedError ...
        print(source_excerpt(Path("transfer.py").read_text(), failure.line))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from otlink.models import CommandError

_LINE = re.compile(r"\[line (\d+)\]")
_EXCERPT_BEFORE = 3
_EXCERPT_AFTER = 2


@dataclass(frozen=True)
class RunFailure:
    """One of a run's errors: its type, code and detail as the robot gave them, the protocol
    ``line`` it names, and its innermost cause (what the command that failed said)."""

    error_type: str
    error_code: str
    detail: str
    line: int | None
    cause_type: str
    cause: str
    cause_info: Mapping[str, Any]
    #: the failed command's index in the run's command list, when it is known
    command_index: int | None


def protocol_line(detail: str) -> int | None:
    """The protocol line a robot's error detail names (``... [line 9]: ...``), if any.

    >>> protocol_line("ProtocolCommandFailedError [line 9]: Error 4000 GENERAL_ERROR")
    9
    """
    found = _LINE.search(detail)
    return int(found.group(1)) if found else None


def _chain(error: CommandError) -> list[CommandError]:
    """``error`` and everything it wraps, outermost first (first wrapped error at each level)."""
    chain = [error]
    while chain[-1].wrappedErrors:
        chain.append(chain[-1].wrappedErrors[0])
    return chain


def run_failures(
    errors: Iterable[CommandError], commands: Sequence[Mapping[str, Any]]
) -> list[RunFailure]:
    """The run's errors, each tied to the command that failed where the robot says which."""
    failed_ids = {
        (command.get("error") or {}).get("id"): index
        for index, command in enumerate(commands)
        if command.get("status") == "failed"
    }
    failures = []
    for error in errors:
        chain = _chain(error)
        index = next((failed_ids[e.id] for e in chain if e.id in failed_ids), None)
        cause = chain[-1]
        line = next((protocol_line(e.detail) for e in chain if protocol_line(e.detail)), None)
        failures.append(
            RunFailure(
                error.errorType,
                error.errorCode,
                error.detail,
                line,
                cause.errorType,
                cause.detail,
                cause.errorInfo,
                index,
            )
        )
    return failures


def failed_commands(commands: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """The run's failed commands with their indexes (a live run can go on after one)."""
    return [(i, c) for i, c in enumerate(commands) if c.get("status") == "failed"]


def source_excerpt(source: str, line: int) -> list[tuple[int, str, bool]]:
    """The lines around ``line`` of ``source``: ``(number, text, is_the_line)``; empty when the
    source has no such line (another version of the file)."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return []
    first = max(1, line - _EXCERPT_BEFORE)
    last = min(len(lines), line + _EXCERPT_AFTER)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]
