"""``otlink status``, ``runs``, ``protocols``, ``lights`` and ``home`` against a virtual OT-2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx
import pytest
from test_run import PROTOCOLS, otlink

from otlink.emulator.child_process import EmulatorProcess


@pytest.fixture
def finished_run(emulator: EmulatorProcess, robot: httpx.Client) -> dict:
    """The outcome of a protocol the robot ran to its end (the robot freed first)."""
    result = otlink(
        "run", str(PROTOCOLS / "transfer_220.py"), "--upload", "--robot", emulator.url, "--json"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_status_in_table_and_json(emulator: EmulatorProcess, finished_run: dict) -> None:
    table = otlink("status", emulator.url)
    assert table.returncode == 0, table.stderr
    assert "otlink-virtual-ot2 (OT-2 Standard)" in table.stdout
    assert "p300_single_gen2" in table.stdout and finished_run["runId"] in table.stdout

    status = json.loads(otlink("status", "--robot", emulator.url, "--json").stdout)
    assert status["model"] == "OT-2 Standard"
    assert status["robotSoftware"] == "8.8.2" and status["httpApiVersion"] == "4"
    assert (status["left"], status["right"]) == ("p300_single_gen2", "p20_single_gen2")
    assert status["modules"] == [] and status["lights"] in ("on", "off")
    assert status["currentRun"] == finished_run["runId"]
    assert status["currentRunStatus"] == "succeeded"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_runs_list_show_and_log(emulator: EmulatorProcess, finished_run: dict) -> None:
    run_id = finished_run["runId"]
    listed = otlink("runs", "list", "--robot", emulator.url)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if run_id in line)
    assert "succeeded" in row and "CLI transfer" in row

    runs = json.loads(otlink("runs", "list", "--robot", emulator.url, "--json").stdout)
    assert runs[-1]["id"] == run_id and runs[-1]["current"] is True
    as_csv = otlink("runs", "list", "--robot", emulator.url, "--format", "csv").stdout
    assert list(csv.DictReader(io.StringIO(as_csv)))[-1]["id"] == run_id

    shown = json.loads(otlink("runs", "show", run_id, "--robot", emulator.url, "--json").stdout)
    assert shown["status"] == "succeeded" and shown["commands"] == 9
    assert shown["pipettes"] == ["left: p300_single_gen2"]
    assert f"Run {run_id}" in otlink("runs", "show", run_id, "--robot", emulator.url).stdout

    log = json.loads(otlink("runs", "log", run_id, "--robot", emulator.url, "--json").stdout)
    assert [c["commandType"] for c in log][:2] == ["home", "loadLabware"]
    assert (
        log[5]["description"]
        == "aspirate 50 µL from A1 of Corning 96 Well Plate 360 µL Flat in slot 2"
        and log[5]["status"] == "succeeded"
    )
    table = otlink("runs", "log", run_id, "--robot", emulator.url).stdout
    assert "dropTipInPlace" in table and "aspirate 50 µL from A1 of Corning" in table
    rows = list(
        csv.DictReader(
            io.StringIO(
                otlink("runs", "log", run_id, "--format", "csv", "--robot", emulator.url).stdout
            )
        )
    )
    assert len(rows) == 9 and rows[0] == {
        "index": "0",
        "commandType": "home",
        "status": "succeeded",
        "seconds": rows[0]["seconds"],
        "description": "home",
        "error": "",
    }


def test_an_unknown_run_is_a_robot_error(emulator: EmulatorProcess) -> None:
    result = otlink("runs", "show", "no-such-run", "--robot", emulator.url)
    assert result.returncode == 4
    assert "RunNotFound" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_protocols_list_show_and_rm(emulator: EmulatorProcess, finished_run: dict) -> None:
    protocol_id = finished_run["protocolId"]
    listed = json.loads(otlink("protocols", "list", "--robot", emulator.url, "--json").stdout)
    assert protocol_id in [p["id"] for p in listed]
    shown = otlink("protocols", "show", protocol_id, "--robot", emulator.url, "--json")
    protocol = json.loads(shown.stdout)
    assert protocol["name"] == "CLI transfer" and protocol["analysis"] == "ok"
    assert {p["variableName"] for p in protocol["parameters"]} == {"volume", "mix"}
    assert (
        "parameter volume = "
        in otlink("protocols", "show", protocol_id, "--robot", emulator.url).stdout
    )

    refused = otlink("protocols", "rm", protocol_id, "--robot", emulator.url)
    assert refused.returncode == 4 and "ProtocolUsedByRun" in refused.stderr

    uploaded = otlink(
        "run", str(PROTOCOLS / "no_tip.py"), "--upload", "--robot", emulator.url, "--json"
    )
    unused = json.loads(uploaded.stdout.strip().splitlines()[-1])["hint"].split()[1]
    removed = otlink("protocols", "rm", unused, "--robot", emulator.url)
    assert removed.returncode == 0, removed.stderr
    listed = json.loads(otlink("protocols", "list", "--robot", emulator.url, "--json").stdout)
    assert unused not in [p["id"] for p in listed]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_lights_and_home(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    on = otlink("lights", "on", "--robot", emulator.url)
    assert on.returncode == 0 and "Lights are on." in on.stdout
    assert json.loads(otlink("lights", "--robot", emulator.url, "--json").stdout) == {"on": True}
    assert otlink("lights", "off", "--robot", emulator.url).returncode == 0
    assert robot.get("/robot/lights").json() == {"on": False}

    homed = otlink("home", "--robot", emulator.url)
    assert homed.returncode == 0 and "Homing robot." in homed.stdout
    left = json.loads(otlink("home", "--mount", "left", "--robot", emulator.url, "--json").stdout)
    assert left["mount"] == "left"


def test_no_robot_is_a_usage_error(tmp_path) -> None:
    result = otlink("status", env={"OTLINK_ROBOT": "", "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "no robot given" in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_robot_may_come_from_the_config_file(emulator: EmulatorProcess, tmp_path) -> None:
    (tmp_path / "otlink").mkdir()
    (tmp_path / "otlink" / "config.toml").write_text(f'robot = "{emulator.url}"\n')
    result = otlink("lights", env={"OTLINK_ROBOT": "", "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_unreachable_robot_exits_3() -> None:
    result = otlink("runs", "list", "--robot", "127.0.0.1:9", "--json")
    assert result.returncode == 3
    failure = json.loads(result.stdout)
    assert failure["exitCode"] == 3 and "127.0.0.1:9" in failure["error"]
    assert "otlink discover" in failure["hint"]


@pytest.mark.parametrize(
    "command",
    [["status"], ["runs", "log"], ["protocols", "rm"], ["lights"], ["home"], ["discover"], ["run"]],
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_every_command_has_help_with_examples(command: list[str]) -> None:
    result = otlink(*command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout and "--json" in result.stdout


@pytest.mark.slow  # a live run, then the log and a report: over 1 s
def test_a_live_runs_log_and_report_leave_out_the_holds_otlink_added(
    emulator: EmulatorProcess, robot: httpx.Client, tmp_path: Path
) -> None:
    ran = otlink(
        "run",
        str(PROTOCOLS / "transfer_220.py"),
        "--lookahead",
        "0",
        "--robot",
        emulator.url,
        "--json",
    )
    assert ran.returncode == 0, ran.stderr
    run_id = json.loads(ran.stdout.strip().splitlines()[-1])["robotRunId"]
    recorded = robot.get(f"/runs/{run_id}/commands", params={"pageLength": 200}).json()["data"]
    assert "waitForResume" in {c["commandType"] for c in recorded}  # the holds are on the robot
    log = json.loads(otlink("runs", "log", run_id, "--robot", emulator.url, "--json").stdout)
    kinds = [c["commandType"] for c in log]
    assert "waitForResume" not in kinds and kinds[:2] == ["home", "loadLabware"]
    report = tmp_path / "report.html"
    made = otlink("runs", "report", run_id, "--robot", emulator.url, "-o", str(report))
    assert made.returncode == 0, made.stderr
    assert "waitForResume" not in report.read_text()
