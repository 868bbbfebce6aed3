"""Flows for maintenance runs: in-memory runs for calibration-like work that do not disturb
the run history. Their commands always run as ``setup``; they have no actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import commands, labware
from otlink.client.calls import call_data, call_empty
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, Request
from otlink.models import Body, Command, CommandPage, LabwareOffset, MaintenanceRun

# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_MaintenanceRunBody = Body[MaintenanceRun]


def _path(run_id: str) -> str:
    return f"/maintenance_runs/{run_id}"


def create_maintenance_run(
    options: ClientOptions, labware_offsets: Iterable[labware.OffsetInput] = ()
) -> Flow[MaintenanceRun]:
    """Create a maintenance run, replacing the existing one.

    Example::

        maintenance = client.create_maintenance_run()
        client.enqueue_maintenance_command(maintenance.id, "home")
    """
    offsets = [labware.offset_wire(offset) for offset in labware_offsets]
    request = Request("POST", "/maintenance_runs", json={"data": {"labwareOffsets": offsets}})
    return (yield from call_data(options, request, _MaintenanceRunBody, idempotent=False))


def get_current_maintenance_run(options: ClientOptions) -> Flow[MaintenanceRun]:
    """The current maintenance run (:class:`~otlink.errors.NotFound` if there is none)."""
    request = Request("GET", "/maintenance_runs/current_run")
    return (yield from call_data(options, request, _MaintenanceRunBody, idempotent=True))


def get_maintenance_run(options: ClientOptions, run_id: str) -> Flow[MaintenanceRun]:
    """One maintenance run."""
    request = Request("GET", _path(run_id))
    return (yield from call_data(options, request, _MaintenanceRunBody, idempotent=True))


def delete_maintenance_run(options: ClientOptions, run_id: str) -> Flow[None]:
    """Delete a maintenance run."""
    yield from call_empty(options, Request("DELETE", _path(run_id)), idempotent=False)


def enqueue_maintenance_command(
    options: ClientOptions,
    run_id: str,
    command_type: str,
    params: Mapping[str, Any] | None = None,
    *,
    key: str | None = None,
    wait: bool = True,
    timeout: float | None = None,
    check: bool = True,
) -> Flow[Command]:
    """Send a command to a maintenance run, at most once (arguments as for
    ``enqueue_command``)."""
    return (
        yield from commands.enqueue(
            options,
            f"{_path(run_id)}/commands",
            command_type,
            params,
            intent=None,
            key=key,
            wait=wait,
            timeout=timeout,
            check=check,
        )
    )


def get_maintenance_command(options: ClientOptions, run_id: str, command_id: str) -> Flow[Command]:
    """One command of a maintenance run, with its result."""
    return (yield from commands.get(options, f"{_path(run_id)}/commands", command_id))


def list_maintenance_commands(
    options: ClientOptions, run_id: str, cursor: int | None = None, page_length: int = 20
) -> Flow[CommandPage]:
    """A page of a maintenance run's commands."""
    return (
        yield from commands.list_page(options, f"{_path(run_id)}/commands", cursor, page_length)
    )


def add_maintenance_labware_offset(
    options: ClientOptions, run_id: str, offset: labware.OffsetInput
) -> Flow[LabwareOffset]:
    """Add a labware offset to a maintenance run."""
    return (yield from labware.add_offset(options, _path(run_id), offset))


def add_maintenance_labware_definition(
    options: ClientOptions, run_id: str, definition: Mapping[str, Any]
) -> Flow[str]:
    """Add a custom labware definition to a maintenance run; returns its URI."""
    return (yield from labware.add_definition(options, _path(run_id), definition))
