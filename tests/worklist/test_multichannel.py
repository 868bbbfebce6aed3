"""An 8-channel worklist run live: a virtual OT-2 with a p300 8-channel on the left runs a
column-wise worklist, and the robot's commands are the plan's: one pick-up, aspirate and
dispense per column, on the 8-channel; a row that moves no whole column goes single-channel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from otlink.client import RobotClient
from otlink.deck.sources import robot_run_commands
from otlink.emulator.child_process import EmulatorProcess
from otlink.worklist import Deck, plan, rows_from_records, run

DECK = """
[pipettes]
left = "p300_multi_gen2"
right = "p20_single_gen2"
[labware]
1 = "opentrons_96_tiprack_300ul"
4 = "opentrons_96_tiprack_20ul"
2 = { load_name = "nest_96_wellplate_2ml_deep", name = "Samples", volume = 1000 }
3 = { load_name = "corning_96_wellplate_360ul_flat", name = "Assay" }
"""


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_column_wise_worklist_runs_one_8_channel_step_per_column(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    records = [
        {
            "Source": "Samples",
            "Source Well": f"{r}{c}",
            "Destination": "Assay",
            "Destination Well": f"{r}{c + 6}",
            "Volume": 40 + c,
        }
        for c in (1, 2, 3)
        for r in "ABCDEFGH"
    ]
    records.append(
        {
            "Source": "Samples",
            "Source Well": "A4",
            "Destination": "Assay",
            "Destination Well": "H12",
            "Volume": 15,
        }
    )
    made = plan(rows_from_records(records, source="columns.csv"), Deck.from_toml(DECK))
    robot = start_emulator("--left", "p300_multi_gen2", "--right", "p20_single_gen2")
    report = run(made, robot.url)
    with RobotClient(robot.url) as client:
        commands = robot_run_commands(client, report.robot_run_id)
    assert {c["status"] for c in commands} == {"succeeded"}
    mounts = {
        c["result"]["pipetteId"]: c["params"]["mount"]
        for c in commands
        if c["commandType"] == "loadPipette"
    }
    names = {
        c["params"]["mount"]: c["params"]["pipetteName"]
        for c in commands
        if c["commandType"] == "loadPipette"
    }
    assert names == {"left": "p300_multi_gen2", "right": "p20_single_gen2"}
    slots = {
        c["result"]["labwareId"]: c["params"]["location"]["slotName"]
        for c in commands
        if c["commandType"] == "loadLabware"
    }
    done = [
        (
            {"pickUpTip": "pick_up_tip", "aspirate": "aspirate", "dispense": "dispense"}[
                c["commandType"]
            ],
            mounts[c["params"]["pipetteId"]],
            slots[c["params"]["labwareId"]],
            c["params"]["wellName"],
            c["params"].get("volume"),
        )
        for c in commands
        if c["commandType"] in ("pickUpTip", "aspirate", "dispense")
    ]
    planned = [
        (s.action, s.pipette, s.slot, s.well, s.volume)
        for s in made.steps
        if s.action in ("pick_up_tip", "aspirate", "dispense")
    ]
    assert done == planned
    assert [d for d in done if d[1] == "left"] == [
        step
        for c in (1, 2, 3)
        for step in (
            ("pick_up_tip", "left", "1", f"A{c}", None),
            ("aspirate", "left", "2", f"A{c}", 40.0 + c),
            ("dispense", "left", "3", f"A{c + 6}", 40.0 + c),
        )
    ]
    assert [d for d in done if d[1] == "right"] == [
        ("pick_up_tip", "right", "4", "A1", None),
        ("aspirate", "right", "2", "A4", 15.0),
        ("dispense", "right", "3", "H12", 15.0),
    ]
    drops = [c for c in commands if c["commandType"] == "dropTipInPlace"]
    assert len(drops) == 4
