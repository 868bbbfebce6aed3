"""Browsing mDNS for robots, as the Opentrons App's discovery client does.

Robots (and ``otlink emulate --advertise``) announce ``<name>._http._tcp.local.`` with the TXT
record ``robotModel=OT-2 Standard`` (a Flex: ``OT-3 Standard``). Other ``_http._tcp`` services
(printers, routers...) have no such record and are left out.

Example::

    services = asyncio.run(browse(seconds=3))
    print([(s.name, s.urls) for s in services])
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from otlink.client.transport import robot_url

SERVICE_TYPE = "_http._tcp.local."
MODEL_KEY = b"robotModel"
#: How long to listen for announcements, in seconds.
BROWSE_SECONDS = 3.0


@dataclass(frozen=True)
class RobotService:
    """An announced robot: its name, model and where it listens."""

    name: str
    model: str
    addresses: tuple[str, ...]
    port: int

    @property
    def urls(self) -> list[str]:
        return [robot_url(address, self.port) for address in self.addresses]


async def browse(seconds: float = BROWSE_SECONDS) -> list[RobotService]:
    """The robots announced on the local network within ``seconds``, by name."""
    found: dict[str, RobotService] = {}
    pending: set[asyncio.Task[None]] = set()
    zeroconf = AsyncZeroconf(ip_version=IPVersion.V4Only)

    async def resolve(name: str) -> None:
        info = AsyncServiceInfo(SERVICE_TYPE, name)
        if not await info.async_request(zeroconf.zeroconf, 3000):
            return
        model = (info.properties or {}).get(MODEL_KEY)
        if model is None or info.port is None:
            return  # not a robot
        found[name] = RobotService(
            name=name.removesuffix(f".{SERVICE_TYPE}"),
            model=model.decode(errors="replace"),
            addresses=tuple(info.parsed_addresses(IPVersion.V4Only)),
            port=info.port,
        )

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            task = asyncio.ensure_future(resolve(name))
            pending.add(task)
            task.add_done_callback(pending.discard)

    browser = AsyncServiceBrowser(zeroconf.zeroconf, SERVICE_TYPE, handlers=[on_change])
    try:
        await asyncio.sleep(seconds)
        if pending:
            await asyncio.wait(pending, timeout=3)
    finally:
        await browser.async_cancel()
        await zeroconf.async_close()
    return sorted(found.values(), key=lambda service: service.name)
