"""Flows for commands, shared by the three places commands live: a run
(``/runs/{id}/commands``), a maintenance run and the stateless ``/commands``.

At most once: every command carries a key made here. When the connection breaks during the
POST, the robot may or may not have the command; the flow asks the robot (the newest
commands first) for that key and only sends again when the key is not there. If the robot
cannot be asked, :class:`~otlink.errors.CommandOutcomeUnknown` is raised and nothing is sent.

Waiting happens on the robot (``waitUntilComplete`` with a ``timeout`` in ms), for at most
``ClientOptions.command_hold`` per request. The robot has no way to wait again on a command it
already holds, so a command that runs longer (a thermocycler profile) is then looked at with
GETs at a growing interval. A wait that runs out raises :class:`~otlink.errors.CommandTimeout`
and never cancels the command.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from otlink.client.calls import call_data, exhausted, fetch
from otlink.client.options import ClientOptions
from otlink.client.responses import read
from otlink.client.steps import Emit, Flow, Request, Sleep, Stream
from otlink.errors import CommandFailed, CommandOutcomeUnknown, CommandTimeout, RobotUnreachable
from otlink.models import Body, Command, CommandIntent, CommandPage, CommandStatus, CommandSummary

__all__ = [
    "command_data",
    "enqueue",
    "failure_of",
    "find",
    "get",
    "iterate",
    "list_page",
    "new_key",
    "wait",
]

# How many commands one look-up request reads, going back from the newest.
_LOOKUP_PAGE = 200


# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_CommandBody = Body[Command]


def new_key() -> str:
    """A fresh command key, unique across clients and runs."""
    return f"otlink-{uuid.uuid4().hex}"


def failure_of(command: Command) -> CommandFailed:
    """The :class:`~otlink.errors.CommandFailed` for a failed ``command``."""
    error = command.error
    return CommandFailed(
        command,
        error_type=error.errorType if error else "UnknownError",
        error_code=error.errorCode if error else "4000",
        detail=error.detail if error else "the robot gave no reason",
        wrapped_errors=error.wrappedErrors if error else (),
    )


def command_data(
    command_type: str,
    params: Mapping[str, Any] | None,
    *,
    intent: CommandIntent | str | None,
    key: str | None,
) -> dict[str, Any]:
    """The ``data`` of a command POST, with a fresh key unless one is given."""
    data: dict[str, Any] = {
        "commandType": command_type,
        "params": dict(params) if params else {},
        "key": key or new_key(),
    }
    if intent is not None:
        data["intent"] = intent.value if isinstance(intent, CommandIntent) else intent
    return data


def enqueue(
    options: ClientOptions,
    commands_path: str,
    command_type: str,
    params: Mapping[str, Any] | None,
    *,
    intent: CommandIntent | str | None,
    key: str | None,
    wait: bool,
    timeout: float | None,
    check: bool,
) -> Flow[Command]:
    """Post a command to ``commands_path`` at most once, and wait for it if asked."""
    started = time.monotonic()
    data = command_data(command_type, params, intent=intent, key=key)
    query: dict[str, str | int] | None = None
    read_timeout = None
    if wait:
        hold = options.command_hold if timeout is None else min(timeout, options.command_hold)
        query = {"waitUntilComplete": "true", "timeout": max(1, round(hold * 1000))}
        read_timeout = hold + options.timeout
    request = Request(
        "POST", commands_path, params=query, json={"data": data}, read_timeout=read_timeout
    )
    command = yield from _post_at_most_once(options, commands_path, request, data["key"])
    if wait and not command.is_done:
        command = yield from _watch(options, commands_path, command, started, timeout)
    if check and command.status == CommandStatus.FAILED:
        raise failure_of(command)
    return command


def _post_at_most_once(
    options: ClientOptions, commands_path: str, request: Request, key: str
) -> Flow[Command]:
    since = time.monotonic()
    tries = 0
    while True:
        tries += 1
        try:
            response = yield request
            return read(response, _CommandBody).data
        except RobotUnreachable as error:
            lost = error
        if tries >= options.attempts and not lost.maybe_sent:
            raise exhausted(lost, request, tries, since) from lost
        if not lost.maybe_sent:
            yield Sleep(options.backoff_delay(tries))
            continue
        yield Sleep(options.settle)
        try:
            found = yield from find(options, commands_path, key)
        except RobotUnreachable as gone:
            raise CommandOutcomeUnknown(
                gone.host,
                f"{request.describe()} was cut off, then {gone.tried}",
                gone.cause,
                key=key,
                attempts=tries,
            ) from lost
        if found is not None:
            return (yield from get(options, commands_path, found.id))
        if tries >= options.attempts:
            raise exhausted(lost, request, tries, since) from lost


def _watch(
    options: ClientOptions,
    commands_path: str,
    command: Command,
    started: float,
    timeout: float | None,
) -> Flow[Command]:
    interval = options.poll_interval
    while not command.is_done:
        waited = time.monotonic() - started
        if timeout is not None and waited >= timeout:
            raise CommandTimeout(command, waited)
        yield Sleep(interval if timeout is None else min(interval, timeout - waited))
        interval = options.next_poll(interval)
        command = yield from get(options, commands_path, command.id)
    return command


def wait(
    options: ClientOptions, commands_path: str, command_id: str, timeout: float | None
) -> Flow[Command]:
    """Wait until a command the robot already has is done."""
    started = time.monotonic()
    command = yield from get(options, commands_path, command_id)
    return (yield from _watch(options, commands_path, command, started, timeout))


def get(options: ClientOptions, commands_path: str, command_id: str) -> Flow[Command]:
    """One command, in full."""
    request = Request("GET", f"{commands_path}/{command_id}")
    return (yield from call_data(options, request, _CommandBody, idempotent=True))


def list_page(
    options: ClientOptions,
    commands_path: str,
    cursor: int | None,
    page_length: int,
    extra: Mapping[str, str] | None = None,
) -> Flow[CommandPage]:
    """A page of command summaries starting at ``cursor`` (``None``: the robot picks a page
    that ends at the running or latest command)."""
    query: dict[str, str | int] = {"pageLength": page_length, **(extra or {})}
    if cursor is not None:
        query["cursor"] = cursor
    return (yield from fetch(options, Request("GET", commands_path, params=query), CommandPage))


def iterate(options: ClientOptions, commands_path: str, page_length: int) -> Stream[CommandSummary]:
    """Every command, oldest first, a page at a time."""
    cursor = 0
    while True:
        page = yield from list_page(options, commands_path, cursor, page_length)
        for command in page.data:
            yield Emit(command)
        cursor = page.meta.cursor + len(page.data)
        if not page.data or cursor >= page.meta.totalLength:
            return


def find(options: ClientOptions, commands_path: str, key: str) -> Flow[CommandSummary | None]:
    """The command with ``key``, looking from the newest back, or ``None``."""
    probe = yield from list_page(options, commands_path, None, 1)
    end = probe.meta.totalLength
    while end > 0:
        start = max(0, end - _LOOKUP_PAGE)
        page = yield from list_page(options, commands_path, start, end - start)
        for command in reversed(page.data):
            if command.key == key:
                return command
        end = start
    return None
