"""``otlink serve --discover``: robots announced over mDNS join the console as they appear.

The network is browsed again every ``BROWSE_EVERY`` seconds; a robot once found stays (shown
unreachable if it goes away), so an operator sees that it vanished.

Example::

    with discover_forever(hub):
        ...  # serve
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

from otlink.discovery import browse, probe_all

from .watch import RobotHub

__all__ = ["BROWSE_EVERY", "discover_forever"]

#: Seconds between two looks for robots on the network.
BROWSE_EVERY = 60.0


async def _browse_forever(hub: RobotHub) -> None:
    while True:
        try:
            services = await browse()
            found = await probe_all([url for s in services for url in s.urls], via="mdns")
            for robot in found:
                hub.add(robot.url, via="mdns")
        except OSError as error:  # no multicast on this network: configured robots still work
            logging.getLogger(__name__).warning("Cannot browse mDNS: %s", error)
        await asyncio.sleep(BROWSE_EVERY)


@contextlib.contextmanager
def discover_forever(hub: RobotHub) -> Iterator[None]:
    """Look for robots on the network while the block runs."""
    task = asyncio.ensure_future(_browse_forever(hub))
    try:
        yield
    finally:
        task.cancel()
