"""Common mistakes end in one or two lines naming the problem and the fix, the README's exit
code, and under --json one object with its fields: checked from outside, with ``otlink`` run as
a user runs it, against a virtual OT-2 (and, for a robot that never answers, a TCP server that
accepts connections and says nothing: a hung robot cannot be made here any other way)."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_run import PROTOCOLS, otlink

from otlink.emulator.child_process import EmulatorProcess

MISTAKES = Path(__file__).with_name("mistakes")
TRANSFER = str(PROTOCOLS / "transfer_220.py")


def failure(result: subprocess.CompletedProcess[str], code: int) -> dict:
    """The one JSON object a failing ``--json`` command printed, checked for its fields."""
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == code, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    record = json.loads(lines[-1])
    assert all(not line.startswith("{") for line in lines[:-1])  # one JSON object only
    assert set(record) >= {"error", "errorType", "detail", "file", "line", "hint", "exitCode"}
    assert record["exitCode"] == code and record["hint"]
    return record


def two_lines(result: subprocess.CompletedProcess[str], code: int) -> list[str]:
    """What a person reads: an ``error:`` line and a ``hint:`` line, nothing else."""
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["error", "hint"], result.stderr
    return lines


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_syntax_error_names_the_line(emulator: EmulatorProcess) -> None:
    protocol = str(PROTOCOLS / "syntax_error.py")
    record = failure(otlink("run", protocol, "--robot", emulator.url, "--json"), 5)
    assert record["errorType"] == "ProtocolFileError"
    assert (record["file"], record["line"]) == (protocol, 5)
    assert "was never closed" in record["error"] and "line 5" in record["hint"]
    lines = two_lines(otlink("run", protocol, "--robot", emulator.url), 5)
    assert "syntax_error.py" in lines[0]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_missing_api_level_says_how_to_declare_it(emulator: EmulatorProcess) -> None:
    protocol = str(PROTOCOLS / "no_api_level.py")
    record = failure(otlink("run", protocol, "--robot", emulator.url, "--json"), 5)
    assert "apiLevel not declared" in record["detail"]
    assert '"apiLevel": "2.20"' in record["hint"]


@pytest.mark.parametrize("mode", [(), ("--upload",)], ids=["live", "upload"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_out_of_range_parameter_gives_the_range(
    emulator: EmulatorProcess, mode: tuple[str, ...]
) -> None:
    result = otlink("run", TRANSFER, *mode, "--robot", emulator.url, "--param", "volume=500")
    record = failure(
        otlink("run", TRANSFER, *mode, "--robot", emulator.url, "--param", "volume=500", "--json"),
        2,
    )
    assert record["errorType"] == "ParameterValueError"
    assert record["hint"] == "give volume a value from 1 to 300"
    assert two_lines(result, 2)[0] == "error: parameter volume is 500, outside its range"


@pytest.mark.parametrize("mode", [(), ("--upload",)], ids=["live", "upload"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_malformed_offsets_file_names_its_line(
    emulator: EmulatorProcess, mode: tuple[str, ...]
) -> None:
    offsets = str(MISTAKES / "broken_offsets.json")
    record = failure(
        otlink("run", TRANSFER, *mode, "--robot", emulator.url, "--offsets", offsets, "--json"), 2
    )
    assert record["errorType"] == "InputFileError"
    assert (record["file"], record["line"]) == (offsets, 2)
    assert "not valid JSON" in record["error"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_offset_without_its_vector_is_named(emulator: EmulatorProcess) -> None:
    offsets = str(MISTAKES / "offsets_without_vector.json")
    record = failure(
        otlink("run", TRANSFER, "--robot", emulator.url, "--offsets", offsets, "--json"), 2
    )
    assert record["error"] == "offsets_without_vector.json: offset 1 lacks location, vector"
    assert "definitionUri, location, vector" in record["hint"]


@pytest.mark.parametrize(
    ("file", "mode", "says"),
    [
        ("broken_labware.json", (), "not valid JSON"),
        ("not_labware.json", ("--upload",), "not a labware definition"),
    ],
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_malformed_labware_file_is_named(
    emulator: EmulatorProcess, file: str, mode: tuple[str, ...], says: str
) -> None:
    labware = str(MISTAKES / file)
    record = failure(
        otlink("run", TRANSFER, *mode, "--robot", emulator.url, "--labware", labware, "--json"), 2
    )
    assert record["errorType"] == "InputFileError" and record["file"] == labware
    assert says in record["error"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_unquoted_value_in_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "otlink").mkdir()
    (tmp_path / "otlink" / "config.toml").write_text("robot = 10.0.0.5\n")
    env = {"OTLINK_ROBOT": "", "XDG_CONFIG_HOME": str(tmp_path)}
    record = failure(otlink("status", "--json", env=env), 2)
    assert record["errorType"] == "InputFileError" and record["line"] == 1
    assert record["hint"] == 'quote text values: robot = "10.0.0.5"'
    assert two_lines(otlink("lights", env=env), 2)[0].startswith("error: ")


@pytest.mark.parametrize("mode", [(), ("--upload",)], ids=["live", "upload"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_unknown_labware_suggests_labware_and_close_names(
    emulator: EmulatorProcess, mode: tuple[str, ...]
) -> None:
    protocol = str(PROTOCOLS / "unknown_labware.py")
    record = failure(otlink("run", protocol, *mode, "--robot", emulator.url, "--json"), 5)
    assert record["line"] == 5
    assert "--labware" in record["hint"]
    assert "close load names: corning_96_wellplate_360ul_flat" in record["hint"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_unknown_labware_below_2_14_is_one_line_with_the_same_hint(
    emulator: EmulatorProcess,
) -> None:
    # The legacy core's own message spans eight lines and sends the user to the Opentrons App.
    protocol = str(PROTOCOLS / "unknown_labware_2_13.py")
    error, hint = two_lines(otlink("run", protocol, "--robot", emulator.url), 5)
    assert 'definition for "corning_96_wellplate_360ul_flt", version 1' in error
    assert "Opentrons App" not in error
    assert "--labware" in hint and "corning_96_wellplate_360ul_flat" in hint


@pytest.mark.parametrize("check", [(), ("--no-check",)], ids=["checked", "no-check"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_pipette_the_robot_has_not_says_how_to_attach_it(
    emulator: EmulatorProcess, check: tuple[str, ...]
) -> None:
    protocol = str(PROTOCOLS / "multi_channel_right.py")
    record = failure(otlink("run", protocol, *check, "--robot", emulator.url, "--json"), 5)
    assert record["line"] == 5
    assert "otlink emulate --right p20_multi_gen2" in record["hint"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_missing_module_says_how_to_attach_one(emulator: EmulatorProcess) -> None:
    protocol = str(PROTOCOLS / "temperature_module.py")
    record = failure(otlink("run", protocol, "--robot", emulator.url, "--json"), 5)
    assert "temperatureModuleV2" in record["error"] and record["line"] == 5
    assert "otlink emulate --module temperatureModuleV2" in record["hint"]


@pytest.mark.parametrize("check", [(), ("--no-check",)], ids=["checked", "no-check"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_refused_step_names_its_fix(emulator: EmulatorProcess, check: tuple[str, ...]) -> None:
    # Under --no-check the same refusal comes from the per-command pre-flight, mid-run.
    protocol = str(PROTOCOLS / "no_tip.py")
    record = failure(otlink("run", protocol, *check, "--robot", emulator.url, "--json"), 5)
    assert (record["errorType"], record["line"]) == ("TipNotAttachedError", 7)
    assert record["hint"] == "pick up a tip before this step (pipette.pick_up_tip())"


@pytest.fixture
def silent_robot() -> Iterator[str]:
    """An address that accepts connections and never answers, as a hung robot does."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for connection in held:
        connection.close()


@pytest.mark.parametrize(
    "command",
    [["status"], ["runs", "list"], ["lights"], ["run", TRANSFER], ["run", TRANSFER, "--upload"]],
    ids=["status", "runs", "lights", "run", "upload"],
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_silent_robot_is_reported_after_one_timeout(
    silent_robot: str, command: list[str]
) -> None:
    # One read timeout (--timeout, 6 s by default), not one per retry: the request was tried
    # once. How long that takes, start-up included, is measured by bench/silent_robot.py.
    record = failure(otlink(*command, "--robot", silent_robot, "--timeout", "1", "--json"), 3)
    assert record["errorType"] == "RobotUnreachable"
    assert " once: ReadTimeout" in record["error"]
    assert "--timeout" in record["hint"]


@pytest.mark.parametrize(
    ("file", "mode", "line", "says"),
    [
        ("robot_type_ot4.py", (), 1, "robotType must be 'OT-2' or 'Flex'"),
        ("robot_type_ot4.py", ("--upload",), 1, "robotType must be 'OT-2' or 'Flex'"),
        ("import_missing.py", (), 1, "No module named 'otlink_no_such_module'"),
        ("binary.py", ("--upload",), None, "null bytes"),
    ],
    ids=["robot-type", "robot-type-upload", "import", "binary-upload"],
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_malformed_protocol_ends_in_two_lines(
    emulator: EmulatorProcess, file: str, mode: tuple[str, ...], line: int | None, says: str
) -> None:
    # Every kind of malformed file, read in-process, is in test_protocol_mistakes.py.
    protocol = str(MISTAKES / file)
    before = last_run_id(emulator)
    record = failure(otlink("run", protocol, *mode, "--robot", emulator.url, "--json"), 5)
    assert record["errorType"] == "ProtocolFileError" and record["line"] == line
    assert says in record["error"]
    assert last_run_id(emulator) == before  # no run was made on the robot


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_run_that_takes_no_protocol_is_told_in_two_lines(emulator: EmulatorProcess) -> None:
    protocol = str(MISTAKES / "run_without_protocol.py")
    lines = two_lines(otlink("run", protocol, "--robot", emulator.url), 5)
    assert "run() at line 4 cannot be called as run(protocol)" in lines[0]
    assert lines[1] == "hint: define it as def run(protocol):"


@pytest.mark.parametrize("make", ["folder", "missing"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_protocol_that_is_no_file(emulator: EmulatorProcess, tmp_path: Path, make: str) -> None:
    protocol = tmp_path / "transfer.py"
    if make == "folder":
        protocol.mkdir()
        (protocol / "inner.py").write_text("")
    record = failure(otlink("run", str(protocol), "--robot", emulator.url, "--json"), 2)
    assert record["errorType"] == "InputFileError"
    lines = two_lines(otlink("run", str(protocol), "--upload", "--robot", emulator.url), 2)
    assert ("in it: inner.py" in lines[1]) == (make == "folder")


def last_run_id(emulator: EmulatorProcess) -> str | None:
    runs = httpx.get(f"{emulator.url}/runs", headers={"Opentrons-Version": "4"}).json()["data"]
    return runs[-1]["id"] if runs else None
