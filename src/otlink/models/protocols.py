"""Protocols uploaded to the robot, their analyses, and data files (CSV run-time parameters)."""

from __future__ import annotations

from typing import Any

from otlink.models.base import Tolerant, WireEnum, WireModel
from otlink.models.commands import Command, CommandError
from otlink.models.runs import LoadedLabware, LoadedModule, LoadedPipette

__all__ = [
    "Analysis",
    "AnalysisResult",
    "AnalysisStatus",
    "AnalysisSummary",
    "DataFile",
    "Protocol",
    "ProtocolFile",
]


class AnalysisStatus(WireEnum):
    """An analysis is ``pending`` while the robot simulates the protocol, then ``completed``."""

    PENDING = "pending"
    COMPLETED = "completed"


class AnalysisResult(WireEnum):
    """How a completed analysis went."""

    OK = "ok"
    NOT_OK = "not-ok"
    PARAMETER_VALUE_REQUIRED = "parameter-value-required"


class ProtocolFile(WireModel):
    """One uploaded file and its ``role`` (``main``, ``labware`` or ``data``)."""

    name: str
    role: str


class AnalysisSummary(WireModel):
    """An analysis in a protocol's list: its id and status."""

    id: str
    status: Tolerant[AnalysisStatus]
    runTimeParameters: list[dict[str, Any]] = []


class Protocol(WireModel):
    """An uploaded protocol; its newest analysis is the last of ``analysisSummaries``.

    Example::

        protocol = client.upload_protocol("transfer.py")
        print(protocol.id, protocol.metadata.get("protocolName"))
    """

    id: str
    createdAt: str
    files: list[ProtocolFile]
    protocolType: str
    robotType: str | None = None
    metadata: dict[str, Any] = {}
    analyses: list[dict[str, Any]] = []
    analysisSummaries: list[AnalysisSummary] = []
    key: str | None = None
    protocolKind: str | None = None

    @property
    def name(self) -> str:
        """The protocol's ``protocolName``, else its main file's name."""
        main = next((f.name for f in self.files if f.role == "main"), self.id)
        return str(self.metadata.get("protocolName") or main)


class Analysis(WireModel):
    """The robot's simulation of a protocol: ``status`` pending, then completed with a
    ``result`` and the ``commands``, ``labware``, ``pipettes`` and ``errors`` it found.

    Example::

        analysis = client.wait_for_analysis(protocol.id)
        if analysis.result != AnalysisResult.OK:
            print(analysis.errors[0].detail)
    """

    id: str
    status: Tolerant[AnalysisStatus]
    result: Tolerant[AnalysisResult] | None = None
    robotType: str | None = None
    runTimeParameters: list[dict[str, Any]] = []
    commands: list[Command] = []
    labware: list[LoadedLabware] = []
    pipettes: list[LoadedPipette] = []
    modules: list[LoadedModule] = []
    liquids: list[dict[str, Any]] = []
    errors: list[CommandError] = []


class DataFile(WireModel):
    """A data file (CSV) stored on the robot, for CSV run-time parameters."""

    id: str
    name: str
    createdAt: str
