"""Every ```python block of README.md runs, as written, against a virtual OT-2.

The README's robot address ("10.0.0.5") is replaced by the emulator's; the files the blocks
name (transfer.py, its labware, offsets.json) are those of ``examples/``, and each block runs in
a copy of that folder. A block that stops working fails here, so the documentation cannot drift
from the code.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
README_ROBOT = '"10.0.0.5"'
BLOCKS = PYTHON_BLOCK.findall((ROOT / "README.md").read_text())


def test_the_readme_has_python_blocks_that_name_the_robot() -> None:
    assert len(BLOCKS) >= 4
    assert all(README_ROBOT in block for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{n + 1}" for n in range(len(BLOCKS))])
def test_a_readme_block_runs(
    block: str,
    emulator: EmulatorProcess,
    robot: httpx.Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path / "examples")
    run_before = newest_run(robot)
    code = compile(block.replace(README_ROBOT, f'"{emulator.url}"'), "README.md", "exec")
    exec(code, {"__name__": "__readme__"})
    # Each block drives the robot: it made a run there (and did not only import things).
    assert newest_run(robot) != run_before


def newest_run(robot: httpx.Client) -> str | None:
    runs = robot.get("/runs").json()["data"]
    return str(runs[-1]["id"]) if runs else None
