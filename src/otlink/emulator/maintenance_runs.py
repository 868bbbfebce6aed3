"""Maintenance runs: one at a time, in memory, setup commands only (calibration and jogging)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from opentrons.hardware_control import API
from opentrons.protocol_engine import Command, CommandCreate, CommandIntent
from opentrons.protocol_engine.types import PostRunHardwareState
from opentrons.protocol_runner import RunOrchestrator

from .api_errors import not_found
from .command_pages import CommandPage, command_page
from .engines import build_orchestrator
from .request_models import AnyOffsetCreate
from .run_store import enqueue, utc_now


class MaintenanceRun:
    def __init__(self, run_id: str, orchestrator: RunOrchestrator, created_at: datetime) -> None:
        self.id = run_id
        self.orchestrator = orchestrator
        self.created_at = created_at

    def describe(self) -> dict[str, Any]:
        summary = self.orchestrator.get_state_summary()
        return {
            "id": self.id,
            "createdAt": self.created_at,
            "status": summary.status,
            "current": True,
            "actions": [],
            "errors": summary.errors,
            "pipettes": summary.pipettes,
            "modules": summary.modules,
            "labware": summary.labware,
            "labwareOffsets": summary.labwareOffsets,
            "liquids": summary.liquids,
            "hasEverEnteredErrorRecovery": summary.hasEverEnteredErrorRecovery,
        }


def no_current_maintenance_run() -> Exception:
    return not_found("NoCurrentRunFound", "No Current Run Found", "No current run found.")


class MaintenanceRunStore:
    """Holds the one maintenance run; creating one replaces the last."""

    def __init__(self, hardware: API) -> None:
        self._hardware = hardware
        self._run: MaintenanceRun | None = None

    @property
    def current(self) -> MaintenanceRun:
        if self._run is None:
            raise no_current_maintenance_run()
        return self._run

    def get(self, run_id: str) -> MaintenanceRun:
        if self._run is None or self._run.id != run_id:
            raise not_found("RunNotFound", "Run Not Found", f"Run {run_id} not found.")
        return self._run

    async def create(self, labware_offsets: list[AnyOffsetCreate]) -> MaintenanceRun:
        await self.clear()
        run_id = str(uuid.uuid4())
        orchestrator = await build_orchestrator(self._hardware, run_id=run_id)
        orchestrator.prepare()
        for offset in labware_offsets:
            orchestrator.add_labware_offset(offset)
        self._run = MaintenanceRun(run_id, orchestrator, utc_now())
        return self._run

    async def delete(self, run_id: str) -> None:
        self.get(run_id)
        await self.clear()

    async def clear(self) -> None:
        """End the maintenance run, if any (a protocol run's first play does this too)."""
        run, self._run = self._run, None
        if run is not None:
            await run.orchestrator.finish(
                drop_tips_after_run=False,
                set_run_status=False,
                post_run_hardware_state=PostRunHardwareState.STAY_ENGAGED_IN_PLACE,
            )

    async def add_command(
        self, run_id: str, request: CommandCreate, *, wait: bool, timeout_ms: int | None
    ) -> Command:
        run = self.get(run_id)
        return await enqueue(
            run.orchestrator,
            request,
            wait_until_complete=wait,
            timeout_ms=timeout_ms,
            intent=CommandIntent.SETUP,
        )

    def commands(self, run_id: str, cursor: int | None, length: int) -> CommandPage:
        return command_page(self.get(run_id).orchestrator, cursor, length, include_fixit=True)
