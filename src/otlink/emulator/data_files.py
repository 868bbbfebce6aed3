"""Data files (CSVs) uploaded for run-time parameters, kept in the emulator's private directory.

As on a robot, each file lives at ``<directory>/<file id>/<name>``: the engine reads the file id of
a CSV parameter from that parent folder. Identical uploads share one resource, at most
:data:`MAX_DATA_FILES` are kept (the oldest unused ones go first), and a file that an analysis or a
run used cannot be deleted.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from opentrons.protocol_reader import FileHasher
from opentrons.protocol_reader.file_reader_writer import BufferedFile
from opentrons_shared_data.errors import GeneralError

from .api_errors import ApiError, conflict
from .run_store import utc_now

MAX_DATA_FILES = 50


class FileIdNotFoundError(GeneralError):
    """A data file id the robot doesn't know (robot-server words its detail from this)."""

    def __init__(self, file_id: str) -> None:
        super().__init__(
            message=f"Data file {file_id} was not found.", detail={"dataFileId": file_id}
        )


class FileInUseError(GeneralError):
    """A data file that analyses or runs still refer to."""

    def __init__(self, file_id: str, run_ids: set[str], analysis_ids: set[str]) -> None:
        users = [
            f" {kind}: {ids}"
            for kind, ids in (("analyses", analysis_ids), ("runs", run_ids))
            if ids
        ]
        super().__init__(
            message=(
                f"Cannot remove file {file_id} as it is being used in"
                f" existing{' and '.join(users)}."
            ),
            detail={"dataFileId": file_id},
        )


@dataclass(frozen=True)
class DataFile:
    """The data file resource: ``{id, name, createdAt}``."""

    id: str
    name: str
    created_at: datetime
    content_hash: str

    def resource(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "createdAt": self.created_at}


@dataclass(frozen=True)
class FileUsers:
    """Who refers to a data file: run ids and analysis ids."""

    run_ids: set[str]
    analysis_ids: set[str]


def file_id_not_found(file_id: str, status: int = 404) -> ApiError:
    return ApiError(
        status,
        "FileIdNotFound",
        "Specified file id not found on the robot",
        str(FileIdNotFoundError(file_id)),
    )


class DataFileStore:
    """The robot's uploaded data files; ``users_of`` says which runs and analyses use a file id."""

    def __init__(self, directory: Path, users_of: Callable[[str], FileUsers]) -> None:
        self._directory = directory
        self._users_of = users_of
        self._files: dict[str, DataFile] = {}

    async def add(self, name: str, contents: bytes) -> tuple[DataFile, bool]:
        """Store an uploaded CSV; ``(file, False)`` if identical contents were already stored."""
        name = Path(name).name  # a client's folders are not ours to create
        if not name.endswith(".csv"):
            raise ApiError(
                422,
                "UnexpectedFileFormat",
                "Unexpected file format",
                "Only CSV file format is accepted.",
            )
        content_hash = await FileHasher.hash(
            [BufferedFile(name=name, contents=contents, path=None)]
        )
        for existing in self._files.values():
            if existing.content_hash == content_hash:
                return existing, False
        self._make_room()
        file = DataFile(str(uuid.uuid4()), name, utc_now(), content_hash)
        folder = self._directory / file.id
        folder.mkdir(parents=True)
        (folder / name).write_bytes(contents)
        self._files[file.id] = file
        return file, True

    def get(self, file_id: str) -> DataFile:
        try:
            return self._files[file_id]
        except KeyError:
            raise file_id_not_found(file_id) from None

    def all(self) -> list[DataFile]:
        """Files from the oldest upload to the newest."""
        return list(self._files.values())

    def path_of(self, file_id: str) -> Path:
        file = self.get(file_id)
        return self._directory / file.id / file.name

    def paths(self, files: Mapping[str, str]) -> dict[str, Path]:
        """CSV parameter name -> file path for the engine; an unknown id is 422 FileIdNotFound."""
        for file_id in files.values():
            if file_id not in self._files:
                raise file_id_not_found(file_id, status=422)
        return {name: self.path_of(file_id) for name, file_id in files.items()}

    def remove(self, file_id: str) -> None:
        file = self.get(file_id)
        users = self._users_of(file_id)
        if users.run_ids or users.analysis_ids:
            raise conflict(
                "DataFileInUse",
                "Data file is in use",
                str(FileInUseError(file_id, users.run_ids, users.analysis_ids)),
            )
        self._delete(file)

    def _delete(self, file: DataFile) -> None:
        del self._files[file.id]
        shutil.rmtree(self._directory / file.id, ignore_errors=True)

    def _make_room(self) -> None:
        excess = len(self._files) + 1 - MAX_DATA_FILES
        if excess <= 0:
            return
        unused = [
            file
            for file in self._files.values()
            if not (users := self._users_of(file.id)).run_ids and not users.analysis_ids
        ]
        for file in unused[:excess]:
            self._delete(file)
