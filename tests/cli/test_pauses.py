"""Pauses in a run the robot runs (``otlink run --upload``): the message is shown and
``--on-pause`` decides; ``otlink runs pause|resume|play|stop`` act on a run. Against a virtual
OT-2, with otlink run as a subprocess off a terminal (stdin is not one under pytest)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import pytest
from test_run import PROTOCOLS, otlink
from test_upload_run import last_json, wait_for_status

from otlink.emulator.child_process import EmulatorProcess

PAUSE = str(PROTOCOLS / "pause.py")


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_on_pause_resume_shows_the_message_and_goes_on(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    result = otlink("run", PAUSE, "--upload", "--robot", emulator.url, "--on-pause", "resume")
    assert result.returncode == 0, result.stderr
    assert "paused: Add the buffer to A1 (--on-pause resume: resuming)" in result.stdout
    assert "Succeeded: Pause for buffer — 4 of 4 commands" in result.stdout


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_off_a_terminal_it_waits_for_a_resume_from_elsewhere(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "otlink", "run", PAUSE, "--upload", "--robot", emulator.url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    shown = ""
    while "paused:" not in shown:
        line = process.stdout.readline()
        assert line, f"ended without showing the pause: {shown}"
        shown += line
    assert (
        "Add the buffer to A1 (resume it from the Opentrons App or with otlink runs resume" in shown
    )
    run_id = robot.get("/runs").json()["data"][-1]["id"]
    time.sleep(0.5)  # it waits: the run stays paused
    assert robot.get(f"/runs/{run_id}").json()["data"]["status"] == "paused"
    assert process.poll() is None
    resumed = otlink("runs", "resume", run_id, "--robot", emulator.url)
    assert resumed.returncode == 0, resumed.stderr
    rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "Succeeded: Pause for buffer" in rest


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_on_pause_stop_stops_the_run(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = otlink(
        "run", PAUSE, "--upload", "--robot", emulator.url, "--on-pause", "stop", "--json"
    )
    assert result.returncode == 5
    failure = last_json(result)
    assert failure["errorType"] == "StoppedAtPause" and "Add the buffer to A1" in failure["error"]
    run = robot.get("/runs").json()["data"][-1]
    assert run["status"] == "stopped"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_runs_pause_resume_play_and_stop(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    started = otlink(
        "run",
        str(PROTOCOLS / "long_delay.py"),
        "--upload",
        "--detach",
        "--robot",
        emulator.url,
        "--json",
    )
    run_id = last_json(started)["runId"]
    wait_for_status(robot, run_id, "running")

    def act(verb: str) -> subprocess.CompletedProcess[str]:
        return otlink("runs", verb, run_id, "--robot", emulator.url, "--json")

    assert json.loads(act("pause").stdout)["status"] in ("paused", "running")
    wait_for_status(robot, run_id, "paused")
    assert act("resume").returncode == 0
    wait_for_status(robot, run_id, "running")
    assert act("pause").returncode == 0 and act("play").returncode == 0
    wait_for_status(robot, run_id, "running")
    assert json.loads(act("stop").stdout) == {"id": run_id, "status": "stopped"}
    refused = otlink("runs", "play", run_id, "--robot", emulator.url)
    assert refused.returncode == 4
    assert refused.stderr.splitlines()[0].startswith("error: POST ")
    assert "hint: that action is not allowed" in refused.stderr
