"""Live protocols with lookahead against a virtual OT-2: faults injected at random commands (200
runs) are reported with the command and the protocol line that issued it, nothing issued after a
failed command runs on the robot, pauses wait for the robot, and no run is left active."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed
from otlink.live import get_protocol_api
from otlink.live.protocol_runner import ProtocolFailed, run_protocol_file
from otlink.models import CommandStatus
from protocol_http import cycling_protocol
from robot_http import free_robot

CYCLES = 6
PROTOCOL = cycling_protocol(CYCLES)
# The protocol line that issues each robot command of a cycle.
LINES = {"pickUpTip": 9, "aspirate": 10, "dispense": 11, "dropTipInPlace": 12}


@pytest.fixture
def robot(emulator: EmulatorProcess) -> Iterator[RobotClient]:
    with RobotClient(emulator.url) as client:
        free_robot(client)
        yield client
        free_robot(client)


def _fault(client: RobotClient, command_type: str, nth: int) -> None:
    rules = [{"commandType": command_type, "nth": nth}]
    response = httpx.put(f"{client.url}/otlink/faults", json={"data": {"rules": rules}})
    response.raise_for_status()


def test_a_protocol_with_lookahead_runs_whole(robot: RobotClient, tmp_path: Path) -> None:
    protocol = tmp_path / "cycles.py"
    protocol.write_text(PROTOCOL)
    report = run_protocol_file(protocol, robot.url, lookahead=5, on_pause=lambda _: None)
    run = robot.get_run(report.robot_run_id)
    assert run.status == "succeeded" and not run.current
    kinds = [c.commandType for c in robot.iter_commands(run.id) if c.commandType in LINES]
    assert kinds == list(LINES) * CYCLES


@pytest.mark.slow
def test_faults_at_random_commands_stop_the_protocol_at_their_line(
    robot: RobotClient, tmp_path: Path
) -> None:
    protocol = tmp_path / "cycles.py"
    protocol.write_text(PROTOCOL)
    chance = random.Random(6)
    for attempt in range(200):
        command_type = chance.choice(sorted(LINES))
        nth = chance.randint(1, CYCLES)
        _fault(robot, command_type, nth)
        with pytest.raises(ProtocolFailed) as failed:
            run_protocol_file(
                protocol, robot.url, lookahead=chance.randint(1, 12), on_pause=lambda _: None
            )
        cause = failed.value.cause
        assert isinstance(cause, CommandFailed), cause
        assert cause.command.commandType == command_type, attempt
        assert failed.value.line == LINES[command_type], (attempt, str(failed.value))
        run = robot.list_runs()[-1]
        listed = list(robot.iter_commands(run.id))
        at = next(i for i, c in enumerate(listed) if c.status == CommandStatus.FAILED)
        assert listed[at].id == cause.command.id
        assert sum(1 for c in listed[: at + 1] if c.commandType == command_type) == nth
        assert all(c.startedAt is None for c in listed[at + 1 :]), attempt
        assert run.status == "failed" and not run.current


def test_a_pause_waits_for_the_robot(robot: RobotClient) -> None:
    seen: list[set[str]] = []
    runs: list[str] = []

    def look(message: str) -> None:
        listed = robot.iter_commands(runs[0])
        seen.append({c.status for c in listed if c.commandType != "waitForResume"})

    with get_protocol_api("2.20", robot=robot, lookahead=50, on_pause=look) as live:
        runs.append(live.robot_run.id)
        tips = live.load_labware("opentrons_96_tiprack_300ul", 1)
        p300 = live.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        live.home()
        p300.pick_up_tip()
        live.pause("check")
        p300.drop_tip()
    assert seen == [{CommandStatus.SUCCEEDED}]
    assert robot.get_run(runs[0]).status == "succeeded"


def test_a_robot_failure_is_raised_at_the_end_of_the_block(robot: RobotClient) -> None:
    _fault(robot, "aspirate", 1)
    with (
        pytest.raises(CommandFailed) as failed,
        get_protocol_api("2.20", robot=robot, lookahead=50) as live,
    ):
        tips = live.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = live.load_labware("corning_96_wellplate_360ul_flat", 2)
        p300 = live.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        p300.pick_up_tip()
        p300.aspirate(50, plate["A1"])
        aspirate_line = sys._getframe().f_lineno - 1
        p300.dispense(50, plate["B1"])
    assert failed.value.command.commandType == "aspirate"
    assert (failed.value.filename, failed.value.line) == (__file__, aspirate_line)
    run = robot.list_runs()[-1]
    assert run.status == "failed" and not run.current
