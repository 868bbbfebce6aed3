"""/settings: the robot's advanced settings (feature flags), its config and its reset options.

The settings are opentrons' own, kept in the emulator's private config directory, so a flag set
here is the flag the engine reads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from opentrons.config import advanced_settings, feature_flags
from opentrons.config import reset as reset_util
from opentrons.hardware_control.types import HardwareFeatureFlags
from opentrons_shared_data.errors import PythonException
from opentrons_shared_data.robot.types import RobotTypeEnum
from pydantic import BaseModel

from ..api_errors import LegacyApiError
from ..dependencies import Robot, versioned_router

router = versioned_router(legacy=True)


class AdvancedSettingRequest(BaseModel):
    id: str
    value: bool | None = None


def _advanced_settings() -> dict[str, Any]:
    shown = [
        setting
        for setting in advanced_settings.get_all_adv_settings(RobotTypeEnum.OT2).values()
        if setting.definition.should_show()
    ]
    links = {"restart": "/server/restart"} if advanced_settings.is_restart_required() else {}
    return {
        "settings": [
            {
                "id": setting.definition.id,
                "old_id": setting.definition.old_id,
                "title": setting.definition.title,
                "description": setting.definition.description,
                "restart_required": setting.definition.restart_required,
                "value": setting.value,
            }
            for setting in shown
        ],
        "links": links,
    }


@router.get("/settings")
async def get_settings() -> dict[str, Any]:
    return _advanced_settings()


@router.post("/settings")
async def set_setting(robot: Robot, body: AdvancedSettingRequest) -> dict[str, Any]:
    try:
        await advanced_settings.set_adv_setting(body.id, body.value)
    except ValueError as error:  # an unknown setting id
        raise LegacyApiError(400, PythonException(error).message.strip()) from error
    robot.hardware.hardware_feature_flags = HardwareFeatureFlags.build_from_ff()
    await robot.hardware.set_status_bar_enabled(feature_flags.status_bar_enabled())
    return _advanced_settings()


@router.get("/settings/robot")
async def get_robot_config(robot: Robot) -> dict[str, Any]:
    return dataclasses.asdict(robot.hardware.config)


@router.get("/settings/reset/options")
async def get_reset_options() -> dict[str, Any]:
    options = reset_util.reset_options(RobotTypeEnum.OT2)
    return {
        "options": [
            {"id": option_id.value, "name": option.name, "description": option.description}
            for option_id, option in options.items()
        ]
    }
