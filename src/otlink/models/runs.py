"""Runs, their actions, what they loaded, and labware offsets.

One run is *current* on a robot: it holds the engine, and commands and actions go to it.
"""

from __future__ import annotations

from typing import Any

from otlink.models.base import Tolerant, WireEnum, WireModel
from otlink.models.commands import CommandError

__all__ = [
    "LabwareOffset",
    "LabwareOffsetCreate",
    "LabwareOffsetLocation",
    "LoadedLabware",
    "LoadedModule",
    "LoadedPipette",
    "MaintenanceRun",
    "Run",
    "RunAction",
    "RunActionType",
    "RunCreate",
    "RunStatus",
    "Vector",
]


class RunStatus(WireEnum):
    """A run's status; ``succeeded``, ``failed`` and ``stopped`` are final."""

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    BLOCKED_BY_OPEN_DOOR = "blocked-by-open-door"
    STOP_REQUESTED = "stop-requested"
    FINISHING = "finishing"
    AWAITING_RECOVERY = "awaiting-recovery"
    AWAITING_RECOVERY_PAUSED = "awaiting-recovery-paused"
    AWAITING_RECOVERY_BLOCKED_BY_OPEN_DOOR = "awaiting-recovery-blocked-by-open-door"
    STOPPED = "stopped"
    FAILED = "failed"
    SUCCEEDED = "succeeded"


FINAL_RUN_STATUSES = frozenset({RunStatus.STOPPED, RunStatus.FAILED, RunStatus.SUCCEEDED})


class RunActionType(WireEnum):
    """What ``POST /runs/{id}/actions`` can ask: play (start or resume), pause, stop, and
    the two ways out of error recovery (Flex)."""

    PLAY = "play"
    PAUSE = "pause"
    STOP = "stop"
    RESUME_FROM_RECOVERY = "resume-from-recovery"
    RESUME_FROM_RECOVERY_ASSUMING_FALSE_POSITIVE = "resume-from-recovery-assuming-false-positive"


class RunAction(WireModel):
    """An action the robot accepted."""

    id: str
    createdAt: str
    actionType: Tolerant[RunActionType]


class Vector(WireModel):
    """An x/y/z offset in mm."""

    x: float = 0.0
    y: float = 0.0
    z: float = 0.0


class LabwareOffsetLocation(WireModel):
    """Where an offset applies: a deck slot, optionally on a module or on another labware."""

    slotName: str
    moduleModel: str | None = None
    definitionUri: str | None = None


class LabwareOffsetCreate(WireModel):
    """An offset to add to a run: labware ``definitionUri`` at ``location`` moves by ``vector``.

    Example::

        LabwareOffsetCreate(
            definitionUri="opentrons/corning_96_wellplate_360ul_flat/2",
            location=LabwareOffsetLocation(slotName="2"),
            vector=Vector(x=0.5, z=-0.2),
        )
    """

    definitionUri: str
    location: LabwareOffsetLocation
    vector: Vector


class LabwareOffset(LabwareOffsetCreate):
    """An offset the robot stored, with its ``id`` and ``createdAt``."""

    id: str
    createdAt: str


class LoadedPipette(WireModel):
    """A pipette loaded in a run."""

    id: str
    pipetteName: str
    mount: str


class LoadedLabware(WireModel):
    """A labware loaded in a run; ``location`` is a slot, module, labware or ``"offDeck"``."""

    id: str
    loadName: str
    definitionUri: str
    location: dict[str, Any] | str
    offsetId: str | None = None
    displayName: str | None = None


class LoadedModule(WireModel):
    """A module loaded in a run."""

    id: str
    model: str
    location: dict[str, Any] | None = None
    serialNumber: str | None = None


class RunCreate(WireModel):
    """The body of ``POST /runs``: all optional; no protocol makes a live run for commands."""

    protocolId: str | None = None
    labwareOffsets: list[LabwareOffsetCreate] | None = None
    runTimeParameterValues: dict[str, Any] | None = None
    runTimeParameterFiles: dict[str, str] | None = None


class _RunState(WireModel):
    """What runs and maintenance runs share."""

    id: str
    createdAt: str
    status: Tolerant[RunStatus]
    current: bool
    actions: list[RunAction] = []
    errors: list[CommandError] = []
    hasEverEnteredErrorRecovery: bool = False
    pipettes: list[LoadedPipette] = []
    modules: list[LoadedModule] = []
    labware: list[LoadedLabware] = []
    liquids: list[dict[str, Any]] = []
    labwareOffsets: list[LabwareOffset] = []
    startedAt: str | None = None
    completedAt: str | None = None

    @property
    def is_done(self) -> bool:
        """True once the run has ended (succeeded, failed or stopped)."""
        return self.status in FINAL_RUN_STATUSES


class Run(_RunState):
    """A run: its status, what it loaded, its actions and its fatal ``errors`` (at most one).

    Example::

        run = client.create_run()
        assert run.status == RunStatus.IDLE and run.current
    """

    ok: bool = True
    protocolId: str | None = None
    runTimeParameters: list[dict[str, Any]] = []
    outputFileIds: list[str] = []


class MaintenanceRun(_RunState):
    """A maintenance run: an in-memory run for calibration-like work; no actions, no history."""
