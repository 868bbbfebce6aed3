"""/maintenance_runs: the in-memory run used for calibration and jogging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from opentrons.protocol_engine.errors import CommandDoesNotExistError

from .. import responses
from ..api_errors import ApiError, conflict
from ..command_pages import current_link, summary
from ..command_posts import read_command_post
from ..dependencies import Robot, versioned_router
from ..request_models import (
    DefinitionRequest,
    Envelope,
    MaintenanceRunCreate,
    OffsetRequest,
)
from .run_labware import add_definition, add_offsets

router = versioned_router()
posting_router = APIRouter()  # command posts check the version header themselves
BASE = "/maintenance_runs"


@router.post(BASE, status_code=201)
async def create_maintenance_run(
    robot: Robot, body: Envelope[MaintenanceRunCreate] | None = None
) -> Response:
    if robot.runs.active_run_blocks_robot():
        raise conflict(
            "ProtocolRunIsActive",
            "Protocol Run Is Active",
            "Cannot create a maintenance run when a protocol run is active.",
        )
    request = body.data if body is not None else MaintenanceRunCreate()
    run = await robot.maintenance.create(list(request.labwareOffsets))
    return responses.data(run.describe(), status=201)


@router.get(f"{BASE}/current_run")
async def get_current_maintenance_run(robot: Robot) -> Response:
    run = robot.maintenance.current
    return responses.data(run.describe(), links={"current": {"href": f"{BASE}/{run.id}"}})


@router.get(BASE + "/{runId}")
async def get_maintenance_run(robot: Robot, runId: str) -> Response:
    return responses.data(robot.maintenance.get(runId).describe())


@router.delete(BASE + "/{runId}")
async def delete_maintenance_run(robot: Robot, runId: str) -> Response:
    await robot.maintenance.delete(runId)
    return responses.empty()


@posting_router.post(BASE + "/{runId}/commands", status_code=201)
async def create_maintenance_command(request: Request) -> Response:
    robot, run_id, post = await read_command_post(request)
    command = await robot.maintenance.add_command(
        run_id, post.request, wait=post.wait_until_complete, timeout_ms=post.timeout_ms
    )
    return responses.data(command, status=201)


@router.get(BASE + "/{runId}/commands")
async def list_maintenance_commands(
    robot: Robot,
    runId: str,
    cursor: Annotated[int | None, Query(ge=0)] = None,
    pageLength: Annotated[int, Query(ge=0)] = 20,
) -> Response:
    page = robot.maintenance.commands(runId, cursor, pageLength)
    return responses.collection(
        [summary(command) for command in page.commands],
        cursor=page.cursor,
        total=page.total,
        links=current_link(runId, page.current, base=BASE),
    )


@router.get(BASE + "/{runId}/commands/{commandId}")
async def get_maintenance_command(robot: Robot, runId: str, commandId: str) -> Response:
    orchestrator = robot.maintenance.get(runId).orchestrator
    try:
        return responses.data(orchestrator.get_command(commandId))
    except CommandDoesNotExistError as error:
        raise ApiError(
            404, "CommandNotFound", "Run Command Not Found", error.message, wrapped=error
        ) from error


@router.post(BASE + "/{runId}/labware_offsets", status_code=201)
async def add_maintenance_labware_offset(robot: Robot, runId: str, body: OffsetRequest) -> Response:
    return add_offsets(robot.maintenance.get(runId).orchestrator, body)


@router.post(BASE + "/{runId}/labware_definitions", status_code=201)
async def add_maintenance_labware_definition(
    robot: Robot, runId: str, body: DefinitionRequest
) -> Response:
    return add_definition(robot.maintenance.get(runId).orchestrator, body)
