"""/commands: run a single setup command outside any run (home, lights, module controls)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response
from opentrons.protocol_engine import CommandIntent
from opentrons.protocol_engine import commands as pe
from opentrons.protocol_runner import RunOrchestrator
from opentrons_shared_data.errors import PythonException
from pydantic import Field

from .. import responses
from ..api_errors import conflict, not_found
from ..dependencies import Robot, versioned_router
from ..request_models import Envelope
from ..run_store import enqueue

WaitUntilComplete = Annotated[bool, Query()]
TimeoutMs = Annotated[int | None, Query(gt=0)]

router = versioned_router()

# What robot-server lets through POST /commands.
StatelessCommandCreate = Annotated[
    pe.HomeCreate
    | pe.SetRailLightsCreate
    | pe.SetStatusBarCreate
    | pe.magnetic_module.EngageCreate
    | pe.magnetic_module.DisengageCreate
    | pe.temperature_module.SetTargetTemperatureCreate
    | pe.temperature_module.DeactivateTemperatureCreate
    | pe.thermocycler.SetTargetBlockTemperatureCreate
    | pe.thermocycler.SetTargetLidTemperatureCreate
    | pe.thermocycler.DeactivateBlockCreate
    | pe.thermocycler.DeactivateLidCreate
    | pe.thermocycler.OpenLidCreate
    | pe.thermocycler.CloseLidCreate
    | pe.heater_shaker.SetTargetTemperatureCreate
    | pe.heater_shaker.SetAndWaitForShakeSpeedCreate
    | pe.heater_shaker.DeactivateHeaterCreate
    | pe.heater_shaker.DeactivateShakerCreate
    | pe.heater_shaker.OpenLabwareLatchCreate
    | pe.heater_shaker.CloseLabwareLatchCreate,
    Field(discriminator="commandType"),
]


class RunConflictError(RuntimeError):
    """robot-server's: a run has started and not stopped, so the robot takes no other commands."""


# The error's text names its class with its module, as robot-server's own does.
RunConflictError.__module__ = "robot_server.runs.run_orchestrator_store"


async def _default_orchestrator(robot: Robot) -> RunOrchestrator:
    if robot.runs.active_run_blocks_robot():
        # robot-server builds its RunActive error from the store's plain RuntimeError, so the
        # answer carries that error (as a PythonException, code 4000), not RunActive's defaults.
        wrapped = PythonException(RunConflictError("A run is currently active"))
        raise conflict("RunActive", "Run Active", wrapped.message, wrapped=wrapped)
    orchestrator = await robot.stateless_orchestrator()
    await orchestrator.use_attached_modules(robot.attached_module_ids())
    return orchestrator


@router.post("/commands", status_code=201)
async def create_stateless_command(
    robot: Robot,
    body: Envelope[StatelessCommandCreate],  # type: ignore[valid-type]
    waitUntilComplete: WaitUntilComplete = False,
    timeout: TimeoutMs = None,
) -> Response:
    orchestrator = await _default_orchestrator(robot)
    command = await enqueue(
        orchestrator,
        body.data,
        wait_until_complete=waitUntilComplete,
        timeout_ms=timeout,
        intent=CommandIntent.SETUP,
    )
    return responses.data(command, status=201)


@router.get("/commands")
async def list_stateless_commands(
    robot: Robot,
    cursor: Annotated[int | None, Query(ge=0)] = None,
    pageLength: Annotated[int, Query(ge=0)] = 20,
) -> Response:
    orchestrator = await robot.stateless_orchestrator()
    commands = orchestrator.get_all_commands()
    start = cursor if cursor is not None else max(len(commands) - pageLength, 0)
    page = commands[start : start + pageLength]
    return responses.collection(page, cursor=start, total=len(commands))


@router.get("/commands/{commandId}")
async def get_stateless_command(robot: Robot, commandId: str) -> Response:
    orchestrator = await robot.stateless_orchestrator()
    for command in orchestrator.get_all_commands():
        if command.id == commandId:
            return responses.data(command)
    raise not_found("CommandNotFound", "Command Not Found", f"Command {commandId} not found.")
