"""The attached pipettes and their calibration: /pipettes and /calibration/status (legacy, OT-2),
and /instruments (the newer route, which on an OT-2 gives the partial data robot-server has).
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from opentrons.hardware_control.types import Axis
from opentrons.hardware_control.util import ot2_axis_to_string
from opentrons.types import Mount

from .. import responses
from ..dependencies import Robot, versioned_router

router = versioned_router(legacy=True)
instruments_router = versioned_router()

# robot-server reports offsets that are no longer used as zeros, always.
_UNUSED_OFFSET = {"single": [0.0, 0.0, 0.0], "multi": [0.0, 0.0, 0.0]}


def _attached_pipette(mount: Mount, pipette: dict[str, Any]) -> dict[str, Any]:
    model = pipette.get("model")
    return {
        "model": model,
        "name": pipette.get("name"),
        "tip_length": pipette.get("tip_length", 0) if model else None,
        "mount_axis": ot2_axis_to_string(Axis.by_mount(mount)).lower(),
        "plunger_axis": ot2_axis_to_string(Axis.of_plunger(mount)).lower(),
        "id": pipette.get("pipette_id"),
    }


@router.get("/pipettes")
async def get_pipettes(robot: Robot, refresh: bool | None = False) -> dict[str, Any]:
    if refresh is True:
        await robot.hardware.cache_instruments()
    attached = robot.hardware.attached_instruments
    return {mount.name.lower(): _attached_pipette(mount, attached[mount]) for mount in attached}


def _instrument(mount: Mount, pipette: dict[str, Any]) -> dict[str, Any]:
    return {
        "mount": mount.name.lower(),
        "instrumentType": "pipette",
        "instrumentModel": pipette["model"],
        "serialNumber": pipette["pipette_id"],
        "subsystem": f"pipette_{mount.name.lower()}",
        "ok": True,
        "data": {
            "channels": pipette["channels"],
            "min_volume": float(pipette["min_volume"]),
            "max_volume": float(pipette["max_volume"]),
        },
        "instrumentName": pipette["name"],
    }


@instruments_router.get("/instruments")
async def get_instruments(robot: Robot) -> Response:
    attached = robot.hardware.attached_instruments
    return responses.collection(
        [_instrument(mount, pipette) for mount, pipette in attached.items() if pipette]
    )


@router.get("/calibration/status")
async def get_calibration_status(robot: Robot) -> dict[str, Any]:
    hardware = robot.hardware
    deck = hardware.robot_calibration.deck_calibration
    return {
        "deckCalibration": {
            "status": hardware.validate_calibration().value,
            "data": {
                "type": "attitude",
                "matrix": deck.attitude,
                "lastModified": deck.last_modified,
                "pipetteCalibratedWith": deck.pipette_calibrated_with,
                "tiprack": deck.tiprack,
                "source": deck.source,
                "status": {
                    "markedBad": deck.status.markedBad,
                    "source": deck.status.source,
                    "markedAt": deck.status.markedAt,
                },
            },
        },
        "instrumentCalibration": {"right": _UNUSED_OFFSET, "left": _UNUSED_OFFSET},
    }
