"""Labware offsets and definitions added to the current run (and to a maintenance run)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from opentrons.protocol_runner import RunOrchestrator
from opentrons_shared_data.labware.labware_definition import labware_definition_type_adapter
from pydantic import ValidationError

from .. import responses
from ..api_errors import ApiError
from ..dependencies import Robot, versioned_router
from ..request_models import DefinitionRequest, OffsetRequest

router = versioned_router()


def add_offsets(orchestrator: RunOrchestrator, body: OffsetRequest) -> Response:
    """Add one offset or a list; answer with what was added, in the shape it was sent."""
    requested = body.data if isinstance(body.data, list) else [body.data]
    added = [orchestrator.add_labware_offset(offset) for offset in requested]
    return responses.data(added if isinstance(body.data, list) else added[0], status=201)


def add_definition(orchestrator: RunOrchestrator, body: DefinitionRequest) -> Response:
    try:
        definition = labware_definition_type_adapter.validate_python(body.data)
    except ValidationError as error:
        raise ApiError(
            422,
            "InvalidRequest",
            "Invalid Request",
            f"Not a valid labware definition: {error.errors()[0]['msg']}"
            f" at {'/'.join(str(p) for p in error.errors()[0]['loc'])}",
            source={"pointer": "/data"},
        ) from error
    uri = orchestrator.add_labware_definition(definition)
    return responses.data({"definitionUri": uri}, status=201)


@router.post("/runs/{runId}/labware_offsets", status_code=201)
async def add_run_labware_offset(robot: Robot, runId: str, body: OffsetRequest) -> Response:
    return add_offsets(robot.runs.orchestrator_of(runId), body)


@router.post("/runs/{runId}/labware_definitions", status_code=201)
async def add_run_labware_definition(robot: Robot, runId: str, body: DefinitionRequest) -> Response:
    return add_definition(robot.runs.orchestrator_of(runId), body)


@router.get("/runs/{runId}/loaded_labware_definitions")
async def get_run_loaded_labware_definitions(robot: Robot, runId: str) -> Response:
    definitions: list[Any] = robot.runs.orchestrator_of(runId).get_loaded_labware_definitions()
    return responses.data(definitions)
