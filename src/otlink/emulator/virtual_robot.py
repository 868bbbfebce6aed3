"""The virtual OT-2: simulated hardware and everything the HTTP routes act on."""

from __future__ import annotations

import os
import uuid
from typing import Any

from opentrons.hardware_control import API
from opentrons.protocol_runner import RunOrchestrator

from . import legacy_module_models, process_guard, protocol_threads
from .engines import build_orchestrator
from .faults import FaultPlan
from .hardware import build_hardware
from .maintenance_runs import MaintenanceRunStore
from .module_identity import modules_by_id
from .protocol_store import ProtocolStore
from .robot_settings import RobotSettings
from .run_store import RunStore
from .sandbox import SandboxPool
from .workspace import Workspace


class VirtualRobot:
    """One simulated OT-2. Build it with :meth:`boot` inside the server's event loop."""

    def __init__(
        self, settings: RobotSettings, hardware: API, *, owns_process: bool = False
    ) -> None:
        self.settings = settings
        self.hardware = hardware
        self.boot_id = str(uuid.uuid4())
        process_guard.install()  # protocol runs execute in this process: they may not end it
        protocol_threads.install()  # and a stop or a limit wakes their time.sleep
        legacy_module_models.install()
        self.workspace = Workspace.create()
        self._left_directory: str | None = None
        if owns_process:
            # Protocol runs share this process's working directory: theirs is scratch space.
            self._left_directory = os.getcwd()
            os.chdir(self.workspace.runs)
        self.sandboxes = SandboxPool(self.workspace.sandboxes, settings.protocol_time_limit_s)
        self.sandboxes.warm_up()
        self.maintenance = MaintenanceRunStore(hardware)
        self.faults = FaultPlan(settings.fault_rules)
        self.runs = RunStore(
            hardware,
            on_protocol_play=self.maintenance.clear,
            faults=self.faults,
            sandboxes=self.sandboxes,
            protocol_code_limit_s=settings.protocol_code_limit_s,
        )
        self.protocols = ProtocolStore(self.runs, self.workspace.root, self.sandboxes)
        self.client_data: dict[str, Any] = {}
        self.error_recovery_enabled: bool | None = None  # None: the robot's default
        self._stateless: RunOrchestrator | None = None

    @classmethod
    async def boot(cls, settings: RobotSettings, *, owns_process: bool = False) -> VirtualRobot:
        """Boot the hardware; ``owns_process``: also work in the workspace (``otlink emulate``)."""
        return cls(settings, await build_hardware(settings), owns_process=owns_process)

    async def stateless_orchestrator(self) -> RunOrchestrator:
        """The engine behind POST /commands, made once and reused, as robot-server does."""
        if self._stateless is None:
            self._stateless = await build_orchestrator(self.hardware)
        return self._stateless

    async def close(self) -> None:
        await self.sandboxes.close()
        await self.runs.close()
        await self.protocols.close()
        await self.maintenance.clear()
        await self.hardware.clean_up()
        if self._left_directory is not None:
            os.chdir(self._left_directory)
        self.workspace.remove()

    def attached_module_ids(self) -> dict[str, Any]:
        """Hardware modules by robot-server's module id (the ``id`` of GET /modules)."""
        return modules_by_id(self.hardware)
