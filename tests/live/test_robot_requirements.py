"""What the robot would refuse is refused before a run is made on it, naming both sides."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from opentrons.protocols.api_support.types import APIVersion

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import ApiError, RobotCannotRun
from otlink.live import get_protocol_api
from otlink.live.protocol_runner import run_protocol_file
from otlink.live.robot_requirements import refuse_what_the_robot_would
from otlink.models import Health


def _run_ids(url: str) -> list[str]:
    with RobotClient(url) as client:
        return [run.id for run in client.list_runs()]


def _protocol(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "refused.py"
    path.write_text(f"{header}\n\ndef run(protocol):\n    protocol.comment('hello')\n")
    return path


def test_an_api_level_above_the_robots_is_refused_before_any_run(
    emulator: EmulatorProcess,
) -> None:
    before = _run_ids(emulator.url)
    with pytest.raises(RobotCannotRun) as refused:
        get_protocol_api("2.99", robot=emulator.url)
    assert str(refused.value).startswith("protocol needs apiLevel 2.99; this robot runs apiLevel")
    assert _run_ids(emulator.url) == before


def test_a_flex_protocol_is_refused_on_an_ot2_as_its_upload_is(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _protocol(tmp_path, 'requirements = {"robotType": "Flex", "apiLevel": "2.20"}')
    before = _run_ids(emulator.url)
    with pytest.raises(RobotCannotRun) as refused:
        run_protocol_file(protocol, emulator.url)
    assert "a Flex" in str(refused.value) and "this robot is an OT-2" in str(refused.value)
    assert _run_ids(emulator.url) == before
    # The robot itself refuses the same file when it is uploaded.
    with RobotClient(emulator.url) as client, pytest.raises(ApiError) as upload:
        client.upload_protocol(protocol)
    assert upload.value.status == 422


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_otlink_run_names_both_sides_and_exits_as_a_robot_error(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _protocol(tmp_path, 'metadata = {"apiLevel": "2.99"}')
    ran = subprocess.run(
        [sys.executable, "-m", "otlink", "run", str(protocol), "--robot", emulator.url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 4, ran.stderr
    assert "protocol needs apiLevel 2.99; this robot runs apiLevel 2.0 to" in ran.stderr
    assert "Traceback" not in ran.stderr


def _robot(highest: list[int], model: str = "OT-2 Standard") -> Health:
    return Health(
        name="ot2",
        robot_model=model,
        api_version="7.0.0",
        minimum_protocol_api_version=[2, 0],
        maximum_protocol_api_version=highest,
    )


def test_an_older_robot_software_is_named_with_its_highest_level() -> None:
    # An older robot than the emulator (which runs the opentrons installed here): its /health.
    with pytest.raises(RobotCannotRun) as refused:
        refuse_what_the_robot_would(_robot([2, 15]), APIVersion(2, 20))
    assert refused.value.needs == "apiLevel 2.20"
    assert refused.value.robot_has == "this robot runs apiLevel 2.0 to 2.15"
    assert "update the robot's software" in str(refused.value)
    refuse_what_the_robot_would(_robot([2, 15]), APIVersion(2, 15))


def test_a_level_this_opentrons_does_not_run_is_refused_even_if_the_robot_would() -> None:
    with pytest.raises(RobotCannotRun) as refused:
        refuse_what_the_robot_would(_robot([2, 99]), APIVersion(2, 50))
    assert "the opentrons installed here runs" in refused.value.robot_has
