"""Worklists from elsewhere, run on the virtual OT-2: the robot's commands carry out exactly
the rows (sources, destinations, volumes, tip changes), the exported protocol analysed by
opentrons holds the same commands, and a bad row moves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from worklist_data import DATA, EXAMPLES

from live_fidelity import as_live_run, comparable, official_analysis
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.worklist import (
    Deck,
    PlanOptions,
    Row,
    WorklistInvalid,
    plan,
    protocol_text,
    read_worklist,
    run,
)
from otlink.worklist.labware_data import well_names
from robot_http import protocol_commands


def options_for(arguments: tuple[str, ...]) -> tuple[PlanOptions, list[str]]:
    policy = arguments[arguments.index("--new-tip") + 1] if "--new-tip" in arguments else "always"
    ignored = [arguments[i + 1] for i, a in enumerate(arguments) if a == "--ignore-column"]
    return PlanOptions(new_tip=policy), ignored  # type: ignore[arg-type]


def robot_commands(url: str, run_id: str) -> list[dict[str, Any]]:
    with RobotClient(url) as client:
        return [c.model_dump(mode="json") for c in protocol_commands(client, run_id)]


def carried_out(commands: list[dict[str, Any]]) -> tuple[list[tuple], list[int]]:
    """What the robot did, as (source slot, well, destination slot, well, µL) transfers (a
    split row's pieces joined) and the transfer indexes a fresh tip came before."""
    slots: dict[str, str] = {}
    transfers: list[list[Any]] = []
    fresh: list[int] = []
    aspirated: tuple[str, str] | None = None
    for command in commands:
        kind, params = command["commandType"], command["params"]
        if kind == "loadLabware":
            labware_id = params.get("labwareId") or command["result"]["labwareId"]
            slots[labware_id] = params["location"]["slotName"]
        elif kind == "pickUpTip":
            fresh.append(len(transfers))
        elif kind == "aspirate":
            aspirated = (slots[params["labwareId"]], params["wellName"])
        elif kind == "dispense":
            assert aspirated is not None
            done = (*aspirated, slots[params["labwareId"]], params["wellName"])
            if transfers and tuple(transfers[-1][:4]) == done and len(fresh) == transfers[-1][5]:
                transfers[-1][4] += params["volume"]  # the next piece of a split row
            else:
                transfers.append([*done, params["volume"], len(fresh)])
    return [tuple(t[:5]) for t in transfers], sorted(set(fresh))


def expected(rows: list[Row], deck: Deck, policy: str) -> tuple[list[tuple], list[int]]:
    """The rows as transfers on the deck, and where the tip policy (or the row) wants a new tip:
    worked out from the rows, not from the plan."""
    transfers, fresh = [], []
    previous: Row | None = None
    for index, row in enumerate(rows):
        ends = []
        for labware, well in (
            (row.source, row.source_well),
            (row.destination, row.destination_well),
        ):
            item = deck.find(labware)
            assert item is not None
            ends += [
                item.slot,
                well_names(item.definition)[int(well) - 1] if well.isdigit() else well,
            ]
        transfers.append((*ends, row.volume))
        wants = row.new_tip
        if wants is None:
            wants = (
                previous is None
                or policy == "always"
                or (
                    policy == "per-source"
                    and (row.source, row.source_well) != (previous.source, previous.source_well)
                )
                or (
                    policy == "per-destination"
                    and (row.destination, row.destination_well)
                    != (previous.destination, previous.destination_well)
                )
            )
        if wants or previous is None:
            fresh.append(index)
        previous = row
    return transfers, fresh


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_worklists_from_elsewhere_run_as_their_rows(name: str, emulator: EmulatorProcess) -> None:
    deck_file, arguments = EXAMPLES[name]
    options, ignored = options_for(arguments)
    deck = Deck.read(DATA / deck_file)
    rows = read_worklist(DATA / name, ignore_columns=ignored)
    report = run(plan(rows, deck, options), emulator.url)
    commands = robot_commands(emulator.url, report.robot_run_id)
    assert {c["status"] for c in commands} == {"succeeded"}
    assert carried_out(commands) == expected(rows.rows, deck, options.new_tip)
    drops = sum(c["commandType"] == "dropTipInPlace" for c in commands)
    assert drops == sum(c["commandType"] == "pickUpTip" for c in commands)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["dilution_run.gwl", "falcon_to_axygen.csv", "cherrypicking_new_tip.csv"]
)
def test_the_exported_protocol_analyses_to_the_live_commands(
    name: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    deck_file, arguments = EXAMPLES[name]
    options, ignored = options_for(arguments)
    made = plan(
        read_worklist(DATA / name, ignore_columns=ignored), Deck.read(DATA / deck_file), options
    )
    exported = tmp_path / "exported.py"
    exported.write_text(protocol_text(made).text)
    analysis = official_analysis(exported, sorted((DATA / "labware").glob("*.json")))
    report = run(made, emulator.url)
    live = robot_commands(emulator.url, report.robot_run_id)
    assert comparable(live) == comparable(as_live_run(analysis))


def test_a_bad_row_moves_nothing(emulator: EmulatorProcess, robot: httpx.Client) -> None:
    runs_before = len(robot.get("/runs").json()["data"])
    rows = read_worklist(DATA / "echo_picklist.csv", volume_unit="nL")
    with pytest.raises(WorklistInvalid) as error:
        run(plan(rows, Deck.read(DATA / "picklist_deck.toml")), emulator.url)
    assert [p.row for p in error.value.problems] == [2, 3, 4]
    assert all("below the smallest pipette's minimum" in p.message for p in error.value.problems)
    assert len(robot.get("/runs").json()["data"]) == runs_before
