"""``mypy --strict`` accepts user code that uses otlink: the client, the live API, the examples.

It runs as a user's would: from a folder of its own (not this project's mypy settings), on the
installed package, which ships ``py.typed``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).parents[2] / "examples"
USER_SCRIPT = """
import otlink
from otlink import RobotClient
from otlink.errors import CommandFailed, OtlinkError
from otlink.models import RunStatus


def robot_name(host: str) -> str:
    with RobotClient(host) as robot:
        run = robot.create_run()
        try:
            robot.enqueue_command(run.id, "home")
        except CommandFailed as failure:
            print(failure.error_type, failure.detail)
        return robot.health().name


def finished(host: str, run_id: str) -> bool:
    with RobotClient(host) as robot:
        return robot.get_run(run_id).status == RunStatus.SUCCEEDED


def live(host: str) -> None:
    with otlink.get_protocol_api("2.20", robot=host) as protocol:
        tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
        p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        try:
            p300.transfer(100, plate["A1"], plate["B1"])
        except OtlinkError as error:
            print(error)
"""
# The same script with mistakes a type checker should catch in otlink's and opentrons' types.
WRONG = USER_SCRIPT.replace("return robot.health().name", "return robot.health()").replace(
    'load_labware("opentrons_96_tiprack_300ul", 1)', "load_labware(300, 1)"
)


def mypy_strict(folder: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(folder / ".cache"),
            *map(str, files),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_mypy_strict_accepts_a_user_script_and_the_examples(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(USER_SCRIPT)
    wrong = tmp_path / "wrong_script.py"
    wrong.write_text(WRONG)
    checked = mypy_strict(tmp_path, script, *sorted(EXAMPLES.glob("*.py")))
    assert checked.returncode == 0, checked.stdout
    refused = mypy_strict(tmp_path, wrong)
    assert "wrong_script.py:15: error: Incompatible return value type" in refused.stdout
    assert 'Argument 1 to "load_labware" of "ProtocolContext"' in refused.stdout
