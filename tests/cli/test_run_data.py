"""Live runs with CSV data files: ``otlink run FILE --data NAME=FILE.csv`` and
``run_protocol_file(..., data=...)``, against a virtual OT-2. The protocol reads the laptop's
file, in the whole-protocol check and again in the run."""

from __future__ import annotations

import json

import pytest
from test_run import PROTOCOLS, otlink, robot_commands

import otlink as library
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import InputFileError, ParameterValueError

PLATE_MAP = PROTOCOLS / "plate_map.csv"


def comments(emulator: EmulatorProcess, run_id: str) -> list[str]:
    listed = robot_commands(emulator, run_id)
    return [c["params"]["message"] for c in listed if c["commandType"] == "comment"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_csv_parameter_is_read_from_the_laptop(emulator: EmulatorProcess) -> None:
    result = otlink(
        "run",
        str(PROTOCOLS / "plate_map_csv.py"),
        "--robot",
        emulator.url,
        "--data",
        f"plate_map={PLATE_MAP}",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["checkedSteps"] == 3  # home and a comment per row: the check read the file
    assert comments(emulator, outcome["robotRunId"]) == ["A1 gets 20 uL", "B1 gets 30 uL"]


def test_the_library_reads_the_file_anew_for_the_run(emulator: EmulatorProcess) -> None:
    # The protocol reads the parameter's file object: the check has read it to its end
    # before the run starts, and the run still sees every row.
    report = library.run_protocol_file(
        PROTOCOLS / "plate_map_file.py", emulator.url, data={"plate_map": PLATE_MAP}
    )
    assert report.check is not None and report.check.steps == 3
    assert comments(emulator, report.robot_run_id) == ["A1 gets 20 uL", "B1 gets 30 uL"]


@pytest.mark.parametrize(
    ("data", "error", "says"),
    [
        ({}, ParameterValueError, "--data plate_map=FILE.csv"),
        ({"plate": PLATE_MAP}, ParameterValueError, "its CSV parameters: plate_map"),
        ({"plate_map": PROTOCOLS / "missing.csv"}, InputFileError, "check the path"),
    ],
    ids=["no-file", "wrong-name", "missing-file"],
)
def test_a_data_file_mistake_is_told_before_the_robot(
    emulator: EmulatorProcess, data: dict, error: type[Exception], says: str
) -> None:
    with pytest.raises(error) as refused:
        library.run_protocol_file(PROTOCOLS / "plate_map_csv.py", emulator.url, data=data)
    assert says in (refused.value.hint or "")  # type: ignore[attr-defined]
