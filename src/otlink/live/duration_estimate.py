"""How long a robot takes for a command, roughly: for a whole-protocol check's time estimate.

Delays, profiles and holds are counted exactly; module waits from how far the temperature has
to go at a typical ramp; motion by a few seconds per kind of move, and liquid handling by its
volume at its flow rate. It is an estimate to plan a morning by, not a promise.

>>> estimate = DurationEstimate()
>>> estimate.seconds("waitForDuration", {"seconds": 90})
90.0
>>> estimate.seconds("aspirate", {"volume": 100, "flowRate": 50})
3.5
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

AMBIENT_CELSIUS = 23.0

# Seconds for a motion of each kind (an OT-2 at its default speeds, measured by eye).
_MOTION = {
    "home": 10.0,
    "pickUpTip": 5.0,
    "dropTip": 4.0,
    "dropTipInPlace": 2.0,
    "moveToAddressableAreaForDropTip": 2.0,
    "moveToWell": 1.5,
    "moveToAddressableArea": 1.5,
    "moveToCoordinates": 1.5,
    "touchTip": 3.0,
    "blowout": 2.0,
    "blowOutInPlace": 1.0,
    "moveLabware": 2.0,
    "magneticModule/engage": 3.0,
    "magneticModule/disengage": 3.0,
    "thermocycler/openLid": 20.0,
    "thermocycler/closeLid": 20.0,
    "heaterShaker/setAndWaitForShakeSpeed": 5.0,
    "heaterShaker/openLabwareLatch": 2.0,
    "heaterShaker/closeLabwareLatch": 2.0,
}
_LIQUID = {"aspirate": 1.5, "dispense": 1.5, "aspirateInPlace": 0.5, "dispenseInPlace": 0.5}
# Degrees per second a module's temperature moves, typically.
_RAMP = {"temperatureModule": 0.5, "thermocycler": 2.0, "heaterShaker": 0.2, "lid": 0.5}
_OTHER = 0.2  # loads, comments, settings: the robot's own bookkeeping


class DurationEstimate:
    """Estimates commands in order (it keeps each module's set temperature to time its wait)."""

    def __init__(self) -> None:
        self._targets: dict[tuple[str, str], float] = {}
        self._temperatures: dict[tuple[str, str], float] = {}

    def seconds(self, command_type: str, params: Mapping[str, Any]) -> float:
        """The estimated seconds the robot takes for this command."""
        if command_type == "waitForDuration":
            return float(params.get("seconds", 0))
        if command_type in _LIQUID:
            volume = float(params.get("volume", 0))
            rate = float(params.get("flowRate") or 0)
            return _LIQUID[command_type] + (volume / rate if rate > 0 else 0.0)
        if command_type in _MOTION:
            return _MOTION[command_type]
        kind, _, action = command_type.partition("/")
        module = str(params.get("moduleId", ""))
        if kind in _RAMP and action:
            return self._module(kind, module, action, params)
        return _OTHER

    def _module(self, kind: str, module: str, action: str, params: Mapping[str, Any]) -> float:
        part = "lid" if "Lid" in action else kind
        key = (module, part)
        if action.startswith("setTarget") or action == "setAndWaitForTemperature":
            self._targets[key] = float(params["celsius"])
        if action.startswith("deactivate"):
            self._targets.pop(key, None)
            return _OTHER
        if action == "runProfile":
            return self._profile(key, params.get("profile", []))
        if action.startswith("waitFor") or action == "setAndWaitForTemperature":
            target = params.get("celsius") or self._targets.get(key, AMBIENT_CELSIUS)
            return self._ramp(key, float(target), _RAMP[part])
        return _OTHER

    def _ramp(self, key: tuple[str, str], target: float, rate: float) -> float:
        now = self._temperatures.get(key, AMBIENT_CELSIUS)
        self._temperatures[key] = target
        return abs(target - now) / rate

    def _profile(self, key: tuple[str, str], steps: list[Mapping[str, Any]]) -> float:
        return sum(
            self._ramp(key, float(step["celsius"]), _RAMP["thermocycler"])
            + float(step.get("holdSeconds", 0))
            for step in steps
        )
