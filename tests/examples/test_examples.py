"""Every file in examples/ runs, as a user would run it, against the virtual OT-2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import nbclient
import nbformat
import pytest

from otlink.emulator.child_process import EmulatorProcess

EXAMPLES = Path(__file__).parents[2] / "examples"


def run_example(*args: str, robot: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OTLINK_ROBOT": robot},
    )


def last_run(robot: httpx.Client) -> dict[str, Any]:
    run: dict[str, Any] = robot.get("/runs").json()["data"][-1]
    return run


def commands(robot: httpx.Client, run_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = robot.get(
        f"/runs/{run_id}/commands", params={"pageLength": 500}
    ).json()["data"]
    return found


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_readme_live_run_with_custom_labware_and_offsets(
    emulator: EmulatorProcess, robot: httpx.Client
) -> None:
    # The README's command, from the examples folder.
    command = "transfer.py --param volume=50 --labware ./labware --offsets offsets.json".split()  # noqa: SIM905
    result = run_example(sys.executable, "-m", "otlink", "run", *command, robot=emulator.url)
    assert result.returncode == 0, result.stderr
    run = last_run(robot)
    offsets = json.loads((EXAMPLES / "offsets.json").read_text())
    assert [o["vector"] for o in run["labwareOffsets"]] == [o["vector"] for o in offsets]
    done = commands(robot, run["id"])
    rack = next(c for c in done if c["params"].get("loadName") == "otlink_example_6_tuberack_15ml")
    loaded = robot.get(f"/runs/{run['id']}/commands/{rack['id']}").json()["data"]
    assert loaded["result"]["offsetId"] == run["labwareOffsets"][1]["id"]
    aspirates = [c for c in done if c["commandType"] == "aspirate"]
    assert [c["params"]["volume"] for c in aspirates] == [50] * 4
    assert all(c["status"] == "succeeded" for c in done)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_client_example(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = run_example(sys.executable, "client.py", robot=emulator.url)
    assert result.returncode == 0, result.stderr
    assert "refused by the robot: TipNotAttachedError" in result.stdout
    run = last_run(robot)
    assert run["current"] is False  # archived
    assert [c["commandType"] for c in commands(robot, run["id"])][-2:] == ["dropTip", "aspirate"]


def test_the_async_client_example(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = run_example(sys.executable, "async_client.py", emulator.url, robot="10.255.255.1")
    assert result.returncode == 0, result.stderr
    assert "otlink-virtual-ot2 (OT-2 Standard)" in result.stdout
    assert "left: p300_single_gen2" in result.stdout and "right: p20_single_gen2" in result.stdout


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_upload_and_follow_example(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    result = run_example(sys.executable, "upload_and_follow.py", robot=emulator.url)
    assert result.returncode == 0, result.stderr
    run = last_run(robot)
    assert result.stdout.strip().endswith(f"run {run['id']}: succeeded")
    assert run["status"] == "succeeded" and len(run["labwareOffsets"]) == 2
    volumes = {c["params"]["volume"] for c in commands(robot, run["id"]) if "volume" in c["params"]}
    assert volumes == {75}


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_notebook_runs_live(
    emulator: EmulatorProcess, robot: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTLINK_ROBOT", emulator.url)
    notebook = nbformat.read(EXAMPLES / "live_notebook.ipynb", as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": EXAMPLES}}
    ).execute()
    printed = [
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    ]
    assert "TipNotAttachedError\n" in printed
    run = last_run(robot)
    assert run["current"] is False  # closed by the last cell
    done = commands(robot, run["id"])
    assert [c["commandType"] for c in done if c["commandType"] in ("aspirate", "dispense")] == [
        "aspirate",
        "dispense",
    ]
