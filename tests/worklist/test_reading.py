"""Reading worklists: lenient headers, units, GWL records, the JSON form, problems by row."""

from __future__ import annotations

import json
from pathlib import Path

from worklist_data import DATA

from otlink.worklist import Mix, read_worklist, rows_from_records
from otlink.worklist.gwl import rows_from_gwl


def test_echo_pick_list_columns_in_any_order_with_informational_ones(tmp_path: Path) -> None:
    rows = read_worklist(DATA / "echo_picklist.csv", volume_unit="nL")
    assert not rows.problems
    first = rows.rows[0]
    assert (first.number, first.source, first.source_well) == (2, "src", "A1")
    assert (first.destination, first.destination_well, first.volume) == ("dest", "A1", 0.1)
    assert rows.column("volume") == "Transfer Volume"


def test_opentrons_cherrypicking_format_slots_names_heights_new_tip() -> None:
    rows = read_worklist(DATA / "cherrypicking_new_tip.csv").rows
    assert [(r.source, r.destination, r.volume) for r in rows] == [
        ("1", "4", 1.0),
        ("2", "5", 3.0),
        ("3", "5", 7.0),
    ]
    assert [r.new_tip for r in rows] == [True, None, True]
    assert rows[0].source_labware == "agilent_1_reservoir_290ml"
    assert (rows[0].aspirate_height, rows[0].dispense_height) == (1.0, 2.0)


def test_padded_wells_and_header_units() -> None:
    rows = read_worklist(DATA / "falcon_to_axygen.csv").rows
    assert [r.source_well for r in rows[:2]] == ["A1", "A2"]
    assert rows[0].volume == 200.0


def test_unknown_columns_are_named_with_the_fix() -> None:
    rows = read_worklist(DATA / "primates_pcr.csv")
    assert [(p.row, p.column) for p in rows.problems] == [(1, "ot2set"), (1, "reagent")]
    assert "--ignore-column 'ot2set'" in str(rows.problems[0])
    fixed = read_worklist(DATA / "primates_pcr.csv", ignore_columns=["ot2set", "Reagent"])
    assert not fixed.problems and fixed.rows[0].aspirate_height == 1.0


def test_tsv_with_preamble_options_and_bad_cells(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    path.write_text(
        "Exported from LIMS\t\n\n"
        "SOURCE_PLATE\tsource well\tDest\tTarget Well\tVol (uL)\tMix After\tTouch Tip\tAir gap\n"
        "Reagents\ta01\tAssay\tB1\t50\t3x20\tyes\t5\n"
        "Reagents\tA1\tAssay\tB2\tlots\t\t\t\n"
        "Reagents\tA1\tAssay\tB3\t10\t3 times\t\t\n"
    )
    rows = read_worklist(path)
    row = rows.rows[0]
    assert (row.number, row.source_well, row.mix_after, row.touch_tip, row.air_gap) == (
        4,
        "A1",
        Mix(3, 20.0),
        True,
        5.0,
    )
    assert [(p.row, p.column) for p in rows.problems] == [(5, "Vol (uL)"), (6, "Mix After")]


def test_xlsx(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Source Slot", "Source Well", "Destination Slot", "Destination Well", "Volume"])
    sheet.append([2, "A1", 3, "H12", 25.5])
    sheet.append([None, None, None, None, None])
    sheet.append([2, "A2", 3, "G12", 30])
    book.save(tmp_path / "list.xlsx")
    rows = read_worklist(tmp_path / "list.xlsx").rows
    assert [(r.number, r.source, r.destination_well, r.volume) for r in rows] == [
        (2, "2", "H12", 25.5),
        (4, "2", "G12", 30.0),
    ]


def test_json_form_round_trips(tmp_path: Path) -> None:
    rows = read_worklist(DATA / "cherrypicking_new_tip.csv").rows
    path = tmp_path / "rows.json"
    path.write_text(json.dumps({"rows": [row.to_json() for row in rows]}))
    assert read_worklist(path).rows == rows
    bad = rows_from_records([{"source": "1", "well": "A1"}])
    assert {p.column for p in bad.problems} == {"well", None}


def test_gwl_records() -> None:
    rows = read_worklist(DATA / "dilution_run.gwl")
    assert not rows.problems
    transfers = [(r.number, r.source_well, r.destination_well, r.volume) for r in rows.rows]
    assert transfers[:3] == [(9, "1", "32", 198.0), (12, "1", "32", 198.0), (16, "2", "32", 110.0)]
    # R: 125 µL from position 32 into FluidX 1 to 4, twice, one tip per record (6 reuses)
    assert transfers[3:] == [(n, "32", str(p), 125.0) for n in (21, 22) for p in (1, 2, 3, 4)]
    assert [r.new_tip for r in rows.rows] == [True, True, True] + [True, False, False, False] * 2
    assert rows.rows[0].liquid_class == "Dilution_Run_No_Mix"


def test_gwl_tip_kept_without_wash_and_multi_dispense_rows() -> None:
    rows = rows_from_gwl("A;S;;;1;;30\nD;P;;;1;;10\nD;P;;;2;;20\nA;S;;;2;;5\nD;P;;;3;;5\n").rows
    assert [(r.number, r.destination_well, r.new_tip) for r in rows] == [
        (2, "1", True),
        (3, "2", False),
        (5, "3", False),
    ]


def test_gwl_problems_by_line() -> None:
    rows = read_worklist(DATA / "php_utils_barcodes.gwl")
    assert [str(p) for p in rows.problems] == [
        "row 2, column 'Position': no position (the 5th field)",
        "row 5, column 'Position': no position (the 5th field)",
    ]
    odd = rows_from_gwl("A;S;;;1;;30\nD;P;;;1;;40\nX;1\nA;S;;;1;;5\nW;\nD;P;;;1;;5\n")
    assert [p.row for p in odd.problems] == [2, 3, 4, 6]
