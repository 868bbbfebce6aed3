"""Planning: pipettes by volume, splits, tips by policy, multi-dispense, 8-channel columns,
resuming, and every check naming its row (and column)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from worklist_data import DATA, simple_deck

from otlink.worklist import (
    PlanOptions,
    Row,
    WorklistInvalid,
    diff,
    plan,
    read_worklist,
    rows_from_records,
    summarise,
)


def rows(*transfers: tuple[str, str, str, str, float], **columns: object) -> list[Row]:
    return [Row(n, *t, **columns) for n, t in enumerate(transfers, start=2)]  # type: ignore[arg-type]


def actions(steps: list) -> list[tuple]:
    return [(s.action, s.pipette, s.slot, s.well, s.volume) for s in steps]


def problems(error: pytest.ExceptionInfo[WorklistInvalid]) -> list[tuple]:
    return [(p.row, p.column) for p in error.value.problems]


def test_the_smallest_pipette_that_takes_the_volume_and_splits_above_capacity() -> None:
    made = plan(
        rows(
            ("Reagents", "A1", "Assay", "A1", 15),
            ("Reagents", "A1", "Reagents", "A12", 450),
            ("2", "A2", "3", "A3", 21),
        ),
        simple_deck(),
    )
    assert actions(made.steps) == [
        ("pick_up_tip", "right", "4", "A1", None),
        ("aspirate", "right", "2", "A1", 15.0),
        ("dispense", "right", "3", "A1", 15.0),
        ("pick_up_tip", "left", "1", "A1", None),
        ("aspirate", "left", "2", "A1", 225.0),
        ("dispense", "left", "2", "A12", 225.0),
        ("aspirate", "left", "2", "A1", 225.0),
        ("dispense", "left", "2", "A12", 225.0),
        ("drop_tip", "left", None, None, None),
        ("pick_up_tip", "left", "1", "B1", None),
        ("aspirate", "left", "2", "A2", 21.0),
        ("dispense", "left", "3", "A3", 21.0),
        ("drop_tip", "right", None, None, None),
        ("drop_tip", "left", None, None, None),
    ]
    assert [s.rows for s in made.steps[4:8]] == [(3,)] * 4
    assert made.tips_used() == {"4": 1, "1": 2}


@pytest.mark.parametrize(
    ("policy", "tips"),
    [
        ("always", ["A1", "B1", "C1", "D1"]),
        ("per-source", ["A1", "B1", "C1"]),
        ("per-destination", ["A1", "B1", "C1"]),
        ("once", ["A1"]),
    ],
)
def test_tip_policies(policy: str, tips: list[str]) -> None:
    transfers = rows(
        ("2", "A1", "3", "A1", 50),
        ("2", "A1", "3", "A2", 50),
        ("2", "A2", "3", "A2", 50),
        ("2", "A1", "3", "A3", 50),
    )
    made = plan(transfers, simple_deck(), PlanOptions(new_tip=policy))  # type: ignore[arg-type]
    assert [s.well for s in made.steps if s.action == "pick_up_tip"] == tips
    assert sum(s.action == "drop_tip" for s in made.steps) == len(tips)


def test_a_rows_own_new_tip_column_wins() -> None:
    transfers = [
        Row(2, "2", "A1", "3", "A1", 50),
        Row(3, "2", "A1", "3", "A2", 50, new_tip=True),
        Row(4, "2", "A2", "3", "A3", 50, new_tip=False),
    ]
    made = plan(transfers, simple_deck(), PlanOptions(new_tip="once"))
    assert [s.rows for s in made.steps if s.action == "pick_up_tip"] == [(2,), (3,)]


def test_multi_dispense_with_a_disposal_volume_blown_out_in_the_trash() -> None:
    transfers = rows(*[("2", "A1", "3", well, 60) for well in ("A1", "B1", "C1", "D1", "E1")])
    made = plan(transfers, simple_deck(), PlanOptions(new_tip="per-source", multi_dispense=True))
    assert actions(made.steps) == [
        ("pick_up_tip", "left", "1", "A1", None),
        ("aspirate", "left", "2", "A1", 260.0),  # four rows and the p300's 20 µL minimum
        *[("dispense", "left", "3", w, 60.0) for w in ("A1", "B1", "C1", "D1")],
        ("blow_out", "left", None, None, None),
        ("aspirate", "left", "2", "A1", 60.0),  # the fifth alone would not fit
        ("dispense", "left", "3", "E1", 60.0),
        ("drop_tip", "left", None, None, None),
    ]
    assert made.steps[1].rows == (2, 3, 4, 5)
    always = plan(transfers, simple_deck(), PlanOptions(multi_dispense=True))
    assert sum(s.action == "aspirate" for s in always.steps) == 5  # a fresh tip per row: no


def test_eight_rows_of_a_column_go_as_one_8_channel_step() -> None:
    column = [("Samples", f"{r}1", "Assay", f"{r}5", 10) for r in "ABCDEFGH"]
    transfers = rows(*column, ("Samples", "A2", "Assay", "A6", 10))
    made = plan(transfers, simple_deck("p20_multi_gen2", "p20_single_gen2"))
    assert actions(made.steps) == [
        ("pick_up_tip", "left", "4", "A1", None),
        ("aspirate", "left", "5", "A1", 10.0),
        ("dispense", "left", "3", "A5", 10.0),
        ("pick_up_tip", "right", "4", "A2", None),  # the next tip after the first column
        ("aspirate", "right", "5", "A2", 10.0),
        ("dispense", "right", "3", "A6", 10.0),
        ("drop_tip", "left", None, None, None),
        ("drop_tip", "right", None, None, None),
    ]
    assert made.steps[1].rows == tuple(range(2, 10))
    assert summarise(made).volume_by_source["Samples A1"] == 80.0
    single = plan(
        transfers, simple_deck("p20_multi_gen2", "p20_single_gen2"), PlanOptions(multichannel=False)
    )
    assert sum(s.action == "aspirate" for s in single.steps) == 9


def test_checks_name_every_bad_row_and_column() -> None:
    worklist = rows_from_records(
        [
            {
                "Source": "Reagents",
                "Source Well": "A1",
                "Dest": "Assay",
                "Dest Well": "A1",
                "Volume": 50,
            },
            {
                "Source": "Nowhere",
                "Source Well": "A1",
                "Dest": "Assay",
                "Dest Well": "A1",
                "Volume": 50,
            },
            {
                "Source": "Reagents",
                "Source Well": "Z9",
                "Dest": "Assay",
                "Dest Well": "A1",
                "Volume": 50,
            },
            {
                "Source": "Reagents",
                "Source Well": "A1",
                "Dest": "Assay",
                "Dest Well": "A2",
                "Volume": 0.5,
            },
            {
                "Source": "Reagents",
                "Source Well": "A1",
                "Dest": "Assay",
                "Dest Well": "A1",
                "Volume": 300,
            },
            {
                "Source": "Samples",
                "Source Well": "A1",
                "Dest": "Assay",
                "Dest Well": "A3",
                "Volume": 101,
            },
            {"Source": "1", "Source Well": "A1", "Dest": "Assay", "Dest Well": "A3", "Volume": 10},
        ]
    )
    with pytest.raises(WorklistInvalid) as error:
        plan(worklist, simple_deck())
    assert problems(error) == [
        (2, "Source"),
        (3, "Source Well"),
        (4, "Volume"),
        (6, "Source Well"),
        (7, "Source"),
    ]
    assert [str(p) for p in error.value.problems] == [
        "row 2, column 'Source': no labware 'Nowhere' on the deck (labware: Reagents, Assay,"
        " Samples)",
        "row 3, column 'Source Well': Reagents (slot 2) (nest_12_reservoir_15ml) has no well"
        " 'Z9' (wells A1 to A12, or 1 to 12)",
        "row 4, column 'Volume': 0.5 µL is below the smallest pipette's minimum"
        " (p20_single_gen2: 1 µL)",
        "row 6, column 'Source Well': Samples (slot 5) A1 runs dry: 101 µL wanted, 100 µL left",
        "row 7, column 'Source': slot 1 is a tip rack",
    ]


def test_overflow_dry_source_and_tips_running_out() -> None:
    deck = simple_deck()
    with pytest.raises(WorklistInvalid) as error:
        plan(
            rows(
                ("Samples", "A1", "Assay", "A1", 60),
                ("Samples", "A1", "Assay", "A1", 60),
                ("Reagents", "A1", "Assay", "A1", 300),
            ),
            deck,
        )
    assert [str(p) for p in error.value.problems] == [
        "row 3, column 'source_well': Samples (slot 5) A1 runs dry: 60 µL wanted, 40 µL left",
        "row 4, column 'volume': Assay (slot 3) A1 overflows: 420 µL in a 360 µL well",
    ]
    many = rows(
        *[("Reagents", "A1", "Assay", f"{r}{c}", 5) for c in range(1, 13) for r in "ABCDEFGH"],
        ("Reagents", "A1", "Assay", "A1", 5),
    )
    with pytest.raises(WorklistInvalid) as error:
        plan(many, deck)
    assert problems(error) == [(98, None)]
    assert "not enough tips: p20_single_gen2 has used every tip in slot 4" in str(error.value)
    assert len(plan(many, deck, PlanOptions(new_tip="per-source")).steps) == 2 + 97 * 2


def test_a_labware_name_beside_its_slot_is_checked() -> None:
    from otlink.worklist import Deck

    worklist = read_worklist(DATA / "cherrypicking_new_tip.csv")
    text = (DATA / "cherrypicking_deck.toml").read_text()
    deck = Deck.from_toml(
        text.replace('1 = "agilent_1_reservoir_290ml"', '1 = "nest_12_reservoir_15ml"')
    )
    with pytest.raises(WorklistInvalid) as error:
        plan(worklist, deck)
    assert [str(p) for p in error.value.problems] == [
        "row 2, column 'Source Labware': says 'agilent_1_reservoir_290ml', but slot 1 holds"
        " nest_12_reservoir_15ml"
    ]


def test_resuming_from_a_row_counts_its_tips_and_those_before_as_used() -> None:
    transfers = rows(*[("2", "A1", "3", w, 50) for w in ("A1", "A2", "A3", "A4")])
    full = plan(transfers, simple_deck(), PlanOptions(new_tip="per-source"))
    assert [s.well for s in full.steps if s.action == "pick_up_tip"] == ["A1"]
    resumed = plan(transfers, simple_deck(), PlanOptions(new_tip="per-source", from_row=4))
    assert actions(resumed.steps) == [
        ("pick_up_tip", "left", "1", "B1", None),
        ("aspirate", "left", "2", "A1", 50.0),
        ("dispense", "left", "3", "A3", 50.0),
        ("aspirate", "left", "2", "A1", 50.0),
        ("dispense", "left", "3", "A4", 50.0),
        ("drop_tip", "left", None, None, None),
    ]
    always = plan(transfers, simple_deck(), PlanOptions(from_row=4))
    assert [s.well for s in always.steps if s.action == "pick_up_tip"] == ["D1", "E1"]


def test_liquid_classes_from_the_deck_and_gwl_rows(tmp_path: Path) -> None:
    deck_text = (DATA / "gwl_deck.toml").read_text() + (
        "\n[liquid_classes.Dilution_Run_No_Mix]\naspirate_flow_rate = 50\n"
        "\n[liquid_classes.Dilution_Run_Mix_High_Dispense]\n"
        'mix_after = "3x100"\ndispense_height = 8\n'
    )
    (tmp_path / "deck.toml").write_text(deck_text)
    from otlink.worklist import Deck

    made = plan(read_worklist(DATA / "dilution_run.gwl"), Deck.read(tmp_path / "deck.toml"))
    row_16 = [s for s in made.steps if s.rows == (16,)]
    assert [(s.action, s.volume, s.height, s.repetitions) for s in row_16[3:]] == [
        ("dispense", 110.0, 8.0, None),
        ("mix", 100.0, None, 3),
    ]
    assert {s.flow_rate for s in made.steps if s.action == "aspirate" and s.rows != (16,)} == {50.0}
    (tmp_path / "deck.toml").write_text(deck_text.replace("Dilution_Run_No_Mix]", "Other]"))
    with pytest.raises(WorklistInvalid) as error:
        plan(read_worklist(DATA / "dilution_run.gwl"), Deck.read(tmp_path / "deck.toml"))
    assert [p.row for p in error.value.problems] == [9, 12, 21, 21, 21, 21, 22, 22, 22, 22]


def test_a_plan_is_data_saved_as_json_and_diffed(tmp_path: Path) -> None:
    transfers = rows(("2", "A1", "3", "A1", 50), ("2", "A1", "3", "A2", 50))
    once = plan(transfers, simple_deck(), PlanOptions(new_tip="once"))
    always = plan(transfers, simple_deck())
    once.save(tmp_path / "plan.json")
    saved = json.loads((tmp_path / "plan.json").read_text())
    assert saved["steps"][0] == {
        "action": "pick_up_tip",
        "pipette": "left",
        "rows": [2],
        "slot": "1",
        "well": "A1",
    }
    changes = [
        line for line in diff(once, always) if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changes == ["+left drop tip trash  [row 3]", "+left pick up tip slot 1 B1  [row 3]"]
