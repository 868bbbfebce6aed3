"""Live runs (apiLevel 2.14 and up) hold what opentrons' own analysis of the same file holds.

Each protocol under ``protocols/`` runs live against a virtual OT-2 with all four module kinds
attached; the commands the robot run holds must equal the official ``opentrons analyze`` of the
file, ids mapped through loads, with only the differences that ``fidelity.as_live_run`` lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from live_fidelity import (
    LABWARE,
    PROTOCOLS,
    as_live_run,
    comparable,
    live_commands,
    official_analysis,
)
from otlink.emulator.child_process import EmulatorProcess
from robot_http import MODULES

# Each test compares against an official analysis (opentrons analyze): slow tier.
pytestmark = pytest.mark.slow


def _compare(
    name: str, robot: EmulatorProcess, labware: tuple[Path, ...] = ()
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    protocol = PROTOCOLS / name
    analysis = official_analysis(protocol, labware)
    pauses: list[str] = []
    live = live_commands(protocol, robot.url, labware, on_pause=pauses.append)
    assert [command["status"] for command in live] == ["succeeded"] * len(live)
    assert comparable(live) == comparable(as_live_run(analysis))
    return analysis, live, pauses


@pytest.mark.parametrize("name", ["pipetting_2_15.py", "pipetting_2_19.py"])
def test_pipetting_matches_the_official_analysis(
    name: str, robot_with_modules: EmulatorProcess
) -> None:
    _, live, _ = _compare(name, robot_with_modules)
    kinds = {command["commandType"] for command in live}
    assert {"aspirate", "dispense", "blowout", "touchTip", "moveToWell", "pickUpTip"} <= kinds
    assert {"dropTip", "dropTipInPlace", "setRailLights", "waitForDuration", "comment"} <= kinds


@pytest.mark.parametrize("level", [f"2.{minor}" for minor in range(16, 28) if minor != 19])
def test_pipetting_matches_at_every_level_with_a_trash_bin(
    level: str, robot_with_modules: EmulatorProcess, tmp_path: Path
) -> None:
    source = (PROTOCOLS / "pipetting_2_19.py").read_text()
    assert '"apiLevel": "2.19"' in source
    protocol = tmp_path / f"pipetting_{level.replace('.', '_')}.py"
    protocol.write_text(source.replace('"apiLevel": "2.19"', f'"apiLevel": "{level}"'))
    analysis = official_analysis(protocol)
    live = live_commands(protocol, robot_with_modules.url)
    assert comparable(live) == comparable(as_live_run(analysis))


@pytest.mark.parametrize(
    ("name", "returned_to"), [("trash_2_14.py", ["B1", "E1"]), ("pipetting_2_15.py", ["C1"])]
)
def test_fixed_trash_below_2_16_goes_to_the_trash_area(
    name: str, returned_to: list[str], robot_with_modules: EmulatorProcess
) -> None:
    analysis, live, _ = _compare(name, robot_with_modules)
    into_trash = [
        (command["commandType"], command["params"]["wellLocation"]["origin"])
        for command in analysis
        if command["params"].get("labwareId") == "fixedTrash"
    ]
    # Every path into the fixed-trash labware is taken: drop_tip() and drop_tip(trash well),
    # at the default and at a top offset; blow_out and dispense into it (by hand and by
    # transfer(blowout_location="trash")).
    assert {("dropTip", "default"), ("dropTip", "top"), ("blowout", "top")} <= set(into_trash)
    assert {("dispense", "top"), ("moveToWell", "top")} <= set(into_trash)
    assert not [command for command in live if command["params"].get("labwareId") == "fixedTrash"]
    areas = [command for command in live if command["commandType"].startswith("moveToAddressable")]
    assert len(areas) == len(into_trash)
    # return_tip and transfer(trash=False) put tips back in their rack, not in the trash.
    returned = [command for command in live if command["commandType"] == "dropTip"]
    assert [command["params"]["wellName"] for command in returned] == returned_to


def test_modules_adapters_liquids_and_pauses_match(robot_with_modules: EmulatorProcess) -> None:
    analysis, live, pauses = _compare("modules_2_16.py", robot_with_modules)
    loaded = [
        command["params"]["model"] for command in live if command["commandType"] == "loadModule"
    ]
    assert sorted(loaded) == sorted(MODULES)
    assert pauses == [
        "Check the plates.",
        "Move NEST 12 Well Reservoir 15 mL to slot 2 by hand.",
        "Move NEST 12 Well Reservoir 15 mL to offDeck by hand.",
    ]
    # Named liquids stay local: the analysis holds them, the robot run does not.
    assert [command for command in analysis if command["commandType"] == "loadLiquid"]
    assert not [command for command in live if command["commandType"] == "loadLiquid"]


def test_newest_api_level_matches(robot_with_modules: EmulatorProcess) -> None:
    from opentrons.protocols.api_support.definitions import MAX_SUPPORTED_VERSION

    assert str(MAX_SUPPORTED_VERSION) == "2.27", "a newer apiLevel: add a protocol for it"
    _, live, pauses = _compare("newest_2_27.py", robot_with_modules)
    loaded = [
        command["params"]["model"] for command in live if command["commandType"] == "loadModule"
    ]
    assert sorted(loaded) == sorted(MODULES)
    assert pauses == [
        "The protocol paused.",
        "Move Corning 96 Well Plate 360 µL Flat to slot 6 by hand.",
    ]
    empty = [command for command in live if command["commandType"] == "loadLiquid"]
    assert [command["params"]["liquidId"] for command in empty] == ["EMPTY"]


def test_custom_labware_reaches_both_engines(robot_with_modules: EmulatorProcess) -> None:
    definition = LABWARE / "otlink_deep_96_wellplate.json"
    _, live, _ = _compare("custom_labware_2_20.py", robot_with_modules, (definition,))
    custom = [
        command
        for command in live
        if command["commandType"] == "loadLabware"
        and command["params"]["namespace"] == "custom_beta"
    ]
    assert len(custom) == 1
