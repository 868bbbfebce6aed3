"""``otlink emulate`` as a user runs it: start-up line, options, several at once, Ctrl-C."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

HEADERS = {"Opentrons-Version": "4"}


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_startup_line_and_clean_ctrl_c(start_emulator: Callable[..., EmulatorProcess]) -> None:
    server = start_emulator("--left", "p1000_single_gen2", "--right", "none", "--name", "bench-7")
    run = httpx.post(f"{server.url}/runs", headers=HEADERS, json={"data": {}}).json()["data"]
    loaded = httpx.post(
        f"{server.url}/runs/{run['id']}/commands",
        params={"waitUntilComplete": "true"},
        headers=HEADERS,
        json={
            "data": {
                "commandType": "loadPipette",
                "params": {"pipetteName": "p1000_single_gen2", "mount": "left"},
            }
        },
    ).json()["data"]
    assert loaded["status"] == "succeeded"
    empty_mount = httpx.post(
        f"{server.url}/runs/{run['id']}/commands",
        params={"waitUntilComplete": "true"},
        headers=HEADERS,
        json={
            "data": {
                "commandType": "loadPipette",
                "params": {"pipetteName": "p20_single_gen2", "mount": "right"},
            }
        },
    ).json()["data"]
    assert empty_mount["error"]["errorType"] == "FailedToLoadPipetteError"
    output = server.stop()
    assert server.process.returncode == 0, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines[0] == (
        f"Virtual OT-2 bench-7 at {server.url} — pipettes left: p1000_single_gen2;"
        " modules none. Ctrl-C stops it."
    )
    assert lines[-1] == "Virtual OT-2 stopped."
    assert "Traceback" not in output


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_several_emulators_run_side_by_side(start_emulator: Callable[..., EmulatorProcess]) -> None:
    first, second = start_emulator(), start_emulator("--left", "p20_single_gen2")
    ids = {
        httpx.post(f"{server.url}/runs", headers=HEADERS).json()["data"]["id"]
        for server in (first, second)
    }
    assert len(ids) == 2


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_unknown_hardware_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "otlink", "emulate", "--left", "p9000_single"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Unknown OT-2 pipette 'p9000_single' on the left mount" in result.stderr
    assert "p300_single_gen2" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_port_in_use_is_a_clear_error(emulator: EmulatorProcess) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "otlink", "emulate", "--port", str(emulator.port)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{emulator.port}" in result.stderr
