"""The simulated OT-2 hardware that stands in for the robot's motors, pipettes and modules."""

from __future__ import annotations

from typing import Any

from opentrons.config import feature_flags
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
    # ``otlink emulate --fast``: waits end at once (engines built on this hardware follow it).
    fast: bool = False

    async def cache_instruments(
        self, require: dict[Mount, str] | None = None, skip_if_would_block: bool = False
    ) -> None:
        for mount, name in (require or {}).items():
            if mount in self.empty_mounts:
                raise RuntimeError(
                    f"mount {mount}: instrument {name} was requested, but no instrument is present"
                )
        await super().cache_instruments(require, skip_if_would_block)

    async def delay(self, duration_s: float) -> None:
        """A legacy protocol's delay (API below 2.14); over at once when fast."""
        await super().delay(0 if self.fast else duration_s)


async def build_hardware(settings: RobotSettings) -> VirtualOT2Hardware:
    """Boot the opentrons hardware simulator with the settings' pipettes and modules attached.

    As a robot after power-on, it homes its Z axes unless the robot setting
    ``disableHomeOnBoot`` is on; X and Y stay unhomed until a home.
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
    hardware.fast = settings.fast
    if not feature_flags.disable_home_on_boot():
        # As robot-server on an OT-2 once its hardware is up: the Z axes home, X and Y do not.
        await hardware.home_z()
    if settings.fast:
        for module in hardware.attached_modules:
            _poll_on_demand(module)
    return hardware


def _poll_on_demand(module: Any) -> None:
    """A fast module reads its state when something waits for it, not on its poll interval.

    Simulated modules reach a target at once, but each wait (a temperature, a profile step's
    hold) still sleeps for polls to come round; a 35-cycle profile takes 20 s that way.
    """
    # opentrons (pinned <9) gives no hook; each module keeps its poller privately.
    poller = getattr(module, "_poller", None)
    if poller is None:
        return  # a magnetic module: nothing to wait for

    async def read_now() -> None:
        await poller._poll_once()

    poller.wait_next_poll = read_now
