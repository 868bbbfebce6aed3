"""The simulated OT-2 hardware that stands in for the robot's motors, pipettes and modules."""

from __future__ import annotations

from typing import Any

from opentrons.hardware_control import API
from opentrons.hardware_control.modules.types import SimulatingModule
from opentrons.types import Mount

from .robot_settings import PIPETTE_MODELS, RobotSettings


async def build_hardware(settings: RobotSettings) -> API:
    """Boot the opentrons hardware simulator with the settings' pipettes and modules attached.

    It starts unhomed, as a robot does after power-on: motion before a home fails with
    MustHomeError.
    """
    instruments: dict[Mount, dict[str, Any]] = {
        Mount.string_to_mount(mount): {
            "model": PIPETTE_MODELS[name],
            "id": settings.pipette_serial(mount),
        }
        for mount, name in settings.pipettes.items()
    }
    modules: dict[str, list[SimulatingModule]] = {}
    for module in settings.attached_modules:
        modules.setdefault(module.kind, []).append(
            SimulatingModule(serial_number=module.serial_number, model=module.model)
        )
    return await API.build_hardware_simulator(
        attached_instruments=instruments,
        attached_modules=modules,
    )
