"""otlink: drive an Opentrons OT-2 from your own computer over its HTTP API.

Example::

    from otlink import RobotClient

    with RobotClient("10.0.0.5") as robot:
        run = robot.create_run()
        robot.enqueue_command(run.id, "home")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["AsyncRobotClient", "ClientOptions", "RobotClient", "__version__"]

if TYPE_CHECKING:
    from otlink.client import AsyncRobotClient, ClientOptions, RobotClient


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `otlink emulate` and the CLI do not pay for the client.
    if name in ("AsyncRobotClient", "ClientOptions", "RobotClient"):
        from otlink import client

        return getattr(client, name)
    raise AttributeError(f"module 'otlink' has no attribute {name!r}")
