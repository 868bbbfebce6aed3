"""/runs/{id}/commands: enqueue commands on the current run, list and read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from .. import responses
from ..command_pages import current_link, summary
from ..dependencies import Robot, versioned_router
from ..request_models import CommandRequest

router = versioned_router()

WaitUntilComplete = Annotated[bool, Query()]
TimeoutMs = Annotated[int | None, Query(gt=0)]


@router.post("/runs/{runId}/commands", status_code=201)
async def create_run_command(
    robot: Robot,
    runId: str,
    body: CommandRequest,
    waitUntilComplete: WaitUntilComplete = False,
    timeout: TimeoutMs = None,
    failedCommandId: str | None = None,
) -> Response:
    command = await robot.runs.add_command(
        runId,
        body.data,
        wait_until_complete=waitUntilComplete,
        timeout_ms=timeout,
        failed_command_id=failedCommandId,
    )
    return responses.data(command, status=201)


@router.get("/runs/{runId}/commands")
async def list_run_commands(
    robot: Robot,
    runId: str,
    cursor: Annotated[int | None, Query(ge=0)] = None,
    pageLength: Annotated[int, Query(ge=0)] = 20,
    includeFixitCommands: bool = True,
) -> Response:
    page = robot.runs.commands(runId, cursor, pageLength, includeFixitCommands)
    return responses.collection(
        [summary(command) for command in page.commands],
        cursor=page.cursor,
        total=page.total,
        links=current_link(runId, page.current),
    )


@router.get("/runs/{runId}/commands/{commandId}")
async def get_run_command(robot: Robot, runId: str, commandId: str) -> Response:
    return responses.data(robot.runs.command(runId, commandId))
