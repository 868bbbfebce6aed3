"""``--advertise``: the virtual OT-2 announced over mDNS, found by a zeroconf browser."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from zeroconf import IPVersion, ServiceBrowser, ServiceListener, Zeroconf

from otlink.emulator import EmulatorServer, RobotSettings, free_port
from otlink.emulator.child_process import EmulatorProcess

SERVICE_TYPE = "_http._tcp.local."


@dataclass
class Sightings(ServiceListener):
    """What a browser heard about one service name."""

    name: str
    zeroconf: Zeroconf
    found: dict[str, object] = field(default_factory=dict)
    appeared: threading.Event = field(default_factory=threading.Event)
    left: threading.Event = field(default_factory=threading.Event)

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        if name != f"{self.name}.{SERVICE_TYPE}":
            return
        info = zc.get_service_info(type_, name, timeout=3000)
        assert info is not None
        self.found = {
            "port": info.port,
            "properties": info.properties,
            "addresses": info.parsed_addresses(),
        }
        self.appeared.set()

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        pass

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        if name == f"{self.name}.{SERVICE_TYPE}":
            self.left.set()


@pytest.fixture
def browse() -> Iterator[Callable[[str], Sightings]]:
    """Browse ``_http._tcp`` for a robot name, as the Opentrons App's discovery client does."""
    zeroconf = Zeroconf(ip_version=IPVersion.V4Only)
    browsers: list[ServiceBrowser] = []

    def start(name: str) -> Sightings:
        sightings = Sightings(name, zeroconf)
        browsers.append(ServiceBrowser(zeroconf, SERVICE_TYPE, sightings))
        return sightings

    yield start
    for browser in browsers:
        browser.cancel()
    zeroconf.close()


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_advertised_emulator_is_found_and_leaves(browse: Callable[[str], Sightings]) -> None:
    name = f"otlink-test-{uuid.uuid4().hex[:8]}"  # other emulators may be announced nearby
    port = free_port()
    server = EmulatorServer(RobotSettings(name=name), port=port, advertise=True)
    sightings = browse(name)
    server.start_in_thread()
    try:
        assert sightings.appeared.wait(15), "the emulator was not announced"
        assert sightings.found == {
            "port": port,
            "properties": {b"robotModel": b"OT-2 Standard"},
            "addresses": ["127.0.0.1"],  # bound to loopback: announced with its loopback address
        }
    finally:
        server.stop()
    assert sightings.left.wait(10), "the emulator did not say goodbye when it stopped"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_otlink_emulate_advertise(
    browse: Callable[[str], Sightings], start_emulator: Callable[..., EmulatorProcess]
) -> None:
    name = f"otlink-test-{uuid.uuid4().hex[:8]}"
    sightings = browse(name)
    server = start_emulator("--advertise", "--name", name)
    assert sightings.appeared.wait(15), "otlink emulate --advertise was not announced"
    assert sightings.found["port"] == server.port
    assert "announced over mDNS" in server.stop()
