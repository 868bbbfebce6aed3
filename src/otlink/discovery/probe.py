"""Asking addresses whether a robot answers there: concurrent ``GET /health`` probes with a
short timeout, as the Opentrons App's discovery client polls the robots it knows.

A probe is one plain httpx request, not a :class:`~otlink.client.RobotClient` call: it must
not retry, and it reads the ``Opentrons-Version`` header the robot answers with (the highest
HTTP API version it speaks, asked for with ``*``).

Targets are host names or IPs (``10.0.0.5``, ``ot2.local``, ``127.0.0.1:31950``, a URL) or
IPv4 subnets (``10.0.0.0/24``: every host address in it).

>>> probe_urls(["10.0.0.5", "192.168.1.0/30"])
['http://10.0.0.5:31950', 'http://192.168.1.1:31950', 'http://192.168.1.2:31950']
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterable

import httpx
import pydantic

from otlink.client.transport import robot_url
from otlink.errors import TooManyAddresses
from otlink.models import Health

from .robots import FoundRobot

#: How long one address may take to answer, in seconds.
PROBE_TIMEOUT = 2.0
#: The most probes in flight at once.
CONCURRENCY = 64
#: The largest subnet probed (a /22: 1022 hosts), so a typo cannot start a scan of a /8.
MOST_ADDRESSES = 1024


def probe_urls(targets: Iterable[str]) -> list[str]:
    """The robot URLs to probe for ``targets``: subnets are expanded to their hosts."""
    urls: list[str] = []
    for target in targets:
        try:
            network = ipaddress.IPv4Network(target, strict=False) if "/" in target else None
        except ValueError:
            network = None
        if network is None:
            urls.append(robot_url(target))
            continue
        if network.num_addresses > MOST_ADDRESSES:
            raise TooManyAddresses(
                f"{target} holds {network.num_addresses} addresses; probe at most"
                f" {MOST_ADDRESSES} (a /22)",
                hint="probe a smaller subnet (e.g. a /24) or the robot's own address",
            )
        hosts = list(network.hosts()) or [network.network_address]
        urls += [robot_url(str(host)) for host in hosts]
    return list(dict.fromkeys(urls))


async def probe(
    url: str, *, via: str = "probe", timeout: float = PROBE_TIMEOUT, http: httpx.AsyncClient
) -> FoundRobot | None:
    """The robot answering ``/health`` at ``url``, or None (no answer, not a robot)."""
    try:
        response = await http.get(
            f"{url}/health", headers={"Opentrons-Version": "*"}, timeout=timeout
        )
        if response.status_code != 200:
            return None
        health = Health.model_validate_json(response.content)
    except (httpx.HTTPError, pydantic.ValidationError):
        return None
    return FoundRobot(url, health, response.headers.get("Opentrons-Version"), via)


async def probe_all(
    urls: Iterable[str], *, via: str = "probe", timeout: float = PROBE_TIMEOUT
) -> list[FoundRobot]:
    """Probe ``urls`` concurrently; the robots that answered, in the order of ``urls``."""
    # A semaphore, not the pool's limit: a probe waiting for its turn must not use its timeout.
    turns = asyncio.Semaphore(CONCURRENCY)

    async def probe_in_turn(url: str, http: httpx.AsyncClient) -> FoundRobot | None:
        async with turns:
            return await probe(url, via=via, timeout=timeout, http=http)

    async with httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0)) as http:
        answers = await asyncio.gather(*(probe_in_turn(url, http) for url in urls))
    return [robot for robot in answers if robot is not None]
