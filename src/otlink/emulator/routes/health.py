"""/health (robot-server) and /server/update/health (the update-server): who this robot is.

Discovery clients poll both. /health is a legacy route that needs the version header; the
update-server's routes never do, and answer in aiohttp's JSON layout with an open CORS header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from opentrons import __version__ as opentrons_version
from opentrons.config import OT_SYSTEM_VERSION
from opentrons.protocol_api import MAX_SUPPORTED_VERSION, MIN_SUPPORTED_VERSION

from otlink.ot2 import ROBOT_TYPE

from ..dependencies import Robot, versioned_router
from ..responses import to_json

router = versioned_router(legacy=True)
update_server_router = APIRouter()

LOG_PATHS = ["/logs/serial.log", "/logs/api.log", "/logs/server.log", "/logs/update_server.log"]
HEALTH_LINKS = {
    "apiLog": "/logs/api.log",
    "serialLog": "/logs/serial.log",
    "serverLog": "/logs/server.log",
    "apiSpec": "/openapi.json",
    "systemTime": "/system/time",
}


@router.get("/health")
async def get_health(robot: Robot) -> dict[str, Any]:
    hardware = robot.hardware
    return {
        "name": robot.settings.name,
        "robot_model": ROBOT_TYPE,
        "api_version": opentrons_version,
        "fw_version": hardware.fw_version,
        "board_revision": str(hardware.board_revision),
        "logs": LOG_PATHS,
        "system_version": OT_SYSTEM_VERSION,
        "maximum_protocol_api_version": list(MAX_SUPPORTED_VERSION),
        "minimum_protocol_api_version": list(MIN_SUPPORTED_VERSION),
        "robot_serial": robot.settings.serial,
        "links": HEALTH_LINKS,
    }


@update_server_router.get("/server/update/health")
async def get_update_server_health(robot: Robot) -> Response:
    body = {
        "updateServerVersion": opentrons_version,
        "apiServerVersion": opentrons_version,
        "smoothieVersion": "unimplemented",
        "systemVersion": OT_SYSTEM_VERSION,
        "capabilities": {
            "systemUpdate": "/server/update/begin",
            "buildrootUpdate": "/server/update/begin",
            "restart": "/server/restart",
        },
        "robotModel": ROBOT_TYPE,
        "name": robot.settings.name,
        "serialNumber": robot.settings.serial,
        "bootId": robot.boot_id,
    }
    return Response(
        content=to_json(body),
        media_type="application/json; charset=utf-8",
        headers={"Access-Control-Allow-Origin": "*"},
    )
