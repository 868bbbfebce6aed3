"""What route handlers share: the virtual robot behind the app, and the version check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request

from .versioning import check_version_header

if TYPE_CHECKING:
    from .virtual_robot import VirtualRobot


async def get_robot(request: Request) -> VirtualRobot:
    robot: VirtualRobot = request.app.state.robot
    return robot


Robot = Annotated["VirtualRobot", Depends(get_robot)]


def versioned_router(*, legacy: bool = False) -> APIRouter:
    """A router whose routes all require the Opentrons-Version header.

    ``legacy`` routes (robot-server's ``v1`` tag) answer errors as ``{"message", "errorCode"}``.
    """
    return APIRouter(dependencies=[Depends(check_version_header)], tags=["v1"] if legacy else [])
