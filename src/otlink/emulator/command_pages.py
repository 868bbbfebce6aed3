"""Pages of a run's commands, as GET /runs/{id}/commands answers them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opentrons.protocol_engine import Command
from opentrons.protocol_runner import RunOrchestrator

SUMMARY_FIELDS = (
    "id",
    "key",
    "commandType",
    "createdAt",
    "startedAt",
    "completedAt",
    "status",
    "params",
    "error",
    "intent",
    "notes",
    "failedCommandId",
)


@dataclass(frozen=True)
class Pointer:
    """The running or most recent command: where ``links.current`` points."""

    command_id: str
    key: str
    created_at: Any
    index: int


@dataclass(frozen=True)
class CommandPage:
    commands: list[Command]
    cursor: int
    total: int
    current: Pointer | None


def summary(command: Command) -> dict[str, Any]:
    """A command as the list shows it: everything but its result."""
    dumped = command.model_dump(exclude_none=True, by_alias=True, include=set(SUMMARY_FIELDS))
    return {name: dumped[name] for name in SUMMARY_FIELDS if name in dumped}


def command_page(
    orchestrator: RunOrchestrator, cursor: int | None, length: int, include_fixit: bool
) -> CommandPage:
    page = orchestrator.get_command_slice(
        cursor=cursor, length=length, include_fixit_commands=include_fixit
    )
    pointer = orchestrator.get_current_command()
    current = (
        Pointer(pointer.command_id, pointer.command_key, pointer.created_at, pointer.index)
        if pointer is not None
        else None
    )
    return CommandPage(page.commands, page.cursor, page.total_length, current)


def history_page(commands: list[Command], cursor: int | None, length: int) -> CommandPage:
    """A page of a finished run's commands; without a cursor, the page ends at the last one."""
    total = len(commands)
    if cursor is None:
        cursor = max(total - length, 0)
    start = max(0, min(cursor, total - 1))
    last = commands[-1] if commands else None
    current = Pointer(last.id, last.key, last.createdAt, total - 1) if last else None
    return CommandPage(commands[start : start + length], start, total, current)


def current_link(run_id: str, current: Pointer | None, base: str = "/runs") -> dict[str, Any]:
    if current is None:
        return {}
    return {
        "current": {
            "href": f"{base}/{run_id}/commands/{current.command_id}",
            "meta": {
                "runId": run_id,
                "commandId": current.command_id,
                "index": current.index,
                "key": current.key,
                "createdAt": current.created_at,
            },
        }
    }
