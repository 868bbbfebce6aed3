"""Labware on modules in the deck file: planned, exported with the module's loads (the lid
opened, the latch closed), drawn, refused where an OT-2 cannot take the module, and run live
on a virtual OT-2 with the modules attached."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from worklist_data import DATA

from live_fidelity import as_live_run, comparable, official_analysis
from otlink.client import RobotClient
from otlink.deck.sources import robot_run_commands
from otlink.emulator.child_process import EmulatorProcess
from otlink.worklist import (
    Deck,
    WorklistInvalid,
    deck_from_protocol,
    plan,
    protocol_text,
    read_worklist,
    run,
)
from otlink.worklist.picture import plan_svg
from robot_http import protocol_commands

MODELS = {
    "1": "heaterShakerModuleV1",
    "3": "temperatureModuleV2",
    "7": "thermocyclerModuleV1",
    "9": "magneticModuleV2",
}


def modules_plan() -> Any:
    return plan(read_worklist(DATA / "modules_rows.csv"), Deck.read(DATA / "modules_deck.toml"))


def test_labware_on_modules_is_planned_exported_and_drawn() -> None:
    made = modules_plan()
    deck = made.deck
    assert {slot: item.module_model for slot, item in deck.labware.items() if item.module} == MODELS
    assert [(s.action, s.slot, s.well) for s in made.steps if s.action == "dispense"] == [
        ("dispense", "3", "A1"),
        ("dispense", "9", "B1"),
        ("dispense", "1", "C1"),
        ("dispense", "7", "D1"),
        ("dispense", "7", "A2"),
    ]
    text = protocol_text(made).text
    assert "    pcr_module = protocol.load_module('thermocycler module', '7')\n" in text
    assert "    pcr_module.open_lid()\n" in text
    assert "    shaken_module.close_labware_latch()\n" in text
    assert (
        "    cold = cold_module.load_labware('opentrons_96_aluminumblock_nest_wellplate_100ul',"
        " label='Cold')\n" in text
    )
    svg = plan_svg(made)
    for model in MODELS.values():
        assert f'class="module" data-model="{model}"' in svg


PCR_PLATE = 'load_name = "nest_96_wellplate_100ul_pcr_full_skirt"'


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            f'3 = {{ {PCR_PLATE}, module = "thermocycler module" }}',
            "deck: labware in slot 3: a thermocycler module goes in slot 7",
        ),
        (
            f'2 = {{ {PCR_PLATE}, module = "magnetic block" }}',
            "deck: labware in slot 2: no module 'magnetic block' (temperature module gen2,"
            " magnetic module gen2, thermocycler module, heaterShakerModuleV1)",
        ),
        (
            f'7 = {{ {PCR_PLATE}, module = "thermocycler module" }}\n'
            '10 = "corning_96_wellplate_360ul_flat"',
            "deck: slot 10: under the thermocycler in slot 7",
        ),
    ],
)
def test_a_module_where_an_ot2_cannot_take_it_is_refused(entry: str, message: str) -> None:
    head = '[pipettes]\nleft = "p300_single_gen2"\n[labware]\n1 = "opentrons_96_tiprack_300ul"\n'
    with pytest.raises(WorklistInvalid) as error:
        Deck.from_toml(head + entry)
    assert [str(p) for p in error.value.problems] == [f"worklist: {message}"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_worklist_with_modules_runs_on_a_robot_with_them(
    robot_with_modules: EmulatorProcess,
) -> None:
    made = modules_plan()
    report = run(made, robot_with_modules.url)
    with RobotClient(robot_with_modules.url) as client:
        commands = robot_run_commands(client, report.robot_run_id)  # the loads with their results
    assert {c["status"] for c in commands} == {"succeeded"}
    modules = {
        c["result"]["moduleId"]: c["params"] for c in commands if c["commandType"] == "loadModule"
    }
    assert {p["location"]["slotName"]: p["model"] for p in modules.values()} == MODELS
    slots = {}
    for command in commands:
        if command["commandType"] == "loadLabware":
            location = command["params"]["location"]
            slot = location.get("slotName") or modules[location["moduleId"]]["location"]["slotName"]
            slots[command["result"]["labwareId"]] = slot
    kinds = [c["commandType"] for c in commands]
    assert "thermocycler/openLid" in kinds and "heaterShaker/closeLabwareLatch" in kinds
    moved = [
        (
            c["commandType"],
            slots[c["params"]["labwareId"]],
            c["params"]["wellName"],
            c["params"]["volume"],
        )
        for c in commands
        if c["commandType"] in ("aspirate", "dispense")
    ]
    planned = [
        (s.action, s.slot, s.well, s.volume)
        for s in made.steps
        if s.action in ("aspirate", "dispense")
    ]
    assert moved == planned


def test_the_readme_deck_file_reads(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## Worklists") :]
    block = section[
        section.index("```toml\n") + 8 : section.index("```", section.index("```toml") + 7)
    ]
    plate = json.loads(
        (
            DATA / "labware" / sorted(p.name for p in (DATA / "labware").glob("*.json"))[0]
        ).read_text()
    )
    (tmp_path / "labware").mkdir()
    (tmp_path / "labware" / "my_plate.json").write_text(json.dumps(plate))
    deck = Deck.from_toml(block, base=tmp_path)
    assert deck.labware["7"].module_model == "thermocyclerModuleV1"
    assert deck.find("Cold").module == "temperature module gen2"  # type: ignore[union-attr]
    assert deck.find("Samples").custom  # type: ignore[union-attr]


def test_the_deck_of_an_exported_protocol_keeps_its_modules(tmp_path: Path) -> None:
    exported = tmp_path / "modules.py"
    exported.write_text(protocol_text(modules_plan()).text)
    deck = deck_from_protocol(exported)
    assert {s: item.module_model for s, item in deck.labware.items() if item.module} == MODELS
    again = plan(read_worklist(DATA / "modules_rows.csv"), deck)
    assert again.lines() == modules_plan().lines()


@pytest.mark.slow
def test_the_exported_protocol_with_modules_analyses_to_the_live_commands(
    robot_with_modules: EmulatorProcess, tmp_path: Path
) -> None:
    made = modules_plan()
    exported = tmp_path / "modules.py"
    exported.write_text(protocol_text(made).text)
    analysis = official_analysis(exported)
    report = run(made, robot_with_modules.url)
    with RobotClient(robot_with_modules.url) as client:
        live = [c.model_dump(mode="json") for c in protocol_commands(client, report.robot_run_id)]
    assert comparable(live) == comparable(as_live_run(analysis))
