"""/errorRecovery/settings: the robot-wide error recovery switch (an OT-2 never recovers)."""

from __future__ import annotations

from fastapi.responses import Response
from pydantic import BaseModel

from .. import responses
from ..dependencies import Robot, versioned_router
from ..request_models import Envelope

router = versioned_router()
PATH = "/errorRecovery/settings"
ENABLED_BY_DEFAULT = True


class SettingsPatch(BaseModel):
    enabled: bool | None = None


def _settings(robot: Robot) -> Response:
    enabled = robot.error_recovery_enabled
    return responses.data({"enabled": ENABLED_BY_DEFAULT if enabled is None else enabled})


@router.get(PATH)
async def get_error_recovery_settings(robot: Robot) -> Response:
    return _settings(robot)


@router.patch(PATH)
async def patch_error_recovery_settings(robot: Robot, body: Envelope[SettingsPatch]) -> Response:
    if body.data.enabled is not None:
        robot.error_recovery_enabled = body.data.enabled
    return _settings(robot)


@router.delete(PATH)
async def reset_error_recovery_settings(robot: Robot) -> Response:
    robot.error_recovery_enabled = None
    return _settings(robot)
