"""/protocols: upload, list, read and delete protocols, and their analyses and data files."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import File, Form, Query, UploadFile
from fastapi.responses import Response
from opentrons.protocol_reader import FileReaderWriter, ProtocolFilesInvalidError
from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)

from .. import responses
from ..api_errors import ApiError
from ..dependencies import Robot, versioned_router
from ..protocol_store import STANDARD, ProtocolKind, files_invalid
from ..request_models import Envelope

router = versioned_router()

ParameterValues = dict[StrictStr, StrictInt | StrictFloat | StrictBool | StrictStr]
ParameterFiles = dict[StrictStr, StrictStr]


class AnalysisRequest(BaseModel):
    runTimeParameterValues: ParameterValues = Field(default_factory=dict)
    runTimeParameterFiles: ParameterFiles = Field(default_factory=dict)
    forceReAnalyze: bool = False


def _form_json(field: str, text: str | None, shape: Any) -> Any:
    """A form field holding a JSON object (robot-server answers 500 for a bad one; we say 422)."""
    if text is None:
        return {}
    try:
        return TypeAdapter(shape).validate_python(json.loads(text))
    except (ValueError, ValidationError, RecursionError) as error:
        raise ApiError(
            422,
            "InvalidRequest",
            "Invalid Request",
            f"{field} must be a JSON object keyed by parameter name: {error}",
            source={"pointer": f"/{field}"},
        ) from error


@router.post("/protocols", status_code=201)
async def create_protocol(
    robot: Robot,
    files: Annotated[list[UploadFile], File()],
    key: Annotated[str | None, Form()] = None,
    runTimeParameterValues: Annotated[str | None, Form()] = None,
    protocolKind: Annotated[ProtocolKind, Form()] = STANDARD,
    runTimeParameterFiles: Annotated[str | None, Form()] = None,
) -> Response:
    values = _form_json("runTimeParameterValues", runTimeParameterValues, ParameterValues)
    file_ids = _form_json("runTimeParameterFiles", runTimeParameterFiles, ParameterFiles)
    try:
        buffered = await FileReaderWriter.read(files)  # type: ignore[arg-type]
    except ProtocolFilesInvalidError as error:
        raise files_invalid(str(error)) from error
    protocol, summaries, created = await robot.protocols.upload(
        buffered, key=key, kind=protocolKind, values=values, file_ids=file_ids
    )
    return responses.data(protocol.resource(summaries), status=201 if created else 200)


@router.get("/protocols")
async def list_protocols(
    robot: Robot,
    protocolKind: Annotated[ProtocolKind | None, Query()] = None,
) -> Response:
    protocols = robot.protocols.all(protocolKind)
    return responses.collection([robot.protocols.describe(p) for p in protocols])


@router.get("/protocols/ids")
async def list_protocol_ids(robot: Robot) -> Response:
    return responses.collection([p.id for p in robot.protocols.all()])


@router.get("/protocols/{protocolId}")
async def get_protocol(robot: Robot, protocolId: str) -> Response:
    protocol = robot.protocols.get(protocolId)
    return responses.data(
        robot.protocols.describe(protocol),
        links={"referencingRuns": robot.protocols.referencing_runs(protocolId)},
    )


@router.delete("/protocols/{protocolId}")
async def delete_protocol(robot: Robot, protocolId: str) -> Response:
    robot.protocols.remove(protocolId)
    return responses.empty()


@router.post("/protocols/{protocolId}/analyses", status_code=201)
async def create_protocol_analysis(
    robot: Robot, protocolId: str, body: Envelope[AnalysisRequest] | None = None
) -> Response:
    robot.protocols.require(protocolId)
    request = body.data if body is not None else AnalysisRequest()
    summaries, started = await robot.protocols.analyze(
        protocolId,
        request.runTimeParameterValues,
        request.runTimeParameterFiles,
        force=request.forceReAnalyze,
    )
    return responses.collection(summaries, status=201 if started else 200)


@router.get("/protocols/{protocolId}/analyses")
async def list_protocol_analyses(robot: Robot, protocolId: str) -> Response:
    robot.protocols.require(protocolId)
    analyses = robot.protocols.analyses.of_protocol(protocolId)
    return responses.collection([analysis.body for analysis in analyses])


@router.get("/protocols/{protocolId}/analyses/{analysisId}")
async def get_protocol_analysis(robot: Robot, protocolId: str, analysisId: str) -> Response:
    robot.protocols.require(protocolId)
    return responses.data(robot.protocols.analyses.get(analysisId).body)


@router.get("/protocols/{protocolId}/analyses/{analysisId}/asDocument")
async def get_protocol_analysis_as_document(
    robot: Robot, protocolId: str, analysisId: str
) -> Response:
    robot.protocols.require(protocolId)
    document = robot.protocols.analyses.document(analysisId)
    return Response(content=document, media_type="application/json")


@router.get("/protocols/{protocolId}/dataFiles")
async def list_protocol_data_files(robot: Robot, protocolId: str) -> Response:
    files = robot.protocols.data_files_of(protocolId)
    return responses.collection([file.resource() for file in files])
