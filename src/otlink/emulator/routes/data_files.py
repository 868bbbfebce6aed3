"""/dataFiles: CSV files for run-time parameters: upload, list, read, download, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import File, Form, UploadFile
from fastapi.responses import Response

from .. import responses
from ..api_errors import ApiError, not_found
from ..dependencies import Robot, versioned_router

router = versioned_router()


@router.post("/dataFiles", status_code=201)
async def upload_data_file(
    robot: Robot,
    file: Annotated[UploadFile | None, File()] = None,
    filePath: Annotated[str | None, Form()] = None,
) -> Response:
    if file is not None and filePath is not None:
        raise ApiError(
            422,
            "MultipleDataFileSources",
            "Multiple sources found for data files",
            "Can accept either a file or a file path, not both.",
        )
    if file is not None:
        name, contents = file.filename or "", await file.read()
    elif filePath is not None:
        name, contents = _read_robot_file(Path(filePath))
    else:
        raise ApiError(
            422,
            "NoDataFileSourceProvided",
            "No data file source provided",
            "You must provide either a file or a file_path in the request.",
        )
    data_file, created = await robot.protocols.data_files.add(name, contents)
    return responses.data(data_file.resource(), status=201 if created else 200)


def _read_robot_file(path: Path) -> tuple[str, bytes]:
    """A file already on the "robot" (here: this computer). Only CSVs are read at all."""
    if path.suffix != ".csv":
        raise ApiError(
            422,
            "UnexpectedFileFormat",
            "Unexpected file format",
            "Only CSV file format is accepted.",
        )
    try:
        return path.name, path.read_bytes()
    except OSError as error:
        raise not_found(
            "FileNotFound", "Specified file path not found on the robot", str(error)
        ) from error


@router.get("/dataFiles")
async def list_data_files(robot: Robot) -> Response:
    return responses.collection([file.resource() for file in robot.protocols.data_files.all()])


@router.get("/dataFiles/{dataFileId}")
async def get_data_file(robot: Robot, dataFileId: str) -> Response:
    return responses.data(robot.protocols.data_files.get(dataFileId).resource())


@router.get("/dataFiles/{dataFileId}/download")
async def download_data_file(robot: Robot, dataFileId: str) -> Response:
    path = robot.protocols.data_files.path_of(dataFileId)
    return Response(content=path.read_bytes(), media_type="text/plain")


@router.delete("/dataFiles/{dataFileId}")
async def delete_data_file(robot: Robot, dataFileId: str) -> Response:
    robot.protocols.data_files.remove(dataFileId)
    return responses.empty()
