"""The robot's surroundings: its network status, its clock and its deck configuration.

An OT-2 reports its deck configuration even though only a Flex lets clients change it: eleven
standard slots and the fixed trash, the same one the emulator's engines run with.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from otlink.ot2 import OT2_DECK_CONFIGURATION

from .. import responses
from ..dependencies import versioned_router

router = versioned_router(legacy=True)
system_router = versioned_router()


def _mac_address(robot_name: str) -> str:
    """A made-up, locally administered address, the same for the same robot name.

    Never this machine's own: the API is readable by any caller, and a MAC identifies hardware.
    """
    digest = hashlib.sha256(robot_name.encode()).digest()
    return ":".join(f"{byte:02X}" for byte in (0x02, *digest[:5]))


@router.get("/networking/status")
async def get_networking_status(request: Request) -> dict[str, Any]:
    # The robot's wired interface is the address this request reached; its Wi-Fi is idle.
    address = (request.scope.get("server") or ("127.0.0.1", 0))[0]
    mac = _mac_address(request.app.state.robot.settings.name)
    return {
        "status": "full",
        "interfaces": {
            "wlan0": {
                "ipAddress": None,
                "macAddress": mac,
                "gatewayAddress": None,
                "state": "disconnected",
                "type": "wifi",
            },
            "eth0": {
                "ipAddress": f"{address}/{8 if address.startswith('127.') else 24}",
                "macAddress": mac,
                "gatewayAddress": None,
                "state": "connected",
                "type": "ethernet",
            },
        },
    }


@system_router.get("/system/time")
async def get_system_time() -> dict[str, Any]:
    # Not a pre-built response in robot-server: this modern route's success carries the version
    # headers, its resource link keeps a null "meta", and times read "+00:00" as isoformat does.
    return {
        "data": {"id": "time", "systemTime": datetime.now(timezone.utc).isoformat()},
        "links": {"self": {"href": "/system/time", "meta": None}},
    }


@system_router.get("/deck_configuration")
async def get_deck_configuration() -> Response:
    fixtures = [
        {"cutoutFixtureId": fixture, "cutoutId": cutout}
        for cutout, fixture, _serial in OT2_DECK_CONFIGURATION
    ]
    return responses.data({"cutoutFixtures": fixtures})
