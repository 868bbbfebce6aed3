"""/runs: create, list, read, archive and delete runs, and their actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from .. import responses
from ..dependencies import Robot, versioned_router
from ..request_models import Envelope, RunActionCreate, RunCreate, RunUpdate

router = versioned_router()


@router.post("/runs", status_code=201)
async def create_run(robot: Robot, body: Envelope[RunCreate] | None = None) -> Response:
    request = body.data if body is not None else RunCreate()
    # robot-server checks the data file ids first (422), then the protocol (404).
    paths = robot.protocols.data_file_paths(request.runTimeParameterFiles)
    protocol = None
    if request.protocolId is not None:
        protocol = robot.protocols.for_run(request.protocolId)
    record = await robot.runs.create(
        protocol=protocol,
        labware_offsets=list(request.labwareOffsets),
        run_time_parameter_values=request.runTimeParameterValues,
        run_time_parameter_paths=paths,
    )
    return responses.data(robot.runs.describe(record), status=201)


@router.get("/runs")
async def list_runs(
    robot: Robot, pageLength: Annotated[int | None, Query(ge=0)] = None
) -> Response:
    records = robot.runs.records(pageLength)
    current = robot.runs.current_id
    links = {"current": {"href": f"/runs/{current}"}} if current else {}
    return responses.collection(
        [robot.runs.describe(record) for record in records],
        total=len(records),
        links=links,
    )


@router.get("/runs/{runId}")
async def get_run(robot: Robot, runId: str) -> Response:
    return responses.data(robot.runs.describe(robot.runs.record(runId)))


@router.patch("/runs/{runId}")
async def update_run(robot: Robot, runId: str, body: Envelope[RunUpdate]) -> Response:
    record = robot.runs.record(runId)
    if body.data.current is False:
        record = await robot.runs.archive(runId)
    return responses.data(robot.runs.describe(record))


@router.delete("/runs/{runId}")
async def delete_run(robot: Robot, runId: str) -> Response:
    await robot.runs.delete(runId)
    return responses.empty()


@router.post("/runs/{runId}/actions", status_code=201)
async def create_run_action(robot: Robot, runId: str, body: Envelope[RunActionCreate]) -> Response:
    action = await robot.runs.act(runId, body.data.actionType)
    return responses.data(action, status=201)
