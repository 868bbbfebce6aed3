"""What each module was told, below apiLevel 2.14, from opentrons' own legacy simulation.

The legacy record of a module action (its broker message) holds little more than text; the
official analysis holds only that text. What the legacy core told the module is in the
simulated module hardware after the action: its target temperatures, shake speed and magnet
height (in the hardware's units, from home). :func:`settings_after` reads them;
:func:`assert_same_settings` checks that every module command a live run sent leaves the
module as the legacy core left it, converting the robot's values with opentrons' engine (a
magnet height above the labware base becomes the hardware's height from home as the engine
converts it on the robot).
"""

from __future__ import annotations

import re
from typing import Any

from opentrons.legacy_commands import types as legacy
from opentrons.protocol_engine.state.module_substates.magnetic_module_substate import (
    MagneticModuleId,
    MagneticModuleSubState,
)
from opentrons.protocol_engine.types import ModuleModel

#: for each kind of module (its context's class name starts so), the hardware attributes read
_HARDWARE = {
    "Temperature": ("target",),
    "Magnetic": ("current_height",),
    "Thermocycler": ("target", "lid_target"),
    "HeaterShaker": ("target_speed", "target_temperature"),
}
_ACTION_HARDWARE = {
    legacy.TEMPDECK_SET_TEMP: "Temperature",
    legacy.TEMPDECK_DEACTIVATE: "Temperature",
    legacy.MAGDECK_ENGAGE: "Magnetic",
    legacy.MAGDECK_DISENGAGE: "Magnetic",
    legacy.THERMOCYCLER_SET_BLOCK_TEMP: "Thermocycler",
    legacy.THERMOCYCLER_SET_LID_TEMP: "Thermocycler",
    legacy.THERMOCYCLER_EXECUTE_PROFILE: "Thermocycler",
    legacy.THERMOCYCLER_DEACTIVATE_LID: "Thermocycler",
    legacy.THERMOCYCLER_DEACTIVATE_BLOCK: "Thermocycler",
    legacy.THERMOCYCLER_DEACTIVATE: "Thermocycler",
    legacy.HEATER_SHAKER_SET_TARGET_TEMPERATURE: "HeaterShaker",
    legacy.HEATER_SHAKER_SET_AND_WAIT_FOR_SHAKE_SPEED: "HeaterShaker",
    legacy.HEATER_SHAKER_DEACTIVATE_SHAKER: "HeaterShaker",
    legacy.HEATER_SHAKER_DEACTIVATE_HEATER: "HeaterShaker",
}
_REPETITIONS = re.compile(r"starting (\d+) repetitions")


def settings_after(message: dict[str, Any], context: Any) -> dict[str, Any] | None:
    """The module's settings once the legacy action of ``message`` (an "after" message) is done,
    or None for an action that sets nothing (a lid, a latch, a wait) or when the protocol has
    two modules of that kind."""
    kind = _ACTION_HARDWARE.get(message["name"])
    if kind is None:
        return None
    found = [
        module._core._sync_module_hardware
        for module in context.loaded_modules.values()
        if type(module).__name__.startswith(kind)
    ]
    if len(found) != 1:  # the legacy message does not say which of two alike modules it is
        return None
    hardware = found[0]
    settings = {name: getattr(hardware, name) for name in _HARDWARE[kind]}
    settings["model"] = hardware.model()
    if message["name"] == legacy.THERMOCYCLER_SET_BLOCK_TEMP:
        settings["hold_time"] = message["payload"]["hold_time"]
    if message["name"] == legacy.THERMOCYCLER_EXECUTE_PROFILE:
        repetitions = int(_REPETITIONS.search(message["payload"]["text"]).group(1))  # type: ignore[union-attr]
        settings["profile"] = [_step(step) for step in message["payload"]["steps"]] * repetitions
    return settings


def _step(step: dict[str, Any]) -> dict[str, float]:
    seconds = step.get("hold_time_seconds", 0) + 60 * step.get("hold_time_minutes", 0)
    return {"celsius": float(step["temperature"]), "holdSeconds": float(seconds)}


def _expected(kind: str, params: dict[str, Any], model: str) -> dict[str, Any] | None:
    """What the hardware holds after the robot's module command ``kind`` with ``params``."""
    if kind == "temperatureModule/setTargetTemperature":
        return {"target": params["celsius"]}
    if kind == "temperatureModule/deactivate":
        return {"target": None}
    if kind == "magneticModule/engage":
        magnet = MagneticModuleSubState(MagneticModuleId("magnet"), ModuleModel(model))
        return {"current_height": magnet.calculate_magnet_hardware_height(params["height"])}
    if kind == "magneticModule/disengage":
        return {"current_height": 0.0}
    if kind == "thermocycler/setTargetBlockTemperature":
        return {"target": params["celsius"], "hold_time": params.get("holdTimeSeconds") or None}
    if kind == "thermocycler/setTargetLidTemperature":
        return {"lid_target": params["celsius"]}
    if kind == "thermocycler/runProfile":
        return {"profile": params["profile"], "target": params["profile"][-1]["celsius"]}
    if kind == "thermocycler/deactivateLid":
        return {"lid_target": None}
    if kind == "thermocycler/deactivateBlock":
        return {"target": None}
    if kind == "heaterShaker/setAndWaitForShakeSpeed":
        return {"target_speed": params["rpm"]}
    if kind == "heaterShaker/setTargetTemperature":
        return {"target_temperature": params["celsius"]}
    if kind == "heaterShaker/deactivateShaker":
        return {"target_speed": None}
    if kind == "heaterShaker/deactivateHeater":
        return {"target_temperature": None}
    return None


def assert_same_settings(live: list[Any], simulated: list[Any]) -> int:
    """Each live module command (an Action with the robot's ``params``) leaves its module as
    the simulated action at the same place did (``params`` from :func:`settings_after`).
    The number of settings compared (so that a test can tell it compared some)."""
    compared = 0
    for mine, theirs in zip(live, simulated, strict=True):
        if "/" not in mine.kind or theirs.params is None:
            continue
        expected = _expected(mine.kind, mine.params or {}, theirs.params["model"])
        if expected is None:
            continue
        found = {name: theirs.params.get(name) for name in expected}
        assert _close(expected, found), (mine.kind, mine.params, theirs.params)
        compared += 1
    return compared


def _close(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    def same(a: Any, b: Any) -> bool:
        if isinstance(a, int | float) and isinstance(b, int | float):
            return abs(a - b) < 1e-6
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        return bool(a == b)

    return same(expected, found)
