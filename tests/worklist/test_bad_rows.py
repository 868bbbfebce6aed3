"""Every bad row reported, from outside: worklists crafted to be wrong in each way a lab's
files are, run with ``otlink worklist run --robot`` against a virtual OT-2; each bad row is
named with its row (and column), the exit code is 2 (usage), there is no traceback, and the
robot's runs list is unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

DECK = """
[pipettes]
left = "p300_single_gen2"
right = "p20_single_gen2"
[labware]
1 = "opentrons_96_tiprack_300ul"
4 = "opentrons_96_tiprack_20ul"
2 = { load_name = "nest_12_reservoir_15ml", name = "Reagents", volume = 10000 }
3 = { load_name = "corning_96_wellplate_360ul_flat", name = "Assay" }
5 = { load_name = "corning_96_wellplate_360ul_flat", name = "Samples", volume = 100 }
"""
HEADER = "Source,Source Well,Destination,Destination Well,Volume\n"
BLANK = "(a merged cell holds its value in its first row only)"


def mixed(folder: Path) -> Path:
    path = folder / "mixed.csv"
    path.write_text(
        HEADER
        + "Reagents,A1,Assay,A1,50\n"
        + "Plate9,A1,Assay,A2,50\n"  # 3
        + "Reagents,Z99,Assay,A3,50\n"  # 4
        + "Reagents,A1,Assay,A13,50\n"  # 5
        + "Reagents,A1,Assay,B1,0.5\n"  # 6
        + "Reagents,A1,Assay,B2,300\n"
        + "Reagents,A1,Assay,B2,100\n"  # 8: 400 µL in a 360 µL well
        + "Samples,A1,Assay,C1,60\n"
        + "Samples,A1,Assay,C2,60\n"  # 10: 100 µL there
    )
    return path


def tips(folder: Path) -> Path:
    path = folder / "tips.csv"
    wells = [f"{r}{c}" for c in range(1, 13) for r in "ABCDEFGH"]
    path.write_text(HEADER + "".join(f"Reagents,A1,Assay,{w},10\n" for w in wells * 2))
    return path


def unknown_column(folder: Path) -> Path:
    path = folder / "colour.csv"
    path.write_text(HEADER.replace("Volume", "Volume,Colour") + "Reagents,A1,Assay,A1,50,red\n")
    return path


def bad_gwl(folder: Path) -> Path:
    path = folder / "bad.gwl"
    path.write_text(
        "C;made on a Tecan\n"
        "A;Reagents;;;1;;abc\n"  # 2
        "D;Assay;;;1;;50\n"  # 3
        "A;Reagents;;;1;;50\n"
        "D;Assay;;;2;;50\n"
        "X;what\n"  # 6
        "R;Reagents;;;1;1\n"  # 7
        "A;Reagents;;;1;;50\n"  # 8
        "W;\n"
    )
    return path


def merged_xlsx(folder: Path) -> Path:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["Reagents", "A1", "Assay", "A1", 50])
    sheet.append([None, "A1", "Assay", "A2", 50])  # under the merged cell
    sheet.append(["Reagents", "A1", "Assay", "A3", None])  # a blank volume
    sheet.append([None] * 5)  # a blank row between blocks: skipped
    sheet.append(["Reagents", "A1", "Assay", "A4", 500])
    sheet.merge_cells("A2:A3")
    path = folder / "merged.xlsx"
    book.save(path)
    return path


def bom(folder: Path) -> Path:
    path = folder / "bom.csv"
    path.write_bytes(
        ("\ufeff" + HEADER + "Reagents,A1,Assay,A1,50\nReagents,A1,Assay,A2,0\n").encode()
    )
    return path


def european(folder: Path) -> Path:
    """Excel on a German Windows: semicolons, decimal commas, Windows-1252 (µ is one byte)."""
    path = folder / "european.csv"
    text = (
        "Source;Source Well;Destination;Destination Well;Volume (µL)\r\n"
        "Reagents;A1;Assay;A1;12,5\r\n"
        "Reagents;A1;Assay;A2;0,4\r\n"
        "Reagents;A1;Unbekannt;A3;1.234,5\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "unknown labware and well, volumes, overflow, dry source": (
        mixed,
        [
            "row 3, column 'Source': no labware 'Plate9' on the deck (labware: Reagents, Assay,"
            " Samples)",
            "row 4, column 'Source Well': Reagents (slot 2) (nest_12_reservoir_15ml) has no well"
            " 'Z99' (wells A1 to A12, or 1 to 12)",
            "row 5, column 'Destination Well': Assay (slot 3) (corning_96_wellplate_360ul_flat)"
            " has no well 'A13' (wells A1 to H12, or 1 to 96)",
            "row 6, column 'Volume': 0.5 µL is below the smallest pipette's minimum"
            " (p20_single_gen2: 1 µL)",
            "row 8, column 'Volume': Assay (slot 3) B2 overflows: 400 µL in a 360 µL well",
            "row 10, column 'Source Well': Samples (slot 5) A1 runs dry: 60 µL wanted, 40 µL left",
        ],
    ),
    "not enough tips": (
        tips,
        [
            "row 98: not enough tips: p20_single_gen2 has used every tip in slot 4 from here on;"
            " add a tip rack or reuse tips (--new-tip per-source)"
        ],
    ),
    "unknown column": (
        unknown_column,
        [
            "row 1, column 'Colour': unknown column; rename it, or ignore it"
            " (--ignore-column 'Colour')"
        ],
    ),
    "malformed GWL records": (
        bad_gwl,
        [
            "row 2, column 'Volume': the volume should be a number, not 'abc'",
            "row 3: a dispense (D) with no aspirate (A) before it",
            "row 6: unknown record 'X' (A, D, W, R, B, C, F, S are read)",
            "row 7: an R record has 16 fields before any excluded wells",
            "row 8: an aspirate (A) with no dispense (D) after it",
        ],
    ),
    "XLSX with merged and blank cells": (
        merged_xlsx,
        [
            f"row 3, column 'Source': the cell is empty {BLANK}",
            f"row 4, column 'Volume': the volume is empty {BLANK}",
            "row 6, column 'Volume': Assay (slot 3) A4 overflows: 500 µL in a 360 µL well",
        ],
    ),
    "a BOM before the header": (bom, ["row 3, column 'Volume': the volume must be above 0"]),
    "semicolons and decimal commas from a European Excel": (
        european,
        [
            "row 3, column 'Volume (µL)': 0.4 µL is below the smallest pipette's minimum"
            " (p20_single_gen2: 1 µL)",
            "row 4, column 'Destination': no labware 'Unbekannt' on the deck (labware: Reagents,"
            " Assay, Samples)",
        ],
    ),
}


RUN = [sys.executable, "-m", "otlink", "worklist", "run"]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_every_bad_row_is_named_and_the_robot_gets_nothing(
    case: str, emulator: EmulatorProcess, robot: httpx.Client, tmp_path: Path
) -> None:
    make, problems = CASES[case]
    (tmp_path / "deck.toml").write_text(DECK)
    worklist = make(tmp_path)
    runs_before = robot.get("/runs").json()["data"]
    result = subprocess.run(
        [*RUN, worklist.name, "--deck", "deck.toml", "--robot", emulator.url],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "300"},
        cwd=tmp_path,
    )
    name = worklist.name
    count = len(problems)
    assert result.stderr.splitlines() == [
        *(f"error: {name} {problem}" for problem in problems),
        f"error: {name}: {count} problem{'s' * (count != 1)}",
        "hint: nothing ran; fix these rows (or the deck file) and check again",
    ]
    assert result.returncode == 2 and result.stdout == ""
    assert robot.get("/runs").json()["data"] == runs_before
