"""otlink: drive an Opentrons OT-2 from your own computer over its HTTP API.

Example::

    from otlink import RobotClient

    with RobotClient("10.0.0.5") as robot:
        run = robot.create_run()
        robot.enqueue_command(run.id, "home")

``otlink.get_protocol_api`` (live protocols) needs the ``live`` extra:
``pip install 'otlink[live]'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AsyncRobotClient",
    "ClientOptions",
    "LiveProtocolContext",
    "RobotClient",
    "__version__",
    "get_protocol_api",
]

if TYPE_CHECKING:
    from otlink.client import AsyncRobotClient, ClientOptions, RobotClient
    from otlink.live import LiveProtocolContext, get_protocol_api

_CLIENT = ("AsyncRobotClient", "ClientOptions", "RobotClient")
_LIVE = ("LiveProtocolContext", "get_protocol_api")


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `otlink emulate` and the CLI do not pay for the client, and
    # `import otlink` works without the live extra (opentrons).
    if name in _CLIENT:
        from otlink import client

        return getattr(client, name)
    if name in _LIVE:
        from otlink.extras import require_extra

        require_extra("live", f"otlink.{name}")
        from otlink import live

        return getattr(live, name)
    raise AttributeError(f"module 'otlink' has no attribute {name!r}")
