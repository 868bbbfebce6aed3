"""Live protocol contexts for apiLevel 2.14 and up: opentrons' engine core on our transport."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from typing import Any

from opentrons.hardware_control.modules.types import ModuleType
from opentrons.protocol_api import ProtocolContext
from opentrons.protocol_api.core.engine import ModuleCore, ProtocolCore
from opentrons.protocol_api.disposal_locations import TrashBin
from opentrons.protocol_engine.clients import SyncClient
from opentrons.protocols.api_support.deck_type import (
    should_load_fixed_trash_area_for_python_protocol,
)
from opentrons.protocols.api_support.types import APIVersion

from otlink.ot2 import ROBOT_TYPE

from .local_engine import (
    HardwareFactory,
    add_labware_definitions,
    local_engine,
    simulated_hardware,
)
from .mirroring_transport import MirroringTransport
from .module_readings import RobotModuleReadings
from .pauses import PauseHandler
from .robot_run import RobotRun


def engine_core_context(
    context_class: type[ProtocolContext],
    api_version: APIVersion,
    robot: RobotRun,
    labware: list[dict[str, Any]],
    resources: ExitStack,
    on_pause: PauseHandler,
    hardware_factory: HardwareFactory = simulated_hardware,
) -> ProtocolContext:
    """A ProtocolContext whose every command runs locally, then on ``robot``.

    What it starts (the local engine's thread) is left on ``resources`` to close.
    """
    local = resources.enter_context(local_engine(api_version, hardware_factory))
    # A robot that has homed before is not stricter than this; the robot has the last word.
    local.hardware.sync.home()

    add_labware_definitions(local, labware)
    core = LiveProtocolCore(
        engine_client=SyncClient(transport=MirroringTransport(local, robot, on_pause)),
        api_version=api_version,
        sync_hardware=local.hardware.sync,
        robot=robot,
    )
    context = context_class(api_version=api_version, core=core)
    if should_load_fixed_trash_area_for_python_protocol(api_version, ROBOT_TYPE):
        # As opentrons does for OT-2 protocols from 2.16: the trash area is known up front.
        assert isinstance(context.fixed_trash, TrashBin)
        area = context.fixed_trash.area_name

        async def add_area() -> None:
            local.engine.add_addressable_area(area)

        asyncio.run_coroutine_threadsafe(add_area(), local.loop).result()
    return context


class LiveProtocolCore(ProtocolCore):  # type: ignore[misc]
    """opentrons' engine ``ProtocolCore`` whose modules read their state from the robot."""

    def __init__(self, *, robot: RobotRun, **core: Any) -> None:
        super().__init__(**core)
        self._otlink_robot = robot

    def load_module(self, model: Any, deck_slot: Any, configuration: str | None) -> Any:
        module = super().load_module(model, deck_slot, configuration)
        if isinstance(module, ModuleCore):
            readings = RobotModuleReadings(
                module._sync_module_hardware,
                self._otlink_robot,
                module.module_id,
                ModuleType.from_model(module.get_model()).value,
            )
            module._sync_module_hardware = readings
            # The engine's module is virtual; its serial number is the robot's module's.
            module.get_serial_number = lambda: readings.serial
        return module
