"""What a live protocol reads of its modules is what the robot says, as in an uploaded run."""

from __future__ import annotations

from pathlib import Path

import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.live import get_protocol_api
from otlink.live.protocol_runner import run_protocol_file
from robot_http import protocol_commands

PROTOCOL = Path(__file__).parent / "protocols" / "module_readings.py"


@pytest.fixture
def robot(robot_with_modules: EmulatorProcess) -> EmulatorProcess:
    return robot_with_modules  # shared by the session (tests/conftest.py)


def _comments(client: RobotClient, run_id: str) -> list[str]:
    # A protocol run below 2.14 records comments as legacy commands with their text.
    return [
        str(command.params.get("message") or command.params.get("legacyCommandText"))
        for command in protocol_commands(client, run_id)
        if command.commandType == "comment"
        or command.params.get("legacyCommandType") == "command.COMMENT"
    ]


def _uploaded_run(client: RobotClient, protocol: Path) -> str:
    uploaded = client.upload_protocol(protocol)
    client.wait_for_analysis(uploaded.id, timeout=120)
    run = client.create_run(protocol_id=uploaded.id)
    client.play_run(run.id)
    ended = client.wait_for_run(run.id, timeout=300)
    assert ended.status == "succeeded", ended.errors
    client.archive_run(run.id)
    return run.id


def _at_level(protocol: Path, level: str, folder: Path) -> Path:
    copy = folder / f"module_readings_{level.replace('.', '_')}.py"
    copy.write_text(protocol.read_text().replace('"apiLevel": "2.20"', f'"apiLevel": "{level}"'))
    return copy


def test_after_set_temperature_the_protocol_reads_what_the_robot_says(
    robot: EmulatorProcess,
) -> None:
    with get_protocol_api("2.20", robot=robot.url) as protocol:
        module = protocol.load_module("temperature module gen2", 3)
        module.set_temperature(37)
        said = next(
            m
            for m in protocol.robot_run.client.list_modules()
            if m.moduleModel == "temperatureModuleV2"
        )
        assert said.data["currentTemperature"] == 37 and said.data["status"] == "holding at target"
        assert (module.temperature, module.target, module.status) == (37, 37, "holding at target")
        assert module.serial_number == said.serialNumber
        module.deactivate()
        assert module.status == "idle"


@pytest.mark.parametrize("level", ["2.20", "2.13"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_live_run_and_an_uploaded_run_log_the_same_readings(
    level: str, robot: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _at_level(PROTOCOL, level, tmp_path)
    with RobotClient(robot.url) as client:
        uploaded = _comments(client, _uploaded_run(client, protocol))
        live = _comments(client, run_protocol_file(protocol, client).robot_run_id)
    assert live == uploaded
    assert "temperature: temperature=37, target=37, status=holding at target" in live
    assert any(
        line.startswith("cycler: lid_position=closed, block_temperature=50") for line in live
    )
    assert any(
        "current_speed=500" in line and "labware_latch_status=idle_closed" in line for line in live
    )
