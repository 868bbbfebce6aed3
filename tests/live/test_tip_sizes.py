"""A GEN1 P50 8-channel on 20 µL tips: opentrons' analysis accepts the file, a robot fails the
pick-up with ``KeyError: PipetteTipType.t20`` (opentrons' hardware model of the pipette, see
``otlink.live.tip_sizes``); otlink refuses it before the robot moves, saying why, at both cores.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentrons import simulate
from opentrons.protocols.execution.errors import ExceptionInProtocolError

from live_fidelity import PROTOCOLS, official_analysis
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.live.protocol_file import read_protocol
from robot_http import protocol_commands

# Analyses and a virtual OT-2 of its own: slow tier.
pytestmark = pytest.mark.slow

SOURCE = PROTOCOLS / "p50_multi_on_20ul_tips.py"
WHY = "p50_multi cannot use 20 µL tips on an OT-2"


@pytest.fixture(scope="module")
def p50_robot() -> Iterator[EmulatorProcess]:
    server = EmulatorProcess(args=("--right", "p50_multi"))
    yield server
    server.stop()


def _at_level(level: str, directory: Path) -> Path:
    protocol = directory / f"p50_multi_{level.replace('.', '_')}.py"
    protocol.write_text(SOURCE.read_text().replace('"2.15"', f'"{level}"'))
    return protocol


def _otlink(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "otlink", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 5, done.stdout + done.stderr
    record: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return record


def test_opentrons_analysis_accepts_it_and_the_robot_fails_the_pick_up(
    p50_robot: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _at_level("2.15", tmp_path)
    analysis = official_analysis(protocol)  # no errors
    assert "pickUpTip" in [command["commandType"] for command in analysis]
    # The robot's own run of the file (uploaded, not live) fails at the pick-up.
    uploaded = _otlink("run", "--upload", str(protocol), "--robot", p50_robot.url)
    assert "KeyError: <PipetteTipType.t20: 20>" in uploaded["detail"]
    # Below 2.14 opentrons' own simulation runs the hardware model too, and fails the same way.
    legacy = read_protocol(_at_level("2.13", tmp_path))
    with pytest.raises(ExceptionInProtocolError, match=r"PipetteTipType\.t20"):
        legacy.run(simulate.get_protocol_api(legacy.api_level))


@pytest.mark.parametrize("level", ["2.13", "2.15"])
@pytest.mark.parametrize("whole_protocol_check", [True, False])
def test_otlink_refuses_the_pick_up_before_the_robot_moves_saying_why(
    level: str, whole_protocol_check: bool, p50_robot: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _at_level(level, tmp_path)
    skip = () if whole_protocol_check else ("--no-check",)
    record = _otlink("run", *skip, str(protocol), "--robot", p50_robot.url)
    assert record["line"] == 11
    assert WHY in record["detail"] and "50, 200, 300 µL tips only" in record["detail"]
    assert "pickUpTip refused before it reached the robot" in record["error"]
    if not whole_protocol_check:  # the per-command check: a robot run, with no pick-up in it
        run_id = re.search(r"robot run ([0-9a-f-]{36})", record["error"])
        assert run_id is not None, record
        with RobotClient(p50_robot.url) as client:
            kinds = [command.commandType for command in protocol_commands(client, run_id[1])]
        # Lookahead's holds are otlink's own; what it had not sent yet is not sent after a failure.
        kinds = [kind for kind in kinds if kind != "waitForResume"]
        assert kinds[0] == "home" and "pickUpTip" not in kinds
