"""The robot's body: rail lights, homing, motors, the door and the (Flex-only) estop.

Lights, home and motors are robot-server's legacy routes and act on the simulated hardware
directly, as on a robot: after POST /robot/home a run's first move needs no home command.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi.responses import Response
from opentrons.config import feature_flags
from opentrons.hardware_control.types import Axis, DoorState
from opentrons.types import Mount
from opentrons_shared_data.robot.types import RobotTypeEnum
from pydantic import BaseModel, field_validator

from .. import responses
from ..api_errors import ApiError, LegacyApiError
from ..dependencies import Robot, versioned_router

router = versioned_router(legacy=True)
control_router = versioned_router()


class HomeTarget(str, Enum):
    pipette = "pipette"
    robot = "robot"


class MountName(str, Enum):
    right = "right"
    left = "left"


# Every name robot-server accepts for an axis: the hardware's axis names (and aliases), lower-cased.
MotorName = Enum(  # type: ignore[misc]
    "MotorName", {name: name.lower() for name in Axis.__members__}, type=str
)


class RobotLightState(BaseModel):
    on: bool


class RobotHomeTarget(BaseModel):
    target: HomeTarget
    mount: MountName | None = None


class Axes(BaseModel):
    axes: list[MotorName]  # type: ignore[valid-type]

    @field_validator("axes", mode="before")
    @classmethod
    def _lower_case(cls, value: Any) -> Any:
        # robot-server takes axis names in any case ("X" or "x").
        if not isinstance(value, list):
            return value
        return [name.lower() if isinstance(name, str) else name for name in value]


@router.get("/robot/lights")
async def get_lights(robot: Robot) -> dict[str, bool]:
    lights = await robot.hardware.get_lights()
    return {"on": lights.get("rails", False)}


@router.post("/robot/lights")
async def set_lights(robot: Robot, body: RobotLightState) -> dict[str, bool]:
    await robot.hardware.set_lights(rails=body.on)
    return {"on": body.on}


@router.post("/robot/home")
async def home(robot: Robot, body: RobotHomeTarget) -> dict[str, str]:
    if body.target is HomeTarget.pipette and body.mount is None:
        # robot-server checks this in a root validator, so it reads like its pydantic's error.
        raise LegacyApiError(422, "body.__root__: mount must be specified if target is pipette")
    hardware = robot.hardware
    if body.mount is not None and body.target is HomeTarget.pipette:
        mount = Mount[body.mount.value.upper()]
        await hardware.home([Axis.by_mount(mount)])
        await hardware.home_plunger(mount)
        return {"message": f"Pipette on {body.mount.value} homed successfully"}
    await hardware.home()
    return {"message": "Homing robot."}


@router.get("/motors/engaged")
async def get_engaged_motors(robot: Robot) -> dict[str, Any]:
    engaged = {
        str(axis).lower(): {"enabled": on} for axis, on in robot.hardware.engaged_axes.items()
    }
    names = ("x", "y", "z_l", "z_r", "p_l", "p_r", "q", "g")
    return {name: engaged.get(name) for name in names}


@router.post("/motors/disengage")
async def disengage_motors(robot: Robot, body: Axes) -> dict[str, str]:
    names = [axis.value for axis in body.axes]
    # An OT-2 has no Flex axes: robot-server drops them rather than failing.
    axes = [Axis[name.upper()] for name in names if Axis[name.upper()] in Axis.ot2_axes()]
    await robot.hardware.disengage_axes(axes)
    return {"message": f"Disengaged axes: {', '.join(names)}"}


@control_router.get("/robot/door/status")
async def get_door_status(robot: Robot) -> Response:
    door = "open" if robot.hardware.door_state is DoorState.OPEN else "closed"
    required = feature_flags.enable_door_safety_switch(RobotTypeEnum.OT2)
    return responses.data({"status": door, "doorRequiredClosedForProtocol": required})


def _flex_only() -> ApiError:
    return ApiError(
        403, "NotSupportedOnOT2", "Not Supported On OT-2", "This route is only available on a Flex."
    )


@control_router.get("/robot/control/estopStatus")
async def get_estop_status() -> Response:
    raise _flex_only()


@control_router.put("/robot/control/acknowledgeEstopDisengage")
async def acknowledge_estop_disengage() -> Response:
    raise _flex_only()
