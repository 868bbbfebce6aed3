"""``otlink emulate --fast``: protocols with hours of delays and module waits run in seconds.

The reference for "the same run" is the engine's own analysis of the protocol (robot-server's
simulation, which never waits): a fast run issues exactly its command sequence, every command
with a start and an end, while pauses still wait for a resume.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess
from protocol_http import upload, wait_for_analysis

PROTOCOLS = Path(__file__).with_name("long_protocols")
MODULES = (
    "temperatureModuleV2",
    "thermocyclerModuleV2",
    "heaterShakerModuleV1",
    "magneticModuleV2",
)
FINISHED = ("succeeded", "failed", "stopped")


@pytest.fixture(scope="module")
def fast_robot() -> Iterator[httpx.Client]:
    args = [arg for model in MODULES for arg in ("--module", model)]
    server = EmulatorProcess(args=tuple(args), fast=True)
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}, timeout=60) as c:
        yield c
    server.stop()


def _play(robot: httpx.Client, protocol_id: str) -> str:
    run_id: str = robot.post("/runs", json={"data": {"protocolId": protocol_id}}).json()["data"][
        "id"
    ]
    played = robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    assert played.status_code == 201, played.text
    return run_id


def _status_when_done(robot: httpx.Client, run_id: str, within_s: float) -> str:
    deadline = time.monotonic() + within_s
    while (status := robot.get(f"/runs/{run_id}").json()["data"]["status"]) not in FINISHED:
        assert time.monotonic() < deadline, f"the run was still {status} after {within_s} s"
        time.sleep(0.1)
    return str(status)


def _sequence(commands: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """What each command did, without the ids a run and an analysis make differently."""
    ignored = {"labwareId", "pipetteId", "moduleId", "liquidId", "id", "key"}

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k not in ignored}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return [(command["commandType"], plain(command["params"])) for command in commands]


def _delay_seconds(command: dict[str, Any]) -> float:
    """How long a command waits on a robot: a delay, or a legacy protocol's delay text."""
    if command["commandType"] == "waitForDuration":
        return float(command["params"]["seconds"])
    text = str(command["params"].get("legacyCommandText", ""))
    if matched := re.match(r"Delaying for (\d+) minutes and ([\d.]+) seconds", text):
        return int(matched[1]) * 60 + float(matched[2])
    return 0.0


@pytest.mark.parametrize(
    "name", ["pcr_with_incubations.py", "bead_cleanup.py", "legacy_incubation.py"]
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_hours_of_waiting_run_in_seconds_with_the_same_commands(
    fast_robot: httpx.Client, name: str
) -> None:
    protocol = upload(fast_robot, {name: (PROTOCOLS / name).read_text()})
    analysis = wait_for_analysis(fast_robot, protocol["id"], timeout=120)
    assert analysis["result"] == "ok", analysis["errors"][0]["detail"]
    run_id = _play(fast_robot, protocol["id"])
    started = time.monotonic()
    assert _status_when_done(fast_robot, run_id, within_s=120) == "succeeded"
    elapsed = time.monotonic() - started
    commands = fast_robot.get(
        f"/runs/{run_id}/commands", params={"cursor": 0, "pageLength": 10_000}
    ).json()["data"]
    assert _sequence(commands) == _sequence(analysis["commands"])
    waited = sum(_delay_seconds(command) for command in commands)
    assert waited >= 20 * 60, "the protocol should wait at least 20 minutes on a robot"
    for command in commands:
        assert command["status"] == "succeeded"
        start = datetime.fromisoformat(command["startedAt"])
        assert datetime.fromisoformat(command["completedAt"]) >= start
    print(f"{name}: {waited / 60:.0f} min of delays ran in {elapsed:.1f} s")
    fast_robot.patch(f"/runs/{run_id}", json={"data": {"current": False}})


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_pause_still_waits_for_a_resume(fast_robot: httpx.Client) -> None:
    text = (
        "requirements = {'robotType': 'OT-2', 'apiLevel': '2.20'}\n"
        "def run(ctx):\n"
        "    ctx.pause('Add the reagent')\n"
        "    ctx.delay(minutes=90)\n"
        "    ctx.comment('all done')\n"
    )
    protocol = upload(fast_robot, {"pausing.py": text})
    run_id = _play(fast_robot, protocol["id"])
    run_path = f"/runs/{run_id}"
    deadline = time.monotonic() + 60
    while fast_robot.get(run_path).json()["data"]["status"] != "paused":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1)  # fast or not, a pause is the user's: nothing moves on by itself
    assert fast_robot.get(run_path).json()["data"]["status"] == "paused"
    commands = fast_robot.get(f"{run_path}/commands").json()["data"]
    assert "all done" not in str(commands)
    resumed = fast_robot.post(f"{run_path}/actions", json={"data": {"actionType": "play"}})
    assert resumed.status_code == 201
    assert _status_when_done(fast_robot, run_id, within_s=60) == "succeeded"
    fast_robot.patch(run_path, json={"data": {"current": False}})
