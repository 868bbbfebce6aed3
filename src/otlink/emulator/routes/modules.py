"""GET /modules: the attached modules and their live state, read from the simulated hardware."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from opentrons.hardware_control.modules.magdeck import OFFSET_TO_LABWARE_BOTTOM
from opentrons.protocol_engine import DeckType, ModuleModel
from opentrons_shared_data.module import load_definition
from pydantic import BaseModel

from .. import responses
from ..dependencies import Robot, versioned_router
from ..module_identity import module_id

router = versioned_router()


# The live data of each kind of module, with robot-server's field names and types (the
# hardware reports 0 for 0.0 and so on; the types make the JSON read as the robot's does).
class TemperatureModuleData(BaseModel):
    status: str
    currentTemperature: float
    targetTemperature: float | None


class MagneticModuleData(BaseModel):
    status: str
    engaged: bool
    height: float


class ThermocyclerModuleData(BaseModel):
    status: str
    currentTemperature: float | None
    targetTemperature: float | None
    lidStatus: str
    lidTemperatureStatus: str
    lidTemperature: float | None
    lidTargetTemperature: float | None
    holdTime: float | None
    rampRate: float | None
    currentCycleIndex: int | None
    totalCycleCount: int | None
    currentStepIndex: int | None
    totalStepCount: int | None


class HeaterShakerModuleData(BaseModel):
    status: str
    labwareLatchStatus: str
    speedStatus: str
    currentSpeed: int
    targetSpeed: int | None
    temperatureStatus: str
    currentTemperature: float
    targetTemperature: float | None
    errorDetails: str | None


def _magnet_height(model: ModuleModel, height: float) -> float:
    # The hardware measures from the magnets' home; clients are shown the height above the
    # labware bottom, in half millimetres on a GEN1 module.
    above_labware = height - float(OFFSET_TO_LABWARE_BOTTOM[model.value])
    return above_labware / 2 if model is ModuleModel.MAGNETIC_MODULE_V1 else above_labware


def _live_data(model: ModuleModel, live: dict[str, Any]) -> BaseModel:
    status, data = live["status"], live["data"]
    if ModuleModel.is_temperature_module_model(model):
        return TemperatureModuleData(
            status=status,
            currentTemperature=data.get("currentTemp"),
            targetTemperature=data.get("targetTemp"),
        )
    if ModuleModel.is_magnetic_module_model(model):
        return MagneticModuleData(
            status=status,
            engaged=data.get("engaged"),
            height=_magnet_height(model, data["height"]),
        )
    if ModuleModel.is_thermocycler_module_model(model):
        return ThermocyclerModuleData(
            status=status,
            currentTemperature=data.get("currentTemp"),
            targetTemperature=data.get("targetTemp"),
            lidStatus=data.get("lid"),
            lidTemperatureStatus=data.get("lidTempStatus"),
            lidTemperature=data.get("lidTemp"),
            lidTargetTemperature=data.get("lidTarget"),
            holdTime=data.get("holdTime"),
            rampRate=data.get("rampRate"),
            currentCycleIndex=data.get("currentCycleIndex"),
            totalCycleCount=data.get("totalCycleCount"),
            currentStepIndex=data.get("currentStepIndex"),
            totalStepCount=data.get("totalStepCount"),
        )
    return HeaterShakerModuleData(
        status=status,
        labwareLatchStatus=data.get("labwareLatchStatus"),
        speedStatus=data.get("speedStatus"),
        currentSpeed=data.get("currentSpeed"),
        targetSpeed=data.get("targetSpeed"),
        temperatureStatus=data.get("temperatureStatus"),
        currentTemperature=data.get("currentTemp"),
        targetTemperature=data.get("targetTemp"),
        errorDetails=data.get("errorDetails"),
    )


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
async def get_modules(robot: Robot) -> Response:
    return responses.collection(
        [_attached_module(module) for module in robot.hardware.attached_modules]
    )
