"""otlink: drive an Opentrons OT-2 from your own computer over its HTTP API.

Example::

    from otlink import RobotClient

    with RobotClient("10.0.0.5") as robot:
        run = robot.create_run()
        robot.enqueue_command(run.id, "home")

``otlink.get_protocol_api`` and ``otlink.run_protocol_file`` (live protocols) need the ``live``
extra: ``pip install 'otlink[live]'``. Every error otlink raises is in ``otlink.errors``, under
``otlink.errors.OtlinkError``.
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
    "errors",
    "get_protocol_api",
    "run_protocol_file",
]

from otlink import errors

if TYPE_CHECKING:
    from otlink.client import AsyncRobotClient, ClientOptions, RobotClient
    from otlink.live import LiveProtocolContext, get_protocol_api, run_protocol_file

_CLIENT = ("AsyncRobotClient", "ClientOptions", "RobotClient")
_LIVE = ("LiveProtocolContext", "get_protocol_api", "run_protocol_file")


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
