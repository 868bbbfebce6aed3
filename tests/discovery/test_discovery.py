"""``otlink discover`` and ``otlink.discovery``: robots found over mDNS and by probing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest

from cli.test_run import otlink
from otlink.discovery import TooManyAddresses, discover, probe_urls
from otlink.emulator.child_process import EmulatorProcess


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_advertised_emulator_is_discovered(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    name = f"otlink-discover-{uuid.uuid4().hex[:8]}"  # other emulators may be announced nearby
    server = start_emulator("--advertise", "--name", name)
    result = otlink("discover", "--seconds", "3", "--json")
    assert result.returncode == 0, result.stderr
    robot = next(r for r in json.loads(result.stdout) if r["name"] == name)
    assert robot == {
        "name": name,
        "url": server.url,
        "model": "OT-2 Standard",
        "robotSoftware": "8.8.2",
        "httpApiVersion": "4",
        "serial": "OT2VIRTUAL0001",
        "via": "mdns",
    }
    table = otlink("discover", "--seconds", "3").stdout
    assert name in table and server.url in table


def test_a_probed_address_is_found_without_mdns(emulator: EmulatorProcess) -> None:
    found = discover(probe=[emulator.url, "127.0.0.1:9"], mdns=False, timeout=1)
    assert [(robot.url, robot.via) for robot in found] == [(emulator.url, "probe")]
    assert found[0].health.robot_model == "OT-2 Standard"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_subnet_is_probed_host_by_host(emulator: EmulatorProcess) -> None:
    result = otlink(
        "discover", "--no-mdns", "--probe", "127.0.0.0/30", "--probe", emulator.url, "--json"
    )
    assert result.returncode == 0, result.stderr
    assert [r["url"] for r in json.loads(result.stdout)] == [emulator.url]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_nobody_answering_exits_3() -> None:
    result = otlink("discover", "--no-mdns", "--probe", "127.0.0.1:9", "--timeout", "0.5")
    assert result.returncode == 3
    assert "no robot answered" in result.stderr and "--probe" in result.stderr


def test_probe_urls_expands_subnets_and_keeps_ports() -> None:
    assert probe_urls(["10.0.0.5", "ot2.local", "127.0.0.1:8000", "192.168.1.0/30"]) == [
        "http://10.0.0.5:31950",
        "http://ot2.local:31950",
        "http://127.0.0.1:8000",
        "http://192.168.1.1:31950",
        "http://192.168.1.2:31950",
    ]
    assert probe_urls(["10.0.0.7/32"]) == ["http://10.0.0.7:31950"]
    with pytest.raises(TooManyAddresses):
        probe_urls(["10.0.0.0/8"])
