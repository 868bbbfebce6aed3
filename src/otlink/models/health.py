"""``GET /health``: who the robot is and what it runs."""

from __future__ import annotations

from otlink.models.base import WireModel

__all__ = ["Health", "HealthLinks"]


class HealthLinks(WireModel):
    """Where the robot's logs and API spec live."""

    apiLog: str | None = None
    serialLog: str | None = None
    serverLog: str | None = None
    apiSpec: str | None = None
    systemTime: str | None = None


class Health(WireModel):
    """The robot's identity and versions.

    Example::

        health = client.health()
        print(health.name, health.robot_model, health.api_version)
    """

    name: str
    robot_model: str
    api_version: str
    fw_version: str | None = None
    board_revision: str | None = None
    logs: list[str] = []
    system_version: str | None = None
    maximum_protocol_api_version: list[int] = []
    minimum_protocol_api_version: list[int] = []
    robot_serial: str | None = None
    links: HealthLinks | None = None
