"""Live runs end on the robot as they ended: succeeded after a complete protocol, failed with
the robot's error, stopped after Ctrl-C; no run is ever left active. Against a virtual OT-2."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed
from otlink.live import get_protocol_api
from otlink.live.protocol_runner import ProtocolFailed, RunInterrupted, run_protocol_file
from otlink.live.robot_run import RobotRun
from otlink.runs.ending import HOLD
from robot_http import free_robot

PROTOCOL = """\
metadata = {"apiLevel": "2.20"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    for n in range(4):
        p300.pick_up_tip()
        p300.aspirate(50, plate["A1"])
        p300.dispense(50, plate["B1"])
        p300.drop_tip()
"""


@pytest.fixture
def robot(emulator: EmulatorProcess) -> Iterator[RobotClient]:
    with RobotClient(emulator.url) as client:
        free_robot(client)
        yield client
        free_robot(client)


@pytest.fixture
def protocol(tmp_path: Path) -> Path:
    path = tmp_path / "cycles.py"
    path.write_text(PROTOCOL)
    return path


def _fault(client: RobotClient, command_type: str, nth: int) -> None:
    rules = [{"commandType": command_type, "nth": nth}]
    httpx.put(f"{client.url}/otlink/faults", json={"data": {"rules": rules}}).raise_for_status()


@pytest.mark.parametrize("lookahead", [0, 8])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_complete_protocol_is_recorded_succeeded(
    robot: RobotClient, protocol: Path, lookahead: int
) -> None:
    report = run_protocol_file(protocol, robot.url, lookahead=lookahead)
    run = robot.get_run(report.robot_run_id)
    assert (run.status, run.current, run.errors) == ("succeeded", False, [])


@pytest.mark.parametrize("lookahead", [0, 8])
def test_a_robot_failure_is_recorded_failed_with_its_error_and_nothing_after_it_ran(
    robot: RobotClient, protocol: Path, lookahead: int
) -> None:
    _fault(robot, "aspirate", 2)
    with pytest.raises(ProtocolFailed) as failed:
        run_protocol_file(protocol, robot.url, lookahead=lookahead)
    assert isinstance(failed.value.cause, CommandFailed)
    run = robot.list_runs()[-1]
    assert (run.status, run.current) == ("failed", False)
    assert failed.value.cause.error_type in str(run.errors[0].model_dump())
    ran = [c for c in robot.iter_commands(run.id) if c.startedAt and c.commandType != HOLD]
    assert [(c.commandType, c.status) for c in ran[-2:]] == [
        ("pickUpTip", "succeeded"),
        ("aspirate", "failed"),
    ]


@pytest.mark.parametrize("lookahead", [0, 8])
def test_ctrl_c_is_recorded_stopped_and_says_what_ran(
    robot: RobotClient, protocol: Path, lookahead: int
) -> None:
    issued: list[str] = []

    def ctrl_c_at_the_tenth(command_type: str, params: object) -> None:
        issued.append(command_type)
        if len(issued) == 10:
            raise KeyboardInterrupt

    with pytest.raises(RunInterrupted) as interrupted:
        run_protocol_file(protocol, robot.url, lookahead=lookahead, observers=[ctrl_c_at_the_tenth])
    run = robot.list_runs()[-1]
    assert (run.status, run.current) == ("stopped", False)
    ran = [
        c for c in robot.iter_commands(run.id) if c.startedAt and c.commandType != "waitForResume"
    ]
    assert f"the robot ran {len(ran)} commands" in str(interrupted.value)
    assert len(ran) <= 10


SCRIPT = """\
import sys
import otlink.live
with otlink.live.get_protocol_api("2.20", robot=sys.argv[1], lookahead=int(sys.argv[2])) as p:
    tips = p.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = p.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = p.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p.home()
    p300.pick_up_tip()
    print("started", flush=True)
    while True:
        p300.aspirate(10, plate["A1"])
        p300.dispense(10, plate["A1"])
"""


@pytest.mark.parametrize("lookahead", [0, 16])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_ctrl_c_in_a_script_leaves_no_active_run(
    robot: RobotClient, tmp_path: Path, lookahead: int
) -> None:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    child = subprocess.Popen(
        [sys.executable, str(script), robot.url, str(lookahead)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"started"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    child.wait(timeout=60)
    run = robot.list_runs()[-1]
    assert (run.status, run.current) == ("stopped", False)


def test_a_recording_runs_nothing(robot: RobotClient) -> None:
    before = len(robot.list_runs())
    recording = RobotRun.recording(robot)
    recording.execute("home", {})
    recording.finish()
    assert [c.command_type for c in recording.strategy.commands] == ["home"]  # type: ignore[attr-defined]
    assert len(robot.list_runs()) == before


def test_a_notebook_context_closed_by_hand_is_recorded_succeeded(robot: RobotClient) -> None:
    live = get_protocol_api("2.20", robot=robot)
    live.home()
    live.close()
    run = robot.get_run(live.robot_run.id)
    assert (run.status, run.current) == ("succeeded", False)
