"""Clients for the robot's HTTP API: :class:`RobotClient` (blocking) and
:class:`AsyncRobotClient` (``await``), with the same methods.

Both are thin shells around one sans-IO core (:mod:`otlink.client.steps`): every operation
is a flow, written once, that builds its requests and reads the answers; the shells only
send, sleep and hand results back.

Example::

    from otlink import RobotClient

    with RobotClient("10.0.0.5") as robot:
        print(robot.health().name)
"""

from otlink.client.async_client import AsyncRobotClient
from otlink.client.options import API_VERSION, ClientOptions
from otlink.client.protocol_upload import AnalysedProtocol
from otlink.client.sync_client import RobotClient

__all__ = [
    "API_VERSION",
    "AnalysedProtocol",
    "AsyncRobotClient",
    "ClientOptions",
    "RobotClient",
]
