"""What a protocol reads of a module comes from the robot, at the moment it is read.

opentrons' module cores (engine and legacy alike) read a module's state from a hardware object:
``temperature_module.temperature`` is ``core._sync_module_hardware.temperature``. In a live run
that hardware is the laptop's simulation, which knows nothing of the robot's real module (a
temperature module reads 0 °C, idle, after ``set_temperature(37)``). :class:`RobotModuleReadings`
stands in for it: every reading the Protocol API offers is taken from the robot's
``GET /modules``, for the module the robot loaded (found by the serial number in the robot's
``loadModule`` result), once the robot has run every command issued before the read; anything
else (the legacy core's own hardware actions) goes to the local hardware as before.

Example::

    with otlink.get_protocol_api("2.20", robot="10.0.0.5") as protocol:
        module = protocol.load_module("temperature module gen2", 1)
        module.set_temperature(37)
        module.temperature, module.status  # (37.0, 'holding at target'), as the robot says
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from opentrons.drivers.types import HeaterShakerLabwareLatchStatus, ThermocyclerLidStatus
from opentrons.hardware_control.modules.types import (
    HeaterShakerStatus,
    MagneticStatus,
    SpeedStatus,
    TemperatureStatus,
)

from otlink.runs import RecordingRun

from .robot_run import RobotRun

Reading = Callable[[dict[str, Any]], Any]


def _field(name: str) -> Reading:
    return lambda data: data.get(name)


def _status(kind: type[Enum], name: str = "status") -> Reading:
    def read(data: dict[str, Any]) -> Any:
        value = data.get(name)
        try:
            return kind(value)
        except ValueError:  # a status this opentrons does not know: as the robot says it
            return value

    return read


_TEMPERATURES: dict[str, Reading] = {
    "temperature": _field("currentTemperature"),
    "target": _field("targetTemperature"),
}

# The hardware attribute each Protocol API reading is taken from, per kind of module, and where
# it is in the robot's module data.
_READINGS: dict[str, dict[str, Reading]] = {
    "temperatureModuleType": {**_TEMPERATURES, "status": _status(TemperatureStatus)},
    "magneticModuleType": {"status": _status(MagneticStatus)},
    "thermocyclerModuleType": {
        **_TEMPERATURES,
        "status": _status(TemperatureStatus),
        "lid_status": _status(ThermocyclerLidStatus, "lidStatus"),
        "lid_temp_status": _status(TemperatureStatus, "lidTemperatureStatus"),
        "lid_temp": _field("lidTemperature"),
        "lid_target": _field("lidTargetTemperature"),
        "ramp_rate": _field("rampRate"),
        "hold_time": _field("holdTime"),
        "current_cycle_index": _field("currentCycleIndex"),
        "total_cycle_count": _field("totalCycleCount"),
        "current_step_index": _field("currentStepIndex"),
        "total_step_count": _field("totalStepCount"),
    },
    "heaterShakerModuleType": {
        "status": _status(HeaterShakerStatus),
        "temperature": _field("currentTemperature"),
        "target_temperature": _field("targetTemperature"),
        "temperature_status": _status(TemperatureStatus, "temperatureStatus"),
        "speed": _field("currentSpeed"),
        "target_speed": _field("targetSpeed"),
        "speed_status": _status(SpeedStatus, "speedStatus"),
        "labware_latch_status": _status(HeaterShakerLabwareLatchStatus, "labwareLatchStatus"),
    },
}


class RobotModuleReadings:
    """A module core's hardware whose readings are the robot's.

    ``local`` is the hardware the core had; ``module_id`` the id the robot loaded the module
    under; ``module_type`` its kind (``"temperatureModuleType"``...). While ``reads_locally()``
    is true (inside an action of the legacy core, which reads its own hardware to do it), the
    readings are the local hardware's.
    """

    def __init__(
        self,
        local: Any,
        robot: RobotRun,
        module_id: str,
        module_type: str,
        reads_locally: Callable[[], bool] = lambda: False,
    ) -> None:
        self._local = local
        self._robot = robot
        self._module_id = module_id
        self._readings = _READINGS.get(module_type, {})
        self._reads_locally = reads_locally
        self._serial: str | None = None

    def __getattr__(self, name: str) -> Any:
        reading = self._readings.get(name)
        if reading is None or not self._from_robot():
            return getattr(self._local, name)
        return reading(self._robot_data())

    @property
    def device_info(self) -> dict[str, str]:
        """The local hardware's, with the robot's serial number (the legacy core's serial)."""
        info = dict(self._local.device_info)
        if self._from_robot():
            info["serial"] = self.serial
        return info

    @property
    def serial(self) -> str:
        """The robot's serial number of the module, from its ``loadModule`` result."""
        if not self._from_robot():
            return str(self._local.device_info["serial"])
        if self._serial is None:
            self._robot.sync()
            self._serial = _loaded_serial(self._robot, self._module_id)
        return self._serial

    def _from_robot(self) -> bool:
        # A dry run (a recording) drives no module of the robot's: its readings are local.
        recording = isinstance(self._robot.strategy, RecordingRun)
        return not (recording or self._robot.client is None or self._reads_locally())

    def _robot_data(self) -> dict[str, Any]:
        serial = self.serial
        self._robot.sync()  # what was issued before this read has run on the robot
        assert self._robot.client is not None  # a recording reads locally
        for module in self._robot.client.list_modules():
            if module.serialNumber == serial:
                return dict(module.data)
        raise LookupError(f"module {serial} is no longer attached to the robot")


def _loaded_serial(robot: RobotRun, module_id: str) -> str:
    client = robot.client
    assert client is not None  # a recording reads locally
    for summary in client.iter_commands(robot.id):
        if summary.commandType == "loadModule" and summary.params.get("moduleId") == module_id:
            result = client.get_command(robot.id, summary.id).result or {}
            return str(result["serialNumber"])
    raise LookupError(f"the robot run {robot.id} never loaded module {module_id}")
