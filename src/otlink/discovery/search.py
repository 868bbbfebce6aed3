"""``discover()``: robots found over mDNS and at explicit addresses, each checked with
``/health``.

mDNS does not cross subnets (nor most VPNs): for a robot out of its reach, name its address or
its subnet in ``probe``.

Example::

    for robot in discover(probe=["10.0.0.0/24"]):
        print(robot.name, robot.url, robot.via)
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .mdns import BROWSE_SECONDS, browse
from .probe import PROBE_TIMEOUT, probe_all, probe_urls
from .robots import FoundRobot


def discover(
    *,
    probe: Sequence[str] = (),
    mdns: bool = True,
    seconds: float = BROWSE_SECONDS,
    timeout: float = PROBE_TIMEOUT,
) -> list[FoundRobot]:
    """The robots that answer ``/health``, found by browsing mDNS for ``seconds`` (unless
    ``mdns`` is false) and by probing the ``probe`` addresses and subnets; one entry per URL."""
    urls = probe_urls(probe)  # a bad subnet fails before any waiting
    return asyncio.run(_discover(urls, mdns=mdns, seconds=seconds, timeout=timeout))


async def _discover(
    urls: list[str], *, mdns: bool, seconds: float, timeout: float
) -> list[FoundRobot]:
    probing = asyncio.ensure_future(probe_all(urls, timeout=timeout))
    announced: list[FoundRobot] = []
    if mdns:
        services = await browse(seconds)
        announced_urls = [url for service in services for url in service.urls]
        announced = await probe_all(announced_urls, via="mdns", timeout=timeout)
    robots = {robot.url: robot for robot in await probing}
    robots |= {robot.url: robot for robot in announced}
    return sorted(robots.values(), key=lambda robot: (robot.name, robot.url))


def probe_robot(url: str, timeout: float = PROBE_TIMEOUT) -> FoundRobot | None:
    """The robot at ``url`` if it answers ``/health`` within ``timeout``, else None."""
    found = asyncio.run(probe_all([url], timeout=timeout))
    return found[0] if found else None
