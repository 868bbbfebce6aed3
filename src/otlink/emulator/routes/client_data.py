"""/clientData: small pieces of data clients share through the robot (gone on reboot)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from fastapi.responses import Response

from .. import responses
from ..api_errors import not_found
from ..dependencies import Robot, versioned_router
from ..request_models import Envelope

router = versioned_router()

Key = Annotated[str, Path(pattern="^[a-zA-Z0-9-_]*$")]


def _missing(key: str) -> Exception:
    return not_found(
        "ClientDataKeyDoesNotExist", "Client Data Key Does Not Exist", f"No data for key {key!r}."
    )


@router.put("/clientData/{key}")
async def put_client_data(robot: Robot, key: Key, body: Envelope[dict[str, Any]]) -> Response:
    robot.client_data[key] = body.data
    return responses.data(body.data)


@router.get("/clientData/{key}")
async def get_client_data(robot: Robot, key: Key) -> Response:
    if key not in robot.client_data:
        raise _missing(key)
    return responses.data(robot.client_data[key])


@router.delete("/clientData/{key}")
async def delete_client_data(robot: Robot, key: Key) -> Response:
    if robot.client_data.pop(key, None) is None:
        raise _missing(key)
    return responses.empty()


@router.delete("/clientData")
async def delete_all_client_data(robot: Robot) -> Response:
    robot.client_data.clear()
    return responses.empty()
