"""pydantic models of the robot's HTTP API, as it sends and receives them.

Field names are the wire's (``commandType``, ``createdAt``...) so that what you read in the
robot's API documentation is what you type. Every model keeps fields it does not know.

Example::

    from otlink.models import Command, CommandStatus

    command = Command.model_validate_json(raw_bytes)
    if command.status == CommandStatus.FAILED:
        print(command.error.errorType if command.error else "?")
"""

from otlink.models.base import Body, MultiBody, MultiBodyMeta, WireModel
from otlink.models.commands import (
    Command,
    CommandCollectionLinks,
    CommandCreate,
    CommandError,
    CommandIntent,
    CommandLink,
    CommandLinkMeta,
    CommandNote,
    CommandPage,
    CommandStatus,
    CommandSummary,
)
from otlink.models.health import Health, HealthLinks
from otlink.models.problems import ErrorBody, ErrorDetail, LegacyErrorBody
from otlink.models.protocols import (
    Analysis,
    AnalysisResult,
    AnalysisStatus,
    AnalysisSummary,
    DataFile,
    Protocol,
    ProtocolFile,
)
from otlink.models.robot import (
    AttachedPipette,
    CalibrationStatus,
    DeckCalibrationStatus,
    HomeRequest,
    Instrument,
    Lights,
    Message,
    Module,
    PipettesByMount,
    Setting,
    Settings,
)
from otlink.models.runs import (
    LabwareOffset,
    LabwareOffsetCreate,
    LabwareOffsetLocation,
    LoadedLabware,
    LoadedModule,
    LoadedPipette,
    MaintenanceRun,
    Run,
    RunAction,
    RunActionType,
    RunCreate,
    RunStatus,
    Vector,
)

__all__ = [
    "Analysis",
    "AnalysisResult",
    "AnalysisStatus",
    "AnalysisSummary",
    "AttachedPipette",
    "Body",
    "CalibrationStatus",
    "Command",
    "CommandCollectionLinks",
    "CommandCreate",
    "CommandError",
    "CommandIntent",
    "CommandLink",
    "CommandLinkMeta",
    "CommandNote",
    "CommandPage",
    "CommandStatus",
    "CommandSummary",
    "DataFile",
    "DeckCalibrationStatus",
    "ErrorBody",
    "ErrorDetail",
    "Health",
    "HealthLinks",
    "HomeRequest",
    "Instrument",
    "LabwareOffset",
    "LabwareOffsetCreate",
    "LabwareOffsetLocation",
    "LegacyErrorBody",
    "Lights",
    "LoadedLabware",
    "LoadedModule",
    "LoadedPipette",
    "MaintenanceRun",
    "Message",
    "Module",
    "MultiBody",
    "MultiBodyMeta",
    "PipettesByMount",
    "Protocol",
    "ProtocolFile",
    "Run",
    "RunAction",
    "RunActionType",
    "RunCreate",
    "RunStatus",
    "Setting",
    "Settings",
    "Vector",
    "WireModel",
]
