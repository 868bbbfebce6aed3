"""Flows for the commands of a run (``/runs/{id}/commands``); see
:mod:`otlink.client.commands` for at-most-once delivery and waiting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otlink.client import commands
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, Stream
from otlink.models import Command, CommandIntent, CommandPage, CommandSummary


def _path(run_id: str) -> str:
    return f"/runs/{run_id}/commands"


def enqueue_command(
    options: ClientOptions,
    run_id: str,
    command_type: str,
    params: Mapping[str, Any] | None = None,
    *,
    intent: CommandIntent | str = CommandIntent.SETUP,
    key: str | None = None,
    wait: bool = True,
    timeout: float | None = None,
    check: bool = True,
) -> Flow[Command]:
    """Send one command to the run, at most once, and (by default) wait until it is done.

    Args:
        run_id: the current run.
        command_type: e.g. ``"aspirate"``; ``params`` are its parameters.
        intent: ``setup`` (the default) runs at once, but only before the run is played;
            ``protocol`` waits for ``play``.
        key: your own key for the command (default: a fresh unique one).
        wait: wait on the robot until the command is done (else return it ``queued``).
        timeout: seconds to wait at most (default: no limit); on expiry
            :class:`~otlink.errors.CommandTimeout` is raised and the command goes on.
        check: raise :class:`~otlink.errors.CommandFailed` if the command failed
            (else return the failed command).

    Example::

        tip = client.enqueue_command(run.id, "pickUpTip", {
            "pipetteId": pipette_id, "labwareId": tiprack_id, "wellName": "A1"})
        print(tip.result["tipVolume"])
    """
    return (
        yield from commands.enqueue(
            options,
            _path(run_id),
            command_type,
            params,
            intent=intent,
            key=key,
            wait=wait,
            timeout=timeout,
            check=check,
        )
    )


def wait_for_command(
    options: ClientOptions, run_id: str, command_id: str, timeout: float | None = None
) -> Flow[Command]:
    """Wait until a command already sent is done (e.g. after a
    :class:`~otlink.errors.CommandTimeout`), looking at it at a growing interval.

    Example::

        command = client.wait_for_command(run.id, command.id, timeout=3600)
    """
    return (yield from commands.wait(options, _path(run_id), command_id, timeout))


def get_command(options: ClientOptions, run_id: str, command_id: str) -> Flow[Command]:
    """One command of the run, with its result."""
    return (yield from commands.get(options, _path(run_id), command_id))


def list_commands(
    options: ClientOptions,
    run_id: str,
    cursor: int | None = None,
    page_length: int = 20,
    include_fixit: bool = True,
) -> Flow[CommandPage]:
    """A page of the run's command summaries from index ``cursor``; without a cursor the
    robot returns the page that ends at the running or latest command.

    Example::

        page = client.list_commands(run.id, cursor=0, page_length=100)
    """
    extra = {"includeFixitCommands": "true" if include_fixit else "false"}
    return (yield from commands.list_page(options, _path(run_id), cursor, page_length, extra))


def iter_commands(
    options: ClientOptions, run_id: str, page_length: int = 200
) -> Stream[CommandSummary]:
    """Every command of the run, oldest first, fetched a page at a time.

    Example::

        failed = [c for c in client.iter_commands(run.id) if c.status == "failed"]
    """
    return (yield from commands.iterate(options, _path(run_id), page_length))


def find_command(options: ClientOptions, run_id: str, key: str) -> Flow[CommandSummary | None]:
    """The run's command with ``key`` (newest first), or ``None``.

    Example::

        try:
            client.enqueue_command(run.id, "aspirate", params, key="asp-17")
        except CommandOutcomeUnknown:
            ...  # later, when the robot is back:
            print(client.find_command(run.id, "asp-17"))
    """
    return (yield from commands.find(options, _path(run_id), key))
