"""The virtual robot's runs: one current run held by a live engine, the others kept as history.

As on a robot, creating a run archives the current one if it never started or has finished, and
refuses otherwise; a run that is not current only answers reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from opentrons.hardware_control import API
from opentrons.protocol_engine import (
    Command,
    CommandCreate,
    CommandIntent,
    LabwareOffsetCreate,
    StateSummary,
)
from opentrons.protocol_engine import errors as pe_errors
from opentrons.protocol_reader import ProtocolSource
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocols.api_support.deck_type import should_load_fixed_trash
from opentrons.protocols.parameters.exceptions import (
    IncompatibleParameterError,
    ParameterDefinitionError,
    ParameterValueError,
)
from opentrons_shared_data.errors import EnumeratedError

from .api_errors import ROBOT_IN_USE, ApiError, conflict, not_found
from .command_pages import CommandPage, command_page, history_page
from .engines import OT2_DECK_CONFIGURATION, build_orchestrator
from .faults import FaultPlan
from .protocol_executor import load_for_run
from .protocol_threads import (
    ProtocolCodeLimitExceeded,
    ProtocolEndedProcess,
    interrupt_protocol_threads,
)
from .sandbox import SandboxPool, SandboxStopped
from .top_level import ReadProtocol

_log = logging.getLogger(__name__)
MAX_KEPT_RUNS = 20
PLAY_START_TIMEOUT_S = 5.0
STOP_GRACE_S = 2.0
PARAMETER_ERRORS = (ParameterValueError, ParameterDefinitionError, IncompatibleParameterError)
# What the server's own run of a protocol's top level ends with when it stops that code.
STOPPED_CODE = (ProtocolCodeLimitExceeded, ProtocolEndedProcess)
ACTION_TYPES = (
    "play",
    "pause",
    "stop",
    "resume-from-recovery",
    "resume-from-recovery-assuming-false-positive",
)


@dataclass(frozen=True)
class ProtocolForRun:
    """What a protocol run needs from the protocol store."""

    protocol_id: str
    source: ProtocolSource


@dataclass
class RunRecord:
    """A run's resource; ``summary`` and ``commands`` are filled in when it leaves the engine."""

    id: str
    created_at: datetime
    protocol_id: str | None
    actions: list[dict[str, Any]] = field(default_factory=list)
    summary: StateSummary | None = None
    commands: list[Command] = field(default_factory=list)
    run_time_parameters: list[Any] = field(default_factory=list)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def protocol_stopped(why: str) -> ApiError:
    return ApiError(422, "ProtocolStopped", "Protocol Stopped While Loading", why)


def run_not_found(run_id: str) -> ApiError:
    return not_found("RunNotFound", "Run Not Found", f"Run {run_id} not found.")


class RunStore:
    """Creates, reads, archives and deletes runs, and routes commands and actions to the engine."""

    def __init__(
        self,
        hardware: API,
        on_protocol_play: Callable[[], Awaitable[None]],
        sandboxes: SandboxPool,
        faults: FaultPlan | None = None,
        protocol_code_limit_s: float = 0,
    ) -> None:
        self._hardware = hardware
        self._protocol_code_limit_s = protocol_code_limit_s
        self._sandboxes = sandboxes
        self._faults = faults
        self._on_protocol_play = on_protocol_play
        self._records: dict[str, RunRecord] = {}
        self._current: RunRecord | None = None
        self._orchestrator: RunOrchestrator | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._lock = asyncio.Lock()

    # --- the current run -------------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        return self._current.id if self._current is not None else None

    def active_run_blocks_robot(self) -> bool:
        """A run that has started and not stopped holds the robot (no stateless commands)."""
        orchestrator = self._orchestrator
        return (
            orchestrator is not None
            and orchestrator.run_has_started()
            and not orchestrator.run_has_stopped()
        )

    def orchestrator_of(self, run_id: str) -> RunOrchestrator:
        """The engine of ``run_id``, which must be the current run."""
        record = self.record(run_id)
        if self._current is not record or self._orchestrator is None:
            raise conflict("RunStopped", "Run Stopped", f"Run {run_id} is not the current run")
        return self._orchestrator

    # --- create, read, archive, delete -----------------------------------------------------

    async def create(
        self,
        protocol: ProtocolForRun | None = None,
        labware_offsets: list[LabwareOffsetCreate] | None = None,
        run_time_parameter_values: dict[str, Any] | None = None,
        run_time_parameter_paths: dict[str, Any] | None = None,
    ) -> RunRecord:
        async with self._lock:
            if self._orchestrator is not None:
                if not self._orchestrator.get_is_okay_to_clear():
                    raise conflict(
                        "RunAlreadyActive",
                        "Run Already Active",
                        "Current run is not idle or stopped.",
                        error_code=ROBOT_IN_USE,
                    )
                await self._archive_current()
            run_id = str(uuid.uuid4())
            load_fixed_trash = protocol is not None and should_load_fixed_trash(
                protocol.source.config
            )
            orchestrator = await build_orchestrator(
                self._hardware,
                run_id=run_id,
                protocol_config=protocol.source.config if protocol else None,
                load_fixed_trash=load_fixed_trash,
                faults=self._faults,
                protocol_code_limit_s=self._protocol_code_limit_s,
            )
            if protocol is not None:
                read = await self._read_in_sandbox(
                    protocol, run_time_parameter_values, run_time_parameter_paths
                )
                try:
                    await load_for_run(
                        orchestrator,
                        protocol.source,
                        run_time_parameter_values,
                        run_time_parameter_paths,
                        read,
                    )
                except Exception as error:
                    # robot-server answers 500 and keeps this engine, blocking every later
                    # run; a bad parameter value is the client's mistake, and the robot stays free.
                    await orchestrator.stop()
                    if isinstance(error, PARAMETER_ERRORS):
                        raise ApiError(
                            422, "InvalidRequest", "Invalid Request", str(error)
                        ) from error
                    if isinstance(error, STOPPED_CODE):
                        raise protocol_stopped(str(error)) from None
                    raise
            else:
                orchestrator.prepare()
            for offset in labware_offsets or []:
                orchestrator.add_labware_offset(offset)
            record = RunRecord(
                id=run_id,
                created_at=utc_now(),
                protocol_id=protocol.protocol_id if protocol else None,
            )
            self._records[run_id] = record
            self._current, self._orchestrator = record, orchestrator
            self._forget_oldest()
            return record

    async def _read_in_sandbox(
        self,
        protocol: ProtocolForRun,
        values: dict[str, Any] | None,
        paths: dict[str, Any] | None,
    ) -> ReadProtocol | None:
        """Load the protocol in a child process first, and read it there: a top level that hangs
        or exits there would block or end the server here, and parsing a large file would hold
        it. Its ordinary errors are the engine's to report."""
        try:
            read: ReadProtocol | None = await self._sandboxes.call(
                "read_for_run", protocol.source, values or {}, paths or {}
            )
        except SandboxStopped as stopped:
            raise protocol_stopped(str(stopped)) from None
        return read

    def record(self, run_id: str) -> RunRecord:
        try:
            return self._records[run_id]
        except KeyError:
            raise run_not_found(run_id) from None

    def records(self, page_length: int | None = None) -> list[RunRecord]:
        """Runs from oldest to newest; with ``page_length``, the newest that many."""
        records = list(self._records.values())
        return records if page_length is None else records[-page_length:] if page_length else []

    def uses_protocol(self, protocol_id: str) -> list[str]:
        return [r.id for r in self._records.values() if r.protocol_id == protocol_id]

    async def archive(self, run_id: str) -> RunRecord:
        """PATCH current:false: the run leaves the engine and becomes history."""
        record = self.record(run_id)
        async with self._lock:
            if self._current is not record:
                raise conflict("RunStopped", "Run Stopped", f"Run {run_id} is not the current run")
            self._require_not_active()
            await self._archive_current()
        return record

    async def delete(self, run_id: str) -> None:
        record = self.record(run_id)
        async with self._lock:
            if self._current is record:
                self._require_not_active()
                await self._archive_current()
            del self._records[run_id]

    def _require_not_active(self) -> None:
        if self._orchestrator is not None and not self._orchestrator.get_is_okay_to_clear():
            raise conflict(
                "RunNotIdle",
                "Run is not idle.",
                "Run is currently active. Allow the run to finish or stop it with a `stop`"
                " action before attempting to modify it.",
                error_code=ROBOT_IN_USE,
            )

    async def _archive_current(self) -> None:
        from opentrons.protocol_engine.types import PostRunHardwareState

        record, orchestrator = self._current, self._orchestrator
        assert record is not None and orchestrator is not None
        await orchestrator.finish(
            drop_tips_after_run=False,
            set_run_status=False,
            post_run_hardware_state=PostRunHardwareState.STAY_ENGAGED_IN_PLACE,
        )
        record.summary = orchestrator.get_state_summary()
        record.commands = orchestrator.get_all_commands()
        record.run_time_parameters = orchestrator.get_run_time_parameters()
        self._current = self._orchestrator = None

    def _forget_oldest(self) -> None:
        while len(self._records) > MAX_KEPT_RUNS:
            oldest = next(iter(self._records))
            del self._records[oldest]

    # --- what a run looks like ---------------------------------------------------------------

    def describe(self, record: RunRecord) -> dict[str, Any]:
        """The run resource as GET /runs/{id} shows it."""
        is_current = record is self._current and self._orchestrator is not None
        if is_current:
            assert self._orchestrator is not None
            summary = self._orchestrator.get_state_summary()
            parameters = self._orchestrator.get_run_time_parameters()
        else:
            assert record.summary is not None
            summary, parameters = record.summary, record.run_time_parameters
        run: dict[str, Any] = {
            "id": record.id,
            "ok": True,
            "createdAt": record.created_at,
            "status": summary.status,
            "current": is_current,
            "actions": record.actions,
            "errors": summary.errors,
            "hasEverEnteredErrorRecovery": summary.hasEverEnteredErrorRecovery,
            "pipettes": summary.pipettes,
            "modules": summary.modules,
            "labware": summary.labware,
            "liquids": summary.liquids,
            "labwareOffsets": summary.labwareOffsets,
            "runTimeParameters": parameters,
            "outputFileIds": summary.files,
            "protocolId": record.protocol_id,
            "startedAt": summary.startedAt,
            "completedAt": summary.completedAt,
        }
        return run

    # --- actions -----------------------------------------------------------------------------

    async def act(self, run_id: str, action_type: str) -> dict[str, Any]:
        orchestrator = self.orchestrator_of(run_id)
        record = self.record(run_id)
        try:
            if action_type == "play":
                if orchestrator.run_has_started():
                    orchestrator.play(deck_configuration=OT2_DECK_CONFIGURATION)
                else:
                    # As robot-server: the first play starts the run behind the answer (the
                    # runner homes, then plays); what goes wrong there shows in the run. The
                    # answer waits for the engine to take the play, so no request slips into the
                    # moment a simulated home lasts (a new run would archive this one).
                    started = self._spawn(
                        orchestrator.run(deck_configuration=OT2_DECK_CONFIGURATION)
                    )
                    await _until_played(orchestrator, started)
                    await self._on_protocol_play()
            elif action_type == "pause":
                orchestrator.pause()
            elif action_type == "stop":
                self._spawn(_stop(orchestrator))
            else:
                orchestrator.resume_from_recovery(
                    reconcile_false_positive=action_type.endswith("false-positive")
                )
        except pe_errors.ProtocolEngineError as error:
            raise ApiError(
                409,
                "RunActionNotAllowed",
                "Run Action Not Allowed",
                error.message,
                error_code="3000",
                wrapped=_as_action_error(error),
            ) from error
        action = {"id": str(uuid.uuid4()), "createdAt": utc_now(), "actionType": action_type}
        record.actions.append(action)
        return action

    def _spawn(self, work: Any) -> asyncio.Future[Any]:
        # Like robot-server's task runner: the action is answered at once and runs behind it.
        task: asyncio.Future[Any] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(_log_failure)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- commands ----------------------------------------------------------------------------

    async def add_command(
        self,
        run_id: str,
        request: CommandCreate,
        *,
        wait_until_complete: bool,
        timeout_ms: int | None,
        failed_command_id: str | None = None,
    ) -> Command:
        orchestrator = self.orchestrator_of(run_id)
        return await enqueue(
            orchestrator,
            request,
            wait_until_complete=wait_until_complete,
            timeout_ms=timeout_ms,
            failed_command_id=failed_command_id,
        )

    def commands(
        self, run_id: str, cursor: int | None, page_length: int, include_fixit: bool
    ) -> CommandPage:
        record = self.record(run_id)
        if record is self._current and self._orchestrator is not None:
            return command_page(self._orchestrator, cursor, page_length, include_fixit)
        return history_page(record.commands, cursor, page_length)

    def ended_run_commands(self, run_id: str) -> list[Command]:
        """All the commands of a run that has ended (503 while it still goes on)."""
        record = self.record(run_id)
        if record is self._current and self._orchestrator is not None:
            if not self._orchestrator.get_is_run_terminal():
                raise ApiError(
                    503,
                    "PreSerializedCommandsNotAvailable",
                    "Pre-Serialized commands not available.",
                    "Pre-serialized commands are only available after a run has ended.",
                )
            commands: list[Command] = self._orchestrator.get_all_commands()
            return commands
        return record.commands

    def command(self, run_id: str, command_id: str) -> Command:
        record = self.record(run_id)
        if record is self._current and self._orchestrator is not None:
            # robot-server answers 500 here for an unknown id; a 404 is what it means.
            with contextlib.suppress(pe_errors.CommandDoesNotExistError):
                return self._orchestrator.get_command(command_id)
        else:
            for command in record.commands:
                if command.id == command_id:
                    return command
        raise not_found(
            "CommandNotFound", "Run Command Not Found", f"Command {command_id} not found."
        )

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._orchestrator is not None and not self._orchestrator.run_has_stopped():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(_stop(self._orchestrator), STOP_GRACE_S * 2)


async def _stop(orchestrator: RunOrchestrator) -> None:
    """Stop the run; a protocol thread that goes on regardless is interrupted after a grace."""
    with contextlib.suppress(pe_errors.RunStoppedError):  # a stop is already under way
        await orchestrator.stop()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STOP_GRACE_S
    while not orchestrator.run_has_stopped() and loop.time() < deadline:
        await asyncio.sleep(0.05)
    if not orchestrator.run_has_stopped() and interrupt_protocol_threads():
        _log.warning("A protocol ignored its run's stop; its thread was interrupted.")


async def _until_played(orchestrator: RunOrchestrator, run: asyncio.Future[Any]) -> None:
    deadline = asyncio.get_running_loop().time() + PLAY_START_TIMEOUT_S
    while not orchestrator.run_has_started() and not run.done():
        if asyncio.get_running_loop().time() > deadline:
            return
        await asyncio.sleep(0.001)


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.warning("Background run work failed", exc_info=task.exception())


def _as_action_error(error: EnumeratedError) -> EnumeratedError:
    from opentrons_shared_data.errors.exceptions import RoboticsInteractionError

    return RoboticsInteractionError(message=error.message, wrapping=[error])


async def enqueue(
    orchestrator: RunOrchestrator,
    request: CommandCreate,
    *,
    wait_until_complete: bool,
    timeout_ms: int | None,
    failed_command_id: str | None = None,
    intent: CommandIntent | None = None,
) -> Command:
    """Add a command, wait for it as asked (a timeout ends the waiting, never the command)."""
    if intent is not None or request.intent is None:
        request = request.model_copy(update={"intent": intent or CommandIntent.SETUP})
    try:
        added = await orchestrator.add_command_and_wait_for_interval(
            command=request,
            wait_until_complete=wait_until_complete,
            timeout=timeout_ms,
            failed_command_id=failed_command_id,
        )
    except pe_errors.SetupCommandNotAllowedError as error:
        raise conflict(
            "SetupCommandNotAllowed", "Setup Command Not Allowed", error.message, wrapped=error
        ) from error
    except pe_errors.RunStoppedError as error:
        raise conflict("RunStopped", "Run Stopped", error.message, wrapped=error) from error
    except pe_errors.FixitCommandNotAllowedError as error:
        # robot-server 8.2 lets this one through as a 500; the run's state is the conflict.
        raise conflict(
            "FixitCommandNotAllowed", "Fixit Command Not Allowed", error.message, wrapped=error
        ) from error
    except pe_errors.CommandNotAllowedError as error:
        raise ApiError(
            400, "CommandNotAllowed", "Command Not Allowed", error.message, wrapped=error
        ) from error
    return orchestrator.get_command(added.id)
