"""``otlink run`` and ``otlink demo`` end to end, against virtual OT-2s over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

PROTOCOLS = Path(__file__).with_name("protocols")
HEADERS = {"Opentrons-Version": "4"}


def otlink(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otlink", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def robot_commands(emulator: EmulatorProcess, run_id: str) -> list[dict]:
    response = httpx.get(
        f"{emulator.url}/runs/{run_id}/commands", params={"pageLength": 1000}, headers=HEADERS
    )
    return response.json()["data"]


def last_run(emulator: EmulatorProcess) -> dict:
    return httpx.get(f"{emulator.url}/runs", headers=HEADERS).json()["data"][-1]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_protocol_runs_live_with_parameters(emulator: EmulatorProcess) -> None:
    result = otlink(
        "run",
        str(PROTOCOLS / "transfer_220.py"),
        "--robot",
        emulator.url,
        "--param",
        "volume=75",
        "--param",
        "mix=yes",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    # Holds (waitForResume) are lookahead's own, not the protocol's.
    listed = robot_commands(emulator, outcome["robotRunId"])
    commands = [c for c in listed if c["commandType"] != "waitForResume"]
    assert outcome["commands"] == len(commands)
    types = [c["commandType"] for c in commands]
    assert types[0] == "home"
    assert types.count("aspirate") == 3  # one transfer, two mixes
    assert next(c for c in commands if c["commandType"] == "aspirate")["params"]["volume"] == 75
    assert all(c["status"] == "succeeded" for c in commands)
    # The robot run was archived: the robot is free.
    assert last_run(emulator)["current"] is False


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_robot_may_come_from_the_environment(emulator: EmulatorProcess) -> None:
    result = otlink("run", str(PROTOCOLS / "transfer_220.py"), env={"OTLINK_ROBOT": emulator.url})
    assert result.returncode == 0, result.stderr
    assert "Done: CLI transfer" in result.stdout
    # Progress lines name the labware and its slot.
    assert "aspirate 50 µL from A1 of Corning 96 Well Plate 360 µL Flat in slot 2" in result.stdout
    assert "pickUpTip from A1 of Opentrons OT-2 96 Tip Rack 300 µL in slot 1" in result.stdout


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_no_tip_fails_before_the_robot_moves(emulator: EmulatorProcess) -> None:
    before = last_run(emulator)["id"]
    result = otlink("run", str(PROTOCOLS / "no_tip.py"), "--robot", emulator.url)
    assert result.returncode == 5
    assert "[line 7]" in result.stderr and "TipNotAttachedError" in result.stderr
    # The whole-protocol check refused it: no run was made on the robot.
    assert last_run(emulator)["id"] == before
    unchecked = otlink("run", str(PROTOCOLS / "no_tip.py"), "--robot", emulator.url, "--no-check")
    assert unchecked.returncode == 5 and "[line 7]" in unchecked.stderr
    run = last_run(emulator)
    assert "aspirate" not in [c["commandType"] for c in robot_commands(emulator, run["id"])]
    assert run["current"] is False


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_robot_side_failure_shows_the_robots_error(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    emulator = start_emulator("--right", "none")
    result = otlink("run", str(PROTOCOLS / "right_p20.py"), "--robot", emulator.url)
    assert result.returncode == 5
    assert "[line 5]" in result.stderr
    assert "FailedToLoadPipetteError" in result.stderr
    assert "no instrument is present" in result.stderr.replace("\n", " ")


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_bad_parameters_and_missing_robot_are_usage_errors(emulator: EmulatorProcess) -> None:
    unknown = otlink(
        "run", str(PROTOCOLS / "transfer_220.py"), "--robot", emulator.url, "--param", "speed=3"
    )
    assert unknown.returncode == 2 and "no parameter speed" in unknown.stderr
    wrong_type = otlink(
        "run", str(PROTOCOLS / "transfer_220.py"), "--robot", emulator.url, "--param", "mix=maybe"
    )
    assert wrong_type.returncode == 2 and "takes a bool" in wrong_type.stderr
    nowhere = otlink(
        "run",
        str(PROTOCOLS / "transfer_220.py"),
        env={"OTLINK_ROBOT": "", "XDG_CONFIG_HOME": "/nonexistent"},
    )
    assert nowhere.returncode == 2 and "no robot given" in nowhere.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_unreachable_robot_is_named(tmp_path: Path) -> None:
    result = otlink("run", str(PROTOCOLS / "transfer_220.py"), "--robot", "127.0.0.1:9")
    assert result.returncode == 3
    assert "127.0.0.1:9" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_ctrl_c_stops_the_robot_run(emulator: EmulatorProcess) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "otlink",
            "run",
            str(PROTOCOLS / "long_delay.py"),
            "--robot",
            emulator.url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        run = last_run(emulator)
        commands = robot_commands(emulator, run["id"]) if run["current"] else []
        if any(c["commandType"] == "waitForDuration" for c in commands):
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted: robot run" in stderr and "is stopped" in stderr
    run = httpx.get(f"{emulator.url}/runs/{run['id']}", headers=HEADERS).json()["data"]
    assert run["status"] == "stopped" and run["current"] is False


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_demo_runs_on_a_fresh_install() -> None:
    result = otlink("demo", "--steps", "2")
    assert result.returncode == 0, result.stderr
    assert "Virtual OT-2 started at http://127.0.0.1:" in result.stdout
    assert "Done: otlink demo: serial dilution" in result.stdout
