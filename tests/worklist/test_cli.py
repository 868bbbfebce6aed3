"""``otlink worklist check | export | run`` as a user runs them (a child process each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from worklist_data import DATA

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from robot_http import protocol_commands

HEADERS = {"Opentrons-Version": "4"}


def otlink(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otlink", "worklist", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
        cwd=DATA,
    )


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_check_prints_the_summary() -> None:
    result = otlink("check", "dilution_run.gwl", "--deck", "gwl_deck.toml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("dilution_run.gwl: 11 rows -> 11 transfers, 32 steps, about ")
    assert lines[1] == "tips: slot 1: 5"
    assert lines[2] == "from: MM A1 396 µL, MM B1 110 µL, MM H4 1000 µL"
    as_json = json.loads(
        otlink("check", "dilution_run.gwl", "--deck", "gwl_deck.toml", "--json").stdout
    )
    assert as_json["tipsPerRack"] == {"1": 5} and as_json["transfers"] == 11


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_every_bad_row_is_reported_and_nothing_runs() -> None:
    result = otlink(
        "check", "echo_picklist.csv", "--deck", "picklist_deck.toml", "--volume-unit", "nL"
    )
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert errors[:3] == [
        f"error: echo_picklist.csv row {n}, column 'Transfer Volume': {v} µL is below the smallest"
        " pipette's minimum (p20_single_gen2: 1 µL)"
        for n, v in ((2, "0.1"), (3, "0.2"), (4, "0.1"))
    ]
    assert errors[3:] == [
        "error: echo_picklist.csv: 3 problems",
        "hint: nothing ran; fix these rows (or the deck file) and check again",
    ]
    unknown = otlink("check", "primates_pcr.csv", "--deck", "primates_deck.toml")
    assert unknown.returncode == 2 and "row 1, column 'ot2set': unknown column" in unknown.stderr
    bad_deck = otlink("check", "biomek_picklist.csv", "--deck", "biomek_picklist.csv")
    assert bad_deck.returncode == 2 and "Traceback" not in bad_deck.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_export_writes_a_readable_protocol(tmp_path: Path) -> None:
    target = tmp_path / "dilution.py"
    result = otlink("export", "dilution_run.gwl", "--deck", "gwl_deck.toml", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text()
    assert (
        "    # row 9\n    left.pick_up_tip(tips_1['A1'])\n    left.aspirate(198, mm['A1'])\n"
        in text
    )
    assert "mm = protocol.load_labware('nest_96_wellplate_2ml_deep', '2', label='MM')" in text


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_failed_run_names_its_row_and_resumes_from_it(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    robot = start_emulator("--fault", "aspirate#4,once")
    arguments = ("falcon_to_axygen.csv", "--deck", "falcon_deck.toml", "--robot", robot.url)
    failed = otlink("run", *arguments)
    assert failed.returncode == 5, failed.stderr
    assert "error: falcon_to_axygen.csv row 5: aspirate " in failed.stderr
    assert "resume with --from-row 5" in failed.stderr
    resumed = otlink("run", *arguments, "--from-row", "5", "--json")
    assert resumed.returncode == 0, resumed.stderr
    run_id = json.loads(resumed.stdout)["robotRunId"]
    with RobotClient(robot.url) as client:
        commands = [c.model_dump(mode="json") for c in protocol_commands(client, run_id)]
    picked = [c["params"]["wellName"] for c in commands if c["commandType"] == "pickUpTip"]
    dispensed = [c["params"]["wellName"] for c in commands if c["commandType"] == "dispense"]
    assert picked == ["E1", "F1", "G1"]  # A1 to D1 went to rows 2 to 5 (row 5's failed)
    assert dispensed == ["A4", "A5", "A6"]
    runs = httpx.get(f"{robot.url}/runs", headers=HEADERS).json()["data"]
    assert len(runs) == 2
    with RobotClient(robot.url) as client:
        first = [c.model_dump(mode="json") for c in protocol_commands(client, runs[0]["id"])]
    assert [c["commandType"] for c in first if c["status"] == "failed"] == ["aspirate"]
    assert first[-1]["status"] == "failed"  # nothing ran after it
