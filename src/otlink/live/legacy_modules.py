"""Legacy module cores, mirrored: each module action runs locally, then on the robot.

One subclass per legacy module core; each action method runs opentrons' own and then posts the
robot's module command for the module's robot id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from opentrons.hardware_control.modules.types import MagneticModuleModel
from opentrons.protocol_api.core.legacy.legacy_module_core import (
    LegacyHeaterShakerCore,
    LegacyMagneticModuleCore,
    LegacyModuleCore,
    LegacyTemperatureModuleCore,
    LegacyThermocyclerCore,
)
from opentrons.protocol_engine.state.modules import ModuleView
from opentrons.protocol_engine.types import ModuleModel

from .legacy_mirror import LegacyMirror

_Result = TypeVar("_Result")


def _mirrored(core: Any, command_type: str, local: Callable[[], _Result], **params: Any) -> _Result:
    """Run a module action locally, then ``command_type`` on the robot for the same module."""
    mirror: LegacyMirror = core._otlink_mirror
    with mirror.local(command_type):
        result = local()
    given = {name: value for name, value in params.items() if value is not None}
    mirror.post(command_type, {"moduleId": mirror.id_of(core), **given})
    return result


class MirroredTemperatureModuleCore(LegacyTemperatureModuleCore):  # type: ignore[misc]
    def set_target_temperature(self, celsius: float) -> Any:
        return _mirrored(
            self,
            "temperatureModule/setTargetTemperature",
            lambda: super(MirroredTemperatureModuleCore, self).set_target_temperature(celsius),
            celsius=celsius,
        )

    def wait_for_target_temperature(self, celsius: float | None = None) -> None:
        _mirrored(
            self,
            "temperatureModule/waitForTemperature",
            lambda: super(MirroredTemperatureModuleCore, self).wait_for_target_temperature(celsius),
            celsius=celsius,
        )

    def deactivate(self) -> None:
        _mirrored(
            self,
            "temperatureModule/deactivate",
            lambda: super(MirroredTemperatureModuleCore, self).deactivate(),
        )


class MirroredMagneticModuleCore(LegacyMagneticModuleCore):  # type: ignore[misc]
    def engage(
        self, height_from_base: float | None = None, height_from_home: float | None = None
    ) -> None:
        self._engage(
            lambda: super(MirroredMagneticModuleCore, self).engage(
                height_from_base, height_from_home
            )
        )

    def engage_to_labware(self, offset: float = 0, preserve_half_mm: bool = False) -> None:
        self._engage(
            lambda: super(MirroredMagneticModuleCore, self).engage_to_labware(
                offset, preserve_half_mm
            )
        )

    def _engage(self, local: Callable[[], None]) -> None:
        # However the height was given (from the labware base, from home, the labware's default),
        # the robot gets where the magnets went: in mm above the labware base.
        with self._otlink_mirror.local("magneticModule/engage"):
            local()
        model = self.get_model()
        hardware_height = self._sync_module_hardware.current_height
        # GEN1 magnets count half millimetres.
        from_home = (
            hardware_height / 2 if model == MagneticModuleModel.MAGNETIC_V1 else hardware_height
        )
        height = ModuleView.calculate_magnet_height(
            module_model=ModuleModel(model.value), height_from_home=from_home
        )
        self._otlink_mirror.post(
            "magneticModule/engage",
            {"moduleId": self._otlink_mirror.id_of(self), "height": round(height, 6)},
        )

    def disengage(self) -> None:
        _mirrored(
            self,
            "magneticModule/disengage",
            lambda: super(MirroredMagneticModuleCore, self).disengage(),
        )


class MirroredThermocyclerCore(LegacyThermocyclerCore):  # type: ignore[misc]
    def open_lid(self) -> Any:
        return _mirrored(
            self, "thermocycler/openLid", lambda: super(MirroredThermocyclerCore, self).open_lid()
        )

    def close_lid(self) -> Any:
        return _mirrored(
            self, "thermocycler/closeLid", lambda: super(MirroredThermocyclerCore, self).close_lid()
        )

    def set_target_block_temperature(
        self,
        celsius: float,
        ramp_rate: float | None,
        hold_time_seconds: float | None = None,
        block_max_volume: float | None = None,
    ) -> None:
        _mirrored(
            self,
            "thermocycler/setTargetBlockTemperature",
            lambda: super(MirroredThermocyclerCore, self).set_target_block_temperature(
                celsius, ramp_rate, hold_time_seconds, block_max_volume
            ),
            celsius=celsius,
            ramp_rate=ramp_rate,
            holdTimeSeconds=hold_time_seconds,
            blockMaxVolumeUl=block_max_volume,
        )

    def wait_for_block_temperature(self) -> None:
        _mirrored(
            self,
            "thermocycler/waitForBlockTemperature",
            lambda: super(MirroredThermocyclerCore, self).wait_for_block_temperature(),
        )

    def set_target_lid_temperature(self, celsius: float) -> None:
        _mirrored(
            self,
            "thermocycler/setTargetLidTemperature",
            lambda: super(MirroredThermocyclerCore, self).set_target_lid_temperature(celsius),
            celsius=celsius,
        )

    def wait_for_lid_temperature(self) -> None:
        _mirrored(
            self,
            "thermocycler/waitForLidTemperature",
            lambda: super(MirroredThermocyclerCore, self).wait_for_lid_temperature(),
        )

    def execute_profile(
        self, steps: list[Any], repetitions: int, block_max_volume: float | None = None
    ) -> None:
        # The robot's profile is flat: the steps, repeated.
        profile = [
            {
                "celsius": step["temperature"],
                "holdSeconds": (step.get("hold_time_seconds") or 0)
                + 60 * (step.get("hold_time_minutes") or 0),
            }
            for step in steps
        ] * repetitions
        _mirrored(
            self,
            "thermocycler/runProfile",
            lambda: super(MirroredThermocyclerCore, self).execute_profile(
                steps, repetitions, block_max_volume
            ),
            profile=profile,
            blockMaxVolumeUl=block_max_volume,
        )

    def deactivate_lid(self) -> None:
        _mirrored(
            self,
            "thermocycler/deactivateLid",
            lambda: super(MirroredThermocyclerCore, self).deactivate_lid(),
        )

    def deactivate_block(self) -> None:
        _mirrored(
            self,
            "thermocycler/deactivateBlock",
            lambda: super(MirroredThermocyclerCore, self).deactivate_block(),
        )

    def deactivate(self) -> None:
        # The robot has no single command for both: lid, then block, as one local action.
        with self._otlink_mirror.local("thermocycler/deactivate"):
            super().deactivate()
        module = {"moduleId": self._otlink_mirror.id_of(self)}
        self._otlink_mirror.post("thermocycler/deactivateLid", module)
        self._otlink_mirror.post("thermocycler/deactivateBlock", module)


class MirroredHeaterShakerCore(LegacyHeaterShakerCore):  # type: ignore[misc]
    def set_target_temperature(self, celsius: float) -> Any:
        return _mirrored(
            self,
            "heaterShaker/setTargetTemperature",
            lambda: super(MirroredHeaterShakerCore, self).set_target_temperature(celsius),
            celsius=celsius,
        )

    def wait_for_target_temperature(self) -> None:
        _mirrored(
            self,
            "heaterShaker/waitForTemperature",
            lambda: super(MirroredHeaterShakerCore, self).wait_for_target_temperature(),
        )

    def set_and_wait_for_shake_speed(self, rpm: int) -> None:
        _mirrored(
            self,
            "heaterShaker/setAndWaitForShakeSpeed",
            lambda: super(MirroredHeaterShakerCore, self).set_and_wait_for_shake_speed(rpm),
            rpm=rpm,
        )

    def open_labware_latch(self) -> None:
        _mirrored(
            self,
            "heaterShaker/openLabwareLatch",
            lambda: super(MirroredHeaterShakerCore, self).open_labware_latch(),
        )

    def close_labware_latch(self) -> None:
        _mirrored(
            self,
            "heaterShaker/closeLabwareLatch",
            lambda: super(MirroredHeaterShakerCore, self).close_labware_latch(),
        )

    def deactivate_shaker(self) -> None:
        _mirrored(
            self,
            "heaterShaker/deactivateShaker",
            lambda: super(MirroredHeaterShakerCore, self).deactivate_shaker(),
        )

    def deactivate_heater(self) -> None:
        _mirrored(
            self,
            "heaterShaker/deactivateHeater",
            lambda: super(MirroredHeaterShakerCore, self).deactivate_heater(),
        )


_MIRRORED: dict[type, type] = {
    LegacyTemperatureModuleCore: MirroredTemperatureModuleCore,
    LegacyMagneticModuleCore: MirroredMagneticModuleCore,
    LegacyThermocyclerCore: MirroredThermocyclerCore,
    LegacyHeaterShakerCore: MirroredHeaterShakerCore,
}


def adopt_module(core: LegacyModuleCore, mirror: LegacyMirror) -> None:
    """Make a freshly loaded legacy module core a mirrored one (as ``adopt_instrument``)."""
    core.__class__ = _MIRRORED[type(core)]
    core._otlink_mirror = mirror
