"""Uploaded protocols: read by opentrons' own ``ProtocolReader`` (in a sandbox), kept privately.

An upload is validated and saved as a ``ProtocolSource`` (the form runs and analyses consume), then
analysed in the background. As on a robot: identical files give back the existing protocol (a new
analysis only if the run-time parameter values changed), a protocol for another robot type is
refused, at most :data:`MAX_UNUSED_PROTOCOLS` protocols that no run refers to are kept (the oldest
go first), and a protocol that a run refers to cannot be deleted.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from opentrons.protocol_engine.types import CSVParameter
from opentrons.protocol_reader import (
    FileHasher,
    ProtocolSource,
)
from opentrons.protocol_reader.file_reader_writer import BufferedFile
from opentrons_shared_data.robot import user_facing_robot_type
from starlette.exceptions import HTTPException

from .analysis import AnalysisStore
from .analysis_jobs import FilesInvalid
from .api_errors import ApiError, conflict, not_found
from .data_files import DataFile, DataFileStore, FileUsers
from .engines import ROBOT_TYPE
from .run_store import ProtocolForRun, RunStore, utc_now
from .sandbox import SandboxPool, SandboxStopped

ProtocolKind = Literal["standard", "quick-transfer"]
STANDARD: ProtocolKind = "standard"
QUICK_TRANSFER: ProtocolKind = "quick-transfer"
MAX_UNUSED_PROTOCOLS = 5
MAX_QUICK_TRANSFER_PROTOCOLS = 20


@dataclass(frozen=True)
class ProtocolResource:
    """An uploaded protocol: its saved source and what the client told us about it."""

    id: str
    created_at: datetime
    source: ProtocolSource
    key: str | None
    kind: ProtocolKind

    def resource(self, analysis_summaries: list[dict[str, Any]]) -> dict[str, Any]:
        """The ``Protocol`` resource, in robot-server's field order."""
        return {
            "id": self.id,
            "createdAt": self.created_at,
            "files": [{"name": f.path.name, "role": f.role} for f in self.source.files],
            "protocolType": self.source.config.protocol_type,
            "robotType": self.source.robot_type,
            "metadata": dict(self.source.metadata),
            "analyses": [],
            "analysisSummaries": analysis_summaries,
            "key": self.key,
            "protocolKind": self.kind,
        }


def protocol_not_found(protocol_id: str) -> ApiError:
    # robot-server's not-found error is a KeyError, whose text is quoted.
    return not_found(
        "ProtocolNotFound", "Protocol Not Found", repr(f"Protocol {protocol_id} was not found.")
    )


def files_invalid(detail: str) -> ApiError:
    return ApiError(422, "ProtocolFilesInvalid", "Protocol File(s) Invalid", detail)


def safe_file_name(name: str) -> str:
    """Refuse names that would land outside the emulator's directory (a robot would not care)."""
    if not name or name != Path(name).name or name in (".", ".."):
        raise files_invalid(f"File name {name!r} is not a plain file name.")
    return name


class ProtocolStore:
    """The virtual robot's protocols, their analyses and the data files they read."""

    def __init__(self, runs: RunStore, directory: Path, sandboxes: SandboxPool) -> None:
        self._directory = directory
        self._runs = runs
        self._protocols: dict[str, ProtocolResource] = {}
        self._sandboxes = sandboxes
        self.analyses = AnalysisStore(sandboxes)
        self.data_files = DataFileStore(self._directory / "data_files", self._users_of_file)

    # --- upload ----------------------------------------------------------------------------

    async def upload(
        self,
        files: Sequence[BufferedFile],
        *,
        key: str | None,
        kind: ProtocolKind,
        values: Mapping[str, Any],
        file_ids: Mapping[str, str],
    ) -> tuple[ProtocolResource, list[dict[str, Any]], bool]:
        """Add a protocol and start its analysis; ``created`` is False for known files."""
        if kind == QUICK_TRANSFER and len(self.all(QUICK_TRANSFER)) >= MAX_QUICK_TRANSFER_PROTOCOLS:
            raise HTTPException(409, "Maximum quick transfer protocols exceeded")
        for file in files:
            safe_file_name(file.name)
        paths = self.data_files.paths(file_ids)
        content_hash = await FileHasher.hash(files)
        known = next(
            (p for p in self._protocols.values() if p.source.content_hash == content_hash), None
        )
        if known is not None:
            summaries, _ = await self.analyses.start_if_necessary(
                known.id, known.source, values, paths, force=False
            )
            return known, summaries, False

        protocol_id = str(uuid.uuid4())
        directory = self._directory / "protocols" / protocol_id
        try:  # in a child: parsing a large Python file holds the interpreter for seconds
            source: ProtocolSource = await self._sandboxes.call(
                "save", files, directory, content_hash
            )
        except (FilesInvalid, SandboxStopped) as error:
            shutil.rmtree(directory, ignore_errors=True)
            raise files_invalid(str(error)) from error
        if source.robot_type != ROBOT_TYPE:
            shutil.rmtree(directory, ignore_errors=True)
            raise ApiError(
                422,
                "ProtocolRobotTypeMismatch",
                "Protocol For Different Robot Type",
                f"This protocol is for {user_facing_robot_type(source.robot_type)} robots."
                " It can't be analyzed or run on this robot,"
                f" which is {user_facing_robot_type(ROBOT_TYPE, include_article=True)}.",
            )
        self._make_room(kind)
        protocol = ProtocolResource(protocol_id, utc_now(), source, key, kind)
        self._protocols[protocol_id] = protocol
        summaries, _ = await self.analyses.start_if_necessary(
            protocol_id, source, values, paths, force=True
        )
        return protocol, summaries, True

    def _make_room(self, kind: ProtocolKind) -> None:
        limit = MAX_QUICK_TRANSFER_PROTOCOLS if kind == QUICK_TRANSFER else MAX_UNUSED_PROTOCOLS
        unused = [p for p in self.all(kind) if not self._runs.uses_protocol(p.id)]
        for protocol in unused[: max(0, len(unused) + 1 - limit)]:
            self._delete(protocol)

    async def analyze(
        self,
        protocol_id: str,
        values: Mapping[str, Any],
        file_ids: Mapping[str, str],
        *,
        force: bool,
    ) -> tuple[list[dict[str, Any]], bool]:
        """POST /protocols/{id}/analyses: the summaries, and whether a new analysis started."""
        protocol = self.get(protocol_id)
        paths = self.data_files.paths(file_ids)
        return await self.analyses.start_if_necessary(
            protocol_id, protocol.source, values, paths, force=force
        )

    # --- read ------------------------------------------------------------------------------

    def get(self, protocol_id: str) -> ProtocolResource:
        try:
            return self._protocols[protocol_id]
        except KeyError:
            raise protocol_not_found(protocol_id) from None

    def require(self, protocol_id: str) -> ProtocolResource:
        """Like :meth:`get`, worded as robot-server's analyses and data-file routes word it."""
        if protocol_id not in self._protocols:
            raise not_found(
                "ProtocolNotFound", "Protocol Not Found", f"Protocol {protocol_id} not found"
            )
        return self._protocols[protocol_id]

    def all(self, kind: ProtocolKind | None = None) -> list[ProtocolResource]:
        """Protocols from the first uploaded to the last, of one kind if given."""
        return [p for p in self._protocols.values() if kind in (None, p.kind)]

    def describe(self, protocol: ProtocolResource) -> dict[str, Any]:
        return protocol.resource(self.analyses.summaries(protocol.id))

    def referencing_runs(self, protocol_id: str) -> list[dict[str, str]]:
        return [
            {"id": run_id, "href": f"/runs/{run_id}"}
            for run_id in self._runs.uses_protocol(protocol_id)
        ]

    def data_files_of(self, protocol_id: str) -> list[DataFile]:
        """The data files the protocol's analyses and runs read, oldest upload first."""
        self.require(protocol_id)
        used = self.analyses.file_ids_of(protocol_id) | {
            file_id
            for run_id in self._runs.uses_protocol(protocol_id)
            for file_id in self._run_file_ids(run_id)
        }
        return [file for file in self.data_files.all() if file.id in used]

    # --- what runs need ----------------------------------------------------------------------

    def for_run(self, protocol_id: str) -> ProtocolForRun:
        return ProtocolForRun(protocol_id, self.get(protocol_id).source)

    def data_file_paths(self, files: Mapping[str, str]) -> dict[str, Path]:
        return self.data_files.paths(files)

    # --- delete ------------------------------------------------------------------------------

    def remove(self, protocol_id: str) -> None:
        protocol = self.get(protocol_id)
        if self._runs.uses_protocol(protocol_id):
            raise conflict(
                "ProtocolUsedByRun",
                "Protocol Used by Run",
                f"Protocol {protocol_id} is used by a run and cannot be deleted.",
            )
        self._delete(protocol)

    def _delete(self, protocol: ProtocolResource) -> None:
        del self._protocols[protocol.id]
        self.analyses.forget(protocol.id)
        shutil.rmtree(self._directory / "protocols" / protocol.id, ignore_errors=True)

    async def close(self) -> None:
        await self.analyses.close()

    # --- data file usage -------------------------------------------------------------------

    def _run_file_ids(self, run_id: str) -> set[str]:
        parameters = self._runs.describe(self._runs.record(run_id))["runTimeParameters"]
        return {
            parameter.file.id
            for parameter in parameters
            if isinstance(parameter, CSVParameter) and parameter.file is not None
        }

    def _users_of_file(self, file_id: str) -> FileUsers:
        runs = {
            record.id for record in self._runs.records() if file_id in self._run_file_ids(record.id)
        }
        return FileUsers(run_ids=runs, analysis_ids=self.analyses.users_of_file(file_id))
