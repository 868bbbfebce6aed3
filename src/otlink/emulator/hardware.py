"""The simulated OT-2 hardware that stands in for the robot's motors, pipettes and modules."""

from __future__ import annotations

from typing import Any

from opentrons.hardware_control import API
from opentrons.hardware_control.modules.types import SimulatingModule
from opentrons.types import Mount

from .robot_settings import PIPETTE_MODELS, RobotSettings


class VirtualOT2Hardware(API):  # type: ignore[misc]
    """opentrons' hardware simulator, with empty mounts that stay empty.

    The simulator attaches whatever pipette is asked for on an empty mount; a robot refuses, in
    the words of its Smoothie controller, and so does this.
    """

    empty_mounts: frozenset[Mount] = frozenset()

    async def cache_instruments(
        self, require: dict[Mount, str] | None = None, skip_if_would_block: bool = False
    ) -> None:
        for mount, name in (require or {}).items():
            if mount in self.empty_mounts:
                raise RuntimeError(
                    f"mount {mount}: instrument {name} was requested, but no instrument is present"
                )
        await super().cache_instruments(require, skip_if_would_block)


async def build_hardware(settings: RobotSettings) -> VirtualOT2Hardware:
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
    hardware: VirtualOT2Hardware = await VirtualOT2Hardware.build_hardware_simulator(
        attached_instruments=instruments, attached_modules=modules
    )
    hardware.empty_mounts = frozenset({Mount.LEFT, Mount.RIGHT} - set(instruments))
    return hardware
