"""Finding robots: mDNS (``_http._tcp`` with the Opentrons ``robotModel`` TXT record, as the
Opentrons App browses) and ``/health`` probes of explicit addresses and subnets.

This layer sits between the CLI and the client: it may use the client, the models and the
errors, never the emulator, live or the CLI.

Example::

    from otlink.discovery import discover

    for robot in discover(probe=["192.168.1.0/24"]):
        print(robot.name, robot.url)
"""

from otlink.errors import TooManyAddresses

from .mdns import RobotService, browse
from .probe import probe_all, probe_urls
from .robots import FoundRobot
from .search import discover, probe_robot

__all__ = [
    "FoundRobot",
    "RobotService",
    "TooManyAddresses",
    "browse",
    "discover",
    "probe_all",
    "probe_robot",
    "probe_urls",
]
