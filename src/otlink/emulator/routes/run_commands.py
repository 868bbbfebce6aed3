"""/runs/{id}/commands: enqueue commands on the current run, list and read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from .. import responses
from ..command_pages import current_link, summary
from ..command_posts import read_command_post
from ..dependencies import Robot, versioned_router

router = versioned_router()
# Command posts check their own version header (see command_posts): they are the hot path.
posting_router = APIRouter()


@posting_router.post("/runs/{runId}/commands", status_code=201)
async def create_run_command(request: Request) -> Response:
    robot, run_id, post = await read_command_post(request)
    command = await robot.runs.add_command(
        run_id,
        post.request,
        wait_until_complete=post.wait_until_complete,
        timeout_ms=post.timeout_ms,
        failed_command_id=post.failed_command_id,
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
