"""GET /modules: the attached modules and their live state, read from the simulated hardware."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from opentrons.hardware_control.modules.magdeck import OFFSET_TO_LABWARE_BOTTOM
from opentrons.protocol_engine import DeckType, ModuleModel
from opentrons_shared_data.module import load_definition
from pydantic import BaseModel, Field

from .. import responses
from ..dependencies import Robot, versioned_router
from ..legacy_modules import legacy_module
from ..module_identity import module_id
from ..versioning import VERSION_HEADER, requested_version

router = versioned_router()


# The live data of each kind of module under robot-server's field names and types: the hardware
# reports 0 for 0.0 and so on, and the types make the JSON read as the robot's does. Each field
# is read from the hardware's key named by its alias (None when the hardware leaves it out).
def _from(key: str) -> Any:
    return Field(default=None, validation_alias=key)


class TemperatureModuleData(BaseModel):
    status: str
    currentTemperature: float = _from("currentTemp")
    targetTemperature: float | None = _from("targetTemp")


class MagneticModuleData(BaseModel):
    status: str
    engaged: bool = _from("engaged")
    height: float = _from("height")


class ThermocyclerModuleData(BaseModel):
    status: str
    currentTemperature: float | None = _from("currentTemp")
    targetTemperature: float | None = _from("targetTemp")
    lidStatus: str = _from("lid")
    lidTemperatureStatus: str = _from("lidTempStatus")
    lidTemperature: float | None = _from("lidTemp")
    lidTargetTemperature: float | None = _from("lidTarget")
    holdTime: float | None = _from("holdTime")
    rampRate: float | None = _from("rampRate")
    currentCycleIndex: int | None = _from("currentCycleIndex")
    totalCycleCount: int | None = _from("totalCycleCount")
    currentStepIndex: int | None = _from("currentStepIndex")
    totalStepCount: int | None = _from("totalStepCount")


class HeaterShakerModuleData(BaseModel):
    status: str
    labwareLatchStatus: str = _from("labwareLatchStatus")
    speedStatus: str = _from("speedStatus")
    currentSpeed: int = _from("currentSpeed")
    targetSpeed: int | None = _from("targetSpeed")
    temperatureStatus: str = _from("temperatureStatus")
    currentTemperature: float = _from("currentTemp")
    targetTemperature: float | None = _from("targetTemp")
    errorDetails: str | None = _from("errorDetails")


def _magnet_height(model: ModuleModel, height: float) -> float:
    # The hardware measures from the magnets' home; clients are shown the height above the
    # labware bottom, in half millimetres on a GEN1 module.
    above_labware = height - float(OFFSET_TO_LABWARE_BOTTOM[model.value])
    return above_labware / 2 if model is ModuleModel.MAGNETIC_MODULE_V1 else above_labware


def _live_data(model: ModuleModel, live: dict[str, Any]) -> BaseModel:
    data = {**live["data"], "status": live["status"]}
    if ModuleModel.is_temperature_module_model(model):
        return TemperatureModuleData.model_validate(data)
    if ModuleModel.is_magnetic_module_model(model):
        return MagneticModuleData.model_validate(
            {**data, "height": _magnet_height(model, data["height"])}
        )
    if ModuleModel.is_thermocycler_module_model(model):
        return ThermocyclerModuleData.model_validate(data)
    return HeaterShakerModuleData.model_validate(data)


def _attached_module(module: Any) -> dict[str, Any]:
    info = module.device_info
    model = ModuleModel(module.model())
    definition = load_definition(model_or_loadname=model.value, version="3")
    port = module.usb_port
    return {
        "id": module_id(info),
        "serialNumber": info["serial"],
        "firmwareVersion": info["version"],
        "hardwareRevision": info["model"],
        "hasAvailableUpdate": module.has_available_update(),
        "moduleType": model.as_type().value,
        "moduleModel": model.value,
        "compatibleWithRobot": DeckType.OT2_STANDARD.value
        not in definition["incompatibleWithDecks"],
        "data": _live_data(model, module.live_data),
        "usbPort": {
            "port": port.port_number,
            "portGroup": port.port_group,
            "hub": port.hub,
            "hubPort": port.hub_port,
            "path": port.device_path,
        },
    }


@router.get("/modules")
async def get_modules(robot: Robot, request: Request) -> Response:
    attached = robot.hardware.attached_modules
    if requested_version(request.headers[VERSION_HEADER]) <= 2:
        body = {"modules": [legacy_module(module) for module in attached]}
        return Response(content=responses.to_json(body), media_type="application/json")
    return responses.collection([_attached_module(module) for module in attached])
