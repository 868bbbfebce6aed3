"""Flows for runs: create, read, list, archive, delete, actions, and following a run to its end.

The robot cannot wait for a run to end on request, so :func:`wait_for_run` and
:func:`follow_run` look at it with GETs at a growing interval (``ClientOptions.poll_interval``
up to ``poll_max``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import commands, labware
from otlink.client.calls import call_data, call_empty, fetch
from otlink.client.options import ClientOptions
from otlink.client.steps import Emit, Flow, Request, Sleep, Stream
from otlink.errors import WaitTimeout
from otlink.models import (
    Body,
    CommandSummary,
    LabwareOffset,
    MultiBody,
    Run,
    RunAction,
    RunActionType,
)

# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_RunBody = Body[Run]
_RunActionBody = Body[RunAction]
_RunList = MultiBody[Run]


def _path(run_id: str) -> str:
    return f"/runs/{run_id}"


def create_run(
    options: ClientOptions,
    protocol_id: str | None = None,
    labware_offsets: Iterable[labware.OffsetInput] = (),
    run_time_parameter_values: Mapping[str, Any] | None = None,
    run_time_parameter_files: Mapping[str, str] | None = None,
) -> Flow[Run]:
    """Create a run, of a protocol or (without ``protocol_id``) a live run for commands.

    It becomes the current run; the robot archives a previous run that never started or has
    ended, and refuses (:class:`~otlink.errors.RunConflict`) while one is active.

    Example::

        run = client.create_run()
        run = client.create_run(protocol.id, labware_offsets=[offset],
                                run_time_parameter_values={"volume": 50})
    """
    data: dict[str, Any] = {}
    if protocol_id is not None:
        data["protocolId"] = protocol_id
    offsets = [labware.offset_wire(offset) for offset in labware_offsets]
    if offsets:
        data["labwareOffsets"] = offsets
    if run_time_parameter_values is not None:
        data["runTimeParameterValues"] = dict(run_time_parameter_values)
    if run_time_parameter_files is not None:
        data["runTimeParameterFiles"] = dict(run_time_parameter_files)
    request = Request("POST", "/runs", json={"data": data})
    return (yield from call_data(options, request, _RunBody, idempotent=False))


def get_run(options: ClientOptions, run_id: str) -> Flow[Run]:
    """One run: its status, what it loaded, its actions and errors."""
    return (yield from call_data(options, Request("GET", _path(run_id)), _RunBody, idempotent=True))


def list_runs(options: ClientOptions, page_length: int | None = None) -> Flow[list[Run]]:
    """The runs the robot keeps, oldest first (the newest ``page_length`` if given)."""
    query = None if page_length is None else {"pageLength": page_length}
    request = Request("GET", "/runs", params=query)
    page = yield from fetch(options, request, _RunList)
    return page.data


def archive_run(options: ClientOptions, run_id: str) -> Flow[Run]:
    """Make the run no longer current (it stays in the history); it must not be active.

    Example::

        client.archive_run(run.id).current  # False
    """
    request = Request("PATCH", _path(run_id), json={"data": {"current": False}})
    return (yield from call_data(options, request, _RunBody, idempotent=False))


def delete_run(options: ClientOptions, run_id: str) -> Flow[None]:
    """Delete a run that is not active."""
    yield from call_empty(options, Request("DELETE", _path(run_id)), idempotent=False)


def run_action(options: ClientOptions, run_id: str, action: RunActionType | str) -> Flow[RunAction]:
    """Ask the run to ``play``, ``pause``, ``stop`` or leave error recovery."""
    action_type = action.value if isinstance(action, RunActionType) else action
    request = Request(
        "POST", f"{_path(run_id)}/actions", json={"data": {"actionType": action_type}}
    )
    return (yield from call_data(options, request, _RunActionBody, idempotent=False))


def play_run(options: ClientOptions, run_id: str) -> Flow[RunAction]:
    """Start the run (its protocol, or the queued ``protocol`` commands of a live run).

    A live run that is played ends once its queue is empty, and then takes no more commands.
    """
    return (yield from run_action(options, run_id, RunActionType.PLAY))


def pause_run(options: ClientOptions, run_id: str) -> Flow[RunAction]:
    """Pause a running run."""
    return (yield from run_action(options, run_id, RunActionType.PAUSE))


def resume_run(options: ClientOptions, run_id: str) -> Flow[RunAction]:
    """Resume a paused run (a ``play`` action)."""
    return (yield from run_action(options, run_id, RunActionType.PLAY))


def stop_run(options: ClientOptions, run_id: str) -> Flow[RunAction]:
    """Stop the run; this is the only way to cut a running command short."""
    return (yield from run_action(options, run_id, RunActionType.STOP))


def wait_for_run(options: ClientOptions, run_id: str, timeout: float | None = None) -> Flow[Run]:
    """Wait until the run has succeeded, failed or stopped, and return it.

    Raises :class:`~otlink.errors.WaitTimeout` after ``timeout`` seconds (the run goes on).

    Example::

        client.play_run(run.id)
        print(client.wait_for_run(run.id, timeout=600).status)
    """
    started = time.monotonic()
    interval = options.poll_interval
    while True:
        run = yield from get_run(options, run_id)
        if run.is_done:
            return run
        waited = time.monotonic() - started
        if timeout is not None and waited >= timeout:
            raise WaitTimeout(f"run {run_id} is still {run.status} after {waited:.1f} s")
        yield Sleep(interval if timeout is None else min(interval, timeout - waited))
        interval = options.next_poll(interval)


def follow_run(
    options: ClientOptions, run_id: str, page_length: int = 200
) -> Stream[CommandSummary]:
    """Each command of the run as it finishes, in order, until the run has ended.

    Example::

        client.play_run(run.id)
        for command in client.follow_run(run.id):
            print(command.commandType, command.status)
    """
    commands_path = f"{_path(run_id)}/commands"
    emitted = 0
    interval = options.poll_interval
    while True:
        run = yield from get_run(options, run_id)
        page = yield from commands.list_page(options, commands_path, emitted, page_length)
        # A cursor past the end comes back clamped: skip what was already emitted.
        for index, command in enumerate(page.data, start=page.meta.cursor):
            if index < emitted:
                continue
            if not (command.is_done or run.is_done):
                break
            yield Emit(command)
            emitted += 1
        if run.is_done and emitted >= page.meta.totalLength:
            return
        unblocked = emitted == page.meta.cursor + len(page.data)
        if not (unblocked and emitted < page.meta.totalLength):
            yield Sleep(interval)
            interval = options.next_poll(interval)


def add_labware_offset(
    options: ClientOptions, run_id: str, offset: labware.OffsetInput
) -> Flow[LabwareOffset]:
    """Add a labware offset to the current run (read them back in ``run.labwareOffsets``).

    Example::

        client.add_labware_offset(run.id, {
            "definitionUri": "opentrons/corning_96_wellplate_360ul_flat/2",
            "location": {"slotName": "2"}, "vector": {"x": 0.5, "y": 0, "z": -0.2}})
    """
    return (yield from labware.add_offset(options, _path(run_id), offset))


def add_labware_definition(
    options: ClientOptions, run_id: str, definition: Mapping[str, Any]
) -> Flow[str]:
    """Add a custom labware definition (the JSON of a labware file) to the current run;
    returns its ``definitionUri``, e.g. ``"custom_beta/my_plate/1"``."""
    return (yield from labware.add_definition(options, _path(run_id), definition))
