"""A run's errors, current state, whole command list, and error recovery policy."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response

from .. import responses
from ..dependencies import Robot, versioned_router
from ..request_models import Envelope

router = versioned_router()


@router.get("/runs/{runId}/commandErrors")
async def list_command_errors(
    robot: Robot,
    runId: str,
    pageLength: Annotated[int, Query(ge=0)] = 20,
    cursor: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """Command errors, oldest first; without a cursor the page starts at the latest error."""
    orchestrator = robot.runs.orchestrator_of(runId)
    total = len(orchestrator.get_command_errors())
    start = cursor if cursor is not None else max(total - 1, 0)
    page = orchestrator.get_command_error_slice(cursor=start, length=pageLength)
    return responses.collection(page.commands_errors, cursor=page.cursor, total=page.total_length)


@router.get("/runs/{runId}/currentState")
async def get_current_state(robot: Robot, runId: str) -> Response:
    """The pipettes' active nozzle layouts, and a link to the last completed command."""
    orchestrator = robot.runs.orchestrator_of(runId)
    layouts = {
        pipette_id: {
            "startingNozzle": nozzles.starting_nozzle,
            "activeNozzles": list(nozzles.map_store),
            "config": nozzles.configuration.value.lower(),
        }
        for pipette_id, nozzles in orchestrator.get_nozzle_maps().items()
    }
    last = orchestrator.get_most_recently_finalized_command()
    links: dict[str, Any] = {}
    if last is not None:
        links["lastCompleted"] = {
            "id": last.command_id,
            "href": f"/runs/{runId}/commands/{last.command_id}",
        }
    return responses.data({"activeNozzleLayouts": layouts}, links=links)


@router.get("/runs/{runId}/commandsAsPreSerializedList")
async def list_commands_serialized(
    robot: Robot, runId: str, includeFixitCommands: bool = True
) -> Response:
    """Every command of an ended run, each as a JSON string."""
    commands = robot.runs.ended_run_commands(runId)
    if not includeFixitCommands:
        commands = [command for command in commands if command.intent != "fixit"]
    return responses.collection([responses.to_json(responses.plain(c)) for c in commands])


@router.put("/runs/{runId}/errorRecoveryPolicy")
async def put_error_recovery_policy(
    robot: Robot, runId: str, body: Envelope[dict[str, Any]]
) -> Response:
    """Accepted and kept as on a robot; an OT-2 fails the run on any error all the same."""
    robot.runs.orchestrator_of(runId)
    return responses.empty()
