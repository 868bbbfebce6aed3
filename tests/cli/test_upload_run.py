"""``otlink run --upload`` end to end: the robot (a virtual OT-2) runs the whole protocol."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import httpx
import pytest
from test_run import PROTOCOLS, otlink, robot_commands

from otlink.emulator.child_process import EmulatorProcess


def last_json(result: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_for_status(robot: httpx.Client, run_id: str, status: str) -> None:
    deadline = time.monotonic() + 30
    while robot.get(f"/runs/{run_id}").json()["data"]["status"] != status:
        assert time.monotonic() < deadline, f"run {run_id} never became {status}"
        time.sleep(0.1)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_upload_analysis_run_succeeded(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = otlink(
        "run",
        str(PROTOCOLS / "transfer_220.py"),
        "--upload",
        "--robot",
        emulator.url,
        "--param",
        "volume=75",
        "--param",
        "mix=yes",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    outcome = last_json(result)
    assert outcome["status"] == "succeeded" and outcome["protocol"] == "CLI transfer"
    assert outcome["commands"] == outcome["plannedCommands"] == 13
    run = robot.get(f"/runs/{outcome['runId']}").json()["data"]
    assert run["protocolId"] == outcome["protocolId"]
    assert {p["variableName"]: p["value"] for p in run["runTimeParameters"]} == {
        "volume": 75.0,
        "mix": True,
    }
    aspirates = [c for c in robot_commands(emulator, run["id"]) if c["commandType"] == "aspirate"]
    assert [c["params"]["volume"] for c in aspirates] == [75, 20, 20]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_plain_lines_when_not_a_terminal(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = otlink("run", str(PROTOCOLS / "transfer_220.py"), "--upload", "--robot", emulator.url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Analysed CLI transfer: 9 commands" in result.stdout
    assert any(line.endswith("1/9 home: succeeded") for line in lines)
    assert any(
        "6/9 aspirate 50 µL from A1 of Corning 96 Well Plate 360 µL Flat in slot 2: succeeded"
        in line
        for line in lines
    )
    assert lines[-1].startswith("Succeeded: CLI transfer — 9 of 9 commands in")


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_csv_data_file_goes_to_its_parameter(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    result = otlink(
        "run",
        str(PROTOCOLS / "plate_map_csv.py"),
        "--upload",
        "--robot",
        emulator.url,
        "--data",
        f"plate_map={PROTOCOLS / 'plate_map.csv'}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    comments = [
        c["params"]["message"]
        for c in robot_commands(emulator, last_json(result)["runId"])
        if c["commandType"] == "comment"
    ]
    assert comments == ["A1 gets 20 uL", "B1 gets 30 uL"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_missing_csv_file_is_a_usage_error(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    result = otlink("run", str(PROTOCOLS / "plate_map_csv.py"), "--upload", "--robot", emulator.url)
    assert result.returncode == 2
    assert "CSV parameter needs to be set" in result.stderr
    assert "--data plate_map=FILE.csv" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_unknown_parameter_is_a_usage_error(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    protocol = str(PROTOCOLS / "transfer_220.py")
    result = otlink("run", protocol, "--upload", "--robot", emulator.url, "--param", "vol=3")
    assert result.returncode == 2
    assert "no parameter vol\nhint: its parameters: mix, volume" in result.stderr
    result = otlink("run", protocol, "--upload", "--robot", emulator.url, "--param", "mix=maybe")
    assert result.returncode == 2
    assert "parameter mix takes a bool, not 'maybe'" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_failing_analysis_prints_the_robots_errors(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    runs_before = len(robot.get("/runs").json()["data"])
    result = otlink("run", str(PROTOCOLS / "no_tip.py"), "--upload", "--robot", emulator.url)
    assert result.returncode == 5
    assert "analysis of no_tip.py failed" in result.stderr
    assert "[line 7]" in result.stderr and "TipNotAttachedError" in result.stderr
    assert len(robot.get("/runs").json()["data"]) == runs_before  # no run was made

    as_json = otlink(
        "run", str(PROTOCOLS / "no_tip.py"), "--upload", "--robot", emulator.url, "--json"
    )
    assert as_json.returncode == 5
    assert last_json(as_json)["exitCode"] == 5
    assert "TipNotAttachedError" in last_json(as_json)["error"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_detach_returns_once_the_run_plays(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = otlink(
        "run", str(PROTOCOLS / "long_delay.py"), "--upload", "--detach", "--robot", emulator.url
    )
    assert result.returncode == 0, result.stderr
    run_id = next(r for r in robot.get("/runs").json()["data"] if r["current"])["id"]
    assert f"otlink runs stop {run_id}" in result.stdout
    wait_for_status(robot, run_id, "running")

    stopped = otlink("runs", "stop", run_id, "--robot", emulator.url, "--json")
    assert stopped.returncode == 0, stopped.stderr
    assert last_json(stopped) == {"id": run_id, "status": "stopped"}


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_ctrl_c_without_a_terminal_stops_the_run(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    command = [sys.executable, "-m", "otlink", "run", str(PROTOCOLS / "long_delay.py")]
    process = subprocess.Popen(
        [*command, "--upload", "--robot", emulator.url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the comment before the 30 s delay has run
        if "comment 'waiting': succeeded" in line:
            break
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "was stopped after 3 of 4 commands" in stderr  # the delay ended, stopped
    run = robot.get("/runs").json()["data"][-1]
    assert run["status"] == "stopped"


def test_detach_needs_upload(emulator: EmulatorProcess) -> None:
    result = otlink("run", str(PROTOCOLS / "transfer_220.py"), "--detach", "--robot", emulator.url)
    assert result.returncode == 2
    assert "--detach goes with --upload" in result.stderr
