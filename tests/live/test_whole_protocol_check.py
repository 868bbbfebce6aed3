"""The whole protocol is checked before the robot moves: with the robot's pipettes and modules,
refused with the protocol's line and no run made on the robot; steps and time estimated."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import ProtocolFailed
from otlink.live.protocol_file import read_protocol
from otlink.live.protocol_runner import run_protocol_file
from otlink.live.whole_protocol_check import check_whole_protocol
from robot_http import protocol_commands

PROTOCOLS = Path(__file__).parent / "protocols"
OVER_ASPIRATES = PROTOCOLS / "over_aspirates_at_step_6.py"


def _runs(client: RobotClient) -> int:
    return len(client.list_runs())


def _at_level(source: Path, level: str, folder: Path, **replace: str) -> Path:
    text = source.read_text().replace('"apiLevel": "2.20"', f'"apiLevel": "{level}"')
    for old, new in replace.items():
        text = text.replace(old, new)
    copy = folder / f"{source.stem}_{level.replace('.', '_')}.py"
    copy.write_text(text)
    return copy


@pytest.mark.parametrize("level", ["2.20", "2.13"])
def test_a_failure_at_step_6_is_refused_with_its_line_before_any_run(
    level: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _at_level(OVER_ASPIRATES, level, tmp_path)
    with RobotClient(emulator.url) as client:
        before = _runs(client)
        with pytest.raises(ProtocolFailed) as refused:
            run_protocol_file(protocol, client)
        assert refused.value.line == 12
        assert str(refused.value).startswith("checked before the robot moved: aspirate")
        assert _runs(client) == before  # no robot run touched


def test_a_pipette_the_robot_does_not_have_is_refused_at_its_load(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    # The session's robot has a p300 on the left: a p20 there is the robot's refusal, early.
    protocol = _at_level(OVER_ASPIRATES, "2.20", tmp_path, p300_single_gen2="p20_single_gen2")
    with RobotClient(emulator.url) as client:
        before = _runs(client)
        with pytest.raises(ProtocolFailed) as refused:
            run_protocol_file(protocol, client)
        assert refused.value.line == 9
        assert "p20_single_gen2" in str(refused.value)
        assert _runs(client) == before


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_empty_mount_is_refused_as_on_the_robot(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    robot = start_emulator("--left", "none")
    with RobotClient(robot.url) as client, pytest.raises(ProtocolFailed) as refused:
        check_whole_protocol(read_protocol(PROTOCOLS / "pipetting_2_19.py"), client)
    assert "no instrument is present" in str(refused.value)


def test_a_module_the_robot_lacks_is_refused_with_how_to_attach_one(
    emulator: EmulatorProcess,
) -> None:
    with RobotClient(emulator.url) as client:
        before = _runs(client)
        with pytest.raises(ProtocolFailed) as refused:
            run_protocol_file(PROTOCOLS / "modules_2_16.py", client)
        assert "this robot has no free" in str(refused.value)
        assert refused.value.line is not None
        assert "--module" in (refused.value.hint or "")
        assert _runs(client) == before


@pytest.mark.parametrize("name", ["pipetting_2_19.py", "legacy_pipetting.py"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_check_counts_the_steps_the_robot_then_runs(
    name: str, emulator: EmulatorProcess
) -> None:
    checks = []
    with RobotClient(emulator.url) as client:
        report = run_protocol_file(PROTOCOLS / name, client, on_checked=checks.append)
        commands = protocol_commands(client, report.robot_run_id)
        # run_protocol_file looks ahead by default: its waitForResume holds are not steps
        ran = len([c for c in commands if c.commandType != "waitForResume"])
    assert report.check is checks[0]
    assert report.check.steps == report.commands == ran
    assert report.check.seconds_after(report.check.steps) == 0
    assert report.check.seconds > 10  # a home and tips at the least


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_delays_and_module_waits_make_the_estimate(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path
) -> None:
    protocol = tmp_path / "waits.py"
    protocol.write_text(
        'metadata = {"apiLevel": "2.20"}\n\n'
        "def run(protocol):\n"
        '    module = protocol.load_module("temperature module gen2", 3)\n'
        "    protocol.delay(minutes=2)\n"
        "    module.set_temperature(73)\n"
    )
    robot = start_emulator("--module", "temperatureModuleV2")
    with RobotClient(robot.url) as client:
        check = check_whole_protocol(read_protocol(protocol), client)
    # 120 s of delay and 50 degrees at a module's ramp, on top of a home.
    assert 120 + 50 < check.seconds < 600


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_otlink_run_shows_the_plan_and_no_check_skips_it(
    emulator: EmulatorProcess,
) -> None:
    def otlink(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "otlink", "run", *args, "--robot", emulator.url]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    passed = otlink(str(PROTOCOLS / "pipetting_2_19.py"), "--json")
    assert passed.returncode == 0, passed.stderr
    outcome = json.loads(passed.stdout.strip().splitlines()[-1])
    assert outcome["checkedSteps"] == outcome["commands"]
    plain = otlink(str(PROTOCOLS / "pipetting_2_19.py"))
    assert "Checked: " in plain.stdout and f" of {outcome['commands']}, ~" in plain.stdout
    unchecked = otlink(str(OVER_ASPIRATES), "--no-check")
    assert unchecked.returncode == 5
    assert "#6 aspirate" in unchecked.stdout  # it went on to the robot until the failure
