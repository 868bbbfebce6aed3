"""GET /modules as HTTP API version 2 clients get it: ``{"modules": [...]}``, hardware names.

robot-server still answers requests with ``Opentrons-Version: 2`` in the shape the route had
before version 3, nulls included.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from opentrons.protocol_engine import ModuleModel
from pydantic import BaseModel


class TemperatureModuleLiveData(BaseModel):
    currentTemp: float
    targetTemp: float | None


class MagneticModuleLiveData(BaseModel):
    engaged: bool
    height: float


class ThermocyclerModuleLiveData(BaseModel):
    lid: str
    lidTarget: float | None
    lidTemp: float
    currentTemp: float
    targetTemp: float | None
    holdTime: float | None
    rampRate: float | None
    currentCycleIndex: int | None
    totalCycleCount: int | None
    currentStepIndex: int | None
    totalStepCount: int | None


class HeaterShakerModuleLiveData(BaseModel):
    labwareLatchStatus: str
    speedStatus: str
    temperatureStatus: str
    currentSpeed: int
    currentTemp: float
    targetSpeed: int | None
    targetTemp: float | None
    errorDetails: str | None


def _live_data(model: ModuleModel, data: dict[str, Any]) -> dict[str, Any]:
    kind: type[BaseModel] = HeaterShakerModuleLiveData
    if ModuleModel.is_temperature_module_model(model):
        kind = TemperatureModuleLiveData
    elif ModuleModel.is_magnetic_module_model(model):
        kind = MagneticModuleLiveData
    elif ModuleModel.is_thermocycler_module_model(model):
        kind = ThermocyclerModuleLiveData
    return kind.model_validate(data).model_dump(mode="json")


def legacy_module(module: Any) -> dict[str, Any]:
    """One attached hardware module, as version 2 of GET /modules lists it."""
    info, port, live = module.device_info, module.usb_port, module.live_data
    status = live["status"]
    return {
        "name": module.name(),
        "displayName": module.name(),
        "moduleModel": module.model(),
        "port": module.port,
        "usbPort": {
            "hub": port.hub,
            "port": port.port_number,
            "portGroup": port.port_group,
            "hubPort": port.hub_port,
        },
        "serial": info["serial"],
        "model": info["model"],
        "revision": info["model"],
        "fwVersion": info["version"],
        "hasAvailableUpdate": module.has_available_update(),
        "status": status.value if isinstance(status, Enum) else status,
        "data": _live_data(ModuleModel(module.model()), live["data"]),
    }
