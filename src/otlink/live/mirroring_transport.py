"""The seam between opentrons' Protocol API and the robot: each command runs here, then there.

opentrons' ``ProtocolContext`` (engine core, apiLevel 2.14 and up) hands every command to its
engine transport. This transport runs it first on the local simulating engine: a pre-flight check
that catches missing tips, over-volume, unknown wells and deck conflicts before anything moves.
Then it posts the same command to the robot's live run, with the ids the local engine chose for
labware, pipettes and modules, and waits for it. The robot's outcome is the truth: its failure
is raised here, in the protocol's own call, so the traceback points at the protocol's line.
"""

from __future__ import annotations

import asyncio
from typing import Any

from opentrons.protocol_engine import commands as pe_commands
from opentrons.protocol_engine.clients import ChildThreadTransport
from opentrons.protocol_engine.errors import ProtocolCommandFailedError

from otlink.errors import LiveRunBroken, PreflightFailed

from .local_engine import LocalEngine
from .pauses import PauseHandler, pause_message
from .robot_commands import NotMirrorable, refuse_unmirrorable, robot_commands_for
from .robot_run import RobotRun
from .tip_sizes import explained_by_engine


class MirroringTransport(ChildThreadTransport):  # type: ignore[misc]
    """A ``ChildThreadTransport`` that mirrors every command onto a robot run."""

    def __init__(self, local: LocalEngine, robot: RobotRun, on_pause: PauseHandler) -> None:
        super().__init__(engine=local.engine, loop=local.loop)
        self._local = local
        self._robot = robot
        self._on_pause = on_pause
        self._broken: BaseException | None = None

    def execute_command(self, request: pe_commands.CommandCreate) -> Any:
        return self._mirror(request).result

    def execute_command_wait_for_recovery(
        self, request: pe_commands.CommandCreate
    ) -> pe_commands.Command:
        # An OT-2 never recovers from an error: a failure fails the protocol.
        return self._mirror(request)

    def _mirror(self, request: pe_commands.CommandCreate) -> pe_commands.Command:
        if self._broken is not None:
            raise LiveRunBroken(self._robot.id, self._broken)
        labware = getattr(request.params, "labwareId", None)
        try:
            refuse_unmirrorable(request.commandType, labware, self._local.fixed_trash_id)
        except NotMirrorable as refused:
            raise PreflightFailed(
                command_type=request.commandType,
                error_type=type(refused).__name__,
                error_code="4000",
                detail=str(refused),
            ) from refused
        local = asyncio.run_coroutine_threadsafe(
            self._local.engine.add_and_execute_command(request=request), self._local.loop
        ).result()
        if local.error is not None:
            error = local.error
            failure = PreflightFailed(
                command_type=local.commandType,
                error_type=error.errorType,
                error_code=error.errorCode,
                detail=error.detail,
            )
            state = self._local.engine.state_view
            cause = ProtocolCommandFailedError(
                original_error=error, message=f"{error.errorType}: {error.detail}"
            )
            raise explained_by_engine(failure, request.params, state) from cause
        pause = pause_message(local, self._local.engine.state_view)
        if pause is not None:
            self._robot.sync()
            self._on_pause(pause)
        try:
            for command_type, params in robot_commands_for(local, self._local.fixed_trash_id):
                self._robot.execute(command_type, params)
        except BaseException as failure:
            # The local engine went ahead; the robot did not. Nothing more can be mirrored.
            self._broken = failure
            raise
        return local
