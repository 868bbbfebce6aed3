"""Flows for stateless commands (``/commands``): home, lights and module commands that run
outside any run (refused with :class:`~otlink.errors.RunConflict` while a run is active)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otlink.client import commands
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow
from otlink.models import Command, CommandPage

_PATH = "/commands"


def enqueue_stateless_command(
    options: ClientOptions,
    command_type: str,
    params: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
    wait: bool = True,
    timeout: float | None = None,
    check: bool = True,
) -> Flow[Command]:
    """Run a stateless command at most once (arguments as for ``enqueue_command``).

    Example::

        module_id = client.list_modules()[0].id
        client.enqueue_stateless_command("temperatureModule/setTargetTemperature",
                                         {"moduleId": module_id, "celsius": 4})
    """
    return (
        yield from commands.enqueue(
            options,
            _PATH,
            command_type,
            params,
            intent=None,
            key=key,
            wait=wait,
            timeout=timeout,
            check=check,
        )
    )


def get_stateless_command(options: ClientOptions, command_id: str) -> Flow[Command]:
    """One stateless command, with its result."""
    return (yield from commands.get(options, _PATH, command_id))


def list_stateless_commands(
    options: ClientOptions, cursor: int | None = None, page_length: int = 20
) -> Flow[CommandPage]:
    """A page of the stateless commands run since the robot booted."""
    return (yield from commands.list_page(options, _PATH, cursor, page_length))
