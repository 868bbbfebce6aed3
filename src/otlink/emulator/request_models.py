"""Request bodies of the routes, in robot-server's ``{"data": ...}`` envelope."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeAlias, TypeVar

from opentrons.protocol_engine import LabwareOffsetCreate
from opentrons.protocol_engine.types import LegacyLabwareOffsetCreate
from pydantic import BaseModel, Field

DataT = TypeVar("DataT")

AnyOffsetCreate: TypeAlias = LegacyLabwareOffsetCreate | LabwareOffsetCreate


class Envelope(BaseModel, Generic[DataT]):
    data: DataT


class RunCreate(BaseModel):
    protocolId: str | None = None
    labwareOffsets: list[AnyOffsetCreate] = Field(default_factory=list)
    runTimeParameterValues: dict[str, float | bool | str] = Field(default_factory=dict)
    runTimeParameterFiles: dict[str, str] = Field(default_factory=dict)


class RunUpdate(BaseModel):
    current: bool | None = None


class RunActionCreate(BaseModel):
    actionType: Literal[
        "play",
        "pause",
        "stop",
        "resume-from-recovery",
        "resume-from-recovery-assuming-false-positive",
    ]


class MaintenanceRunCreate(BaseModel):
    labwareOffsets: list[AnyOffsetCreate] = Field(default_factory=list)


OffsetRequest = Envelope[AnyOffsetCreate | list[AnyOffsetCreate]]
DefinitionRequest = Envelope[dict[str, Any]]
