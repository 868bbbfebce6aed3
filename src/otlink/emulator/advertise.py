"""Announce the virtual OT-2 over mDNS, as a robot's update-server does through Avahi.

The service is ``<robot name>._http._tcp.local.`` on the emulator's port with the TXT record
``robotModel=OT-2 Standard``, so discovery clients (the Opentrons App, ``otlink discover``) list
it like a robot. An emulator bound to loopback is announced on loopback only, with 127.0.0.1 as
its address: a browser on the same machine finds it and the network never hears of it.

>>> advertisement = Advertisement("bench-2", "127.0.0.1", 31950)
>>> await advertisement.start()  # doctest: +SKIP
>>> await advertisement.stop()  # doctest: +SKIP
"""

from __future__ import annotations

import ipaddress
import socket

import ifaddr
from zeroconf import InterfaceChoice, IPVersion, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from otlink.ot2 import ROBOT_TYPE

SERVICE_TYPE = "_http._tcp.local."
ALL_ADDRESSES = ("0.0.0.0", "::", "")


def _host_addresses() -> list[str]:
    """This machine's IPv4 addresses, loopback left out (other machines can't reach it)."""
    return [
        str(ip.ip)
        for adapter in ifaddr.get_adapters()
        for ip in adapter.ips
        if ip.is_IPv4 and not ipaddress.ip_address(str(ip.ip)).is_loopback
    ]


class Advertisement:
    """The mDNS announcement of one virtual OT-2 listening on ``host:port``."""

    def __init__(self, name: str, host: str, port: int) -> None:
        self.name = name
        self.host = host
        self.port = port
        self._zeroconf: AsyncZeroconf | None = None
        self._info: ServiceInfo | None = None
        self._registered = False

    async def start(self) -> None:
        """Announce the robot; a name already taken on the network gets a suffix, as with Avahi."""
        if self.host in ALL_ADDRESSES:
            addresses = _host_addresses()
            interfaces: InterfaceChoice | list[str] = InterfaceChoice.All
        else:
            addresses = [socket.gethostbyname(self.host)]
            interfaces = addresses
        self._info = ServiceInfo(
            SERVICE_TYPE,
            f"{self.name}.{SERVICE_TYPE}",
            port=self.port,
            properties={"robotModel": ROBOT_TYPE},
            server=f"{socket.gethostname()}.local.",
            addresses=[socket.inet_aton(address) for address in addresses],
        )
        self._zeroconf = AsyncZeroconf(interfaces=interfaces, ip_version=IPVersion.V4Only)
        # zeroconf hands back the announcing task: the service is registered once it is done.
        announcing = await self._zeroconf.async_register_service(self._info, allow_name_change=True)
        await announcing
        self._registered = True

    async def stop(self) -> None:
        """Withdraw the announcement (browsers see the robot leave) and close the sockets."""
        if self._zeroconf is None:
            return
        if self._registered and self._info is not None:
            saying_goodbye = await self._zeroconf.async_unregister_service(self._info)
            await saying_goodbye
            self._registered = False
        await self._zeroconf.async_close()
        self._zeroconf = None
