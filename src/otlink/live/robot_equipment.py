"""The robot's pipettes and modules, for a check that must see the robot as it is.

A whole-protocol check runs on simulated hardware; that hardware gets the robot's own pipettes
(read from ``GET /instruments``), so a ``load_instrument`` the robot would refuse is refused by
opentrons' hardware in the check too, and a load on an empty mount fails as on a robot. The
protocol's modules are matched to the robot's (``GET /modules``) by opentrons' own rule of
which model stands in for which.

Example::

    equipment = RobotEquipment.of(client)
    hardware = equipment.hardware()            # simulated, with the robot's pipettes
    equipment.module_for("temperatureModuleV1", taken=[])   # a serial number, or None
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opentrons.hardware_control import API, ThreadManager
from opentrons.hardware_control.modules.types import SimulatingModule, module_model_from_string
from opentrons.protocol_api.core.legacy.module_geometry import models_compatible
from opentrons.types import Mount
from opentrons_shared_data.module import load_definition

from otlink.client import RobotClient

# The hardware's kind of module, by the robot's moduleType.
_KINDS = {
    "temperatureModuleType": "tempdeck",
    "magneticModuleType": "magdeck",
    "thermocyclerModuleType": "thermocycler",
    "heaterShakerModuleType": "heatershaker",
}


class _RobotHardware(API):  # type: ignore[misc]
    """opentrons' hardware simulator, whose empty mounts stay empty, as a robot's do."""

    empty_mounts: frozenset[Mount] = frozenset()

    async def cache_instruments(
        self, require: dict[Mount, str] | None = None, skip_if_would_block: bool = False
    ) -> None:
        for mount, name in (require or {}).items():
            if mount in self.empty_mounts:
                # In the robot's own words (its Smoothie controller's).
                raise RuntimeError(
                    f"mount {mount}: instrument {name} was requested, but no instrument is present"
                )
        await super().cache_instruments(require, skip_if_would_block)


@dataclass(frozen=True)
class RobotEquipment:
    """What is attached to the robot: pipettes by mount, and modules (model, serial)."""

    pipettes: dict[Mount, dict[str, str]]
    modules: list[tuple[str, str, str]]  # (moduleType, moduleModel, serialNumber)

    @classmethod
    def of(cls, client: RobotClient) -> RobotEquipment:
        """Read the robot's pipettes and modules (nothing moves)."""
        pipettes = {
            Mount.string_to_mount(instrument.mount): {
                "model": instrument.instrumentModel or "",
                "id": instrument.serialNumber or "",
            }
            for instrument in client.list_instruments()
            if instrument.instrumentType in (None, "pipette") and instrument.instrumentModel
        }
        modules = [
            (module.moduleType, module.moduleModel, module.serialNumber)
            for module in client.list_modules()
        ]
        return cls(pipettes, modules)

    def hardware(self) -> Any:
        """A simulated OT-2 (a ThreadManager) with the robot's pipettes and modules attached."""
        modules: dict[str, list[SimulatingModule]] = {}
        for kind, model, serial in self.modules:
            if kind in _KINDS:
                modules.setdefault(_KINDS[kind], []).append(
                    SimulatingModule(serial_number=serial, model=model)
                )
        empty = frozenset({Mount.LEFT, Mount.RIGHT} - set(self.pipettes))

        async def build(**options: Any) -> _RobotHardware:
            hardware: _RobotHardware = await _RobotHardware.build_hardware_simulator(**options)
            hardware.empty_mounts = empty
            return hardware

        return ThreadManager(build, attached_instruments=self.pipettes, attached_modules=modules)

    def module_for(self, requested: str, taken: Sequence[str]) -> str | None:
        """The serial number of an attached module that can stand in for ``requested``."""
        model = module_model_from_string(requested)
        for _, attached, serial in self.modules:
            if serial not in taken and models_compatible(model, load_definition("3", attached)):
                return serial
        return None
