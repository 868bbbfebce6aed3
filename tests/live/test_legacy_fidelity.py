"""Fidelity below apiLevel 2.14: a live run does what opentrons' legacy simulation does.

The same physical actions in the same order, with the same pipette, labware, well, volume and
flow rate, at the points the legacy simulation moved to (the robot reports where it went; with
no labware offsets that is the same point). Checked against opentrons' simulation of the file
and against the official analysis, whose record below 2.14 is coarser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from live.legacy_record import (
    TRASH,
    Action,
    analysed_actions,
    as_dispensed,
    assert_faithful,
    live_actions,
    run_live,
    simulated_actions,
    without_moves,
)
from live_fidelity import as_live_run, comparable, live_commands, official_analysis
from otlink.emulator.child_process import EmulatorProcess
from robot_http import MODULES, free_the_robot

HEADERS = {"Opentrons-Version": "4"}

# Each test compares against opentrons' own simulation and analysis: slow tier.
pytestmark = pytest.mark.slow

PROTOCOLS = Path(__file__).parent / "protocols"
LEVELS = ["2.0", "2.2", "2.8", "2.13"]
GEN1 = ("--left", "p300_single", "--right", "p10_multi")
ROBOT_WITH_MODULES = tuple(option for model in MODULES for option in ("--module", model))
LIQUID_AND_BLOW = ("aspirate", "dispense", "blowout")


def _at_level(name: str, level: str, directory: Path) -> Path:
    """A copy of ``protocols/name`` at apiLevel ``level``."""
    source = (PROTOCOLS / name).read_text()
    written = re.sub(r'"apiLevel": "[0-9.]+"', f'"apiLevel": "{level}"', source, count=1)
    protocol = directory / f"{Path(name).stem}_{level.replace('.', '_')}.py"
    protocol.write_text(written)
    return protocol


def _tips_and_liquid(actions: list[Action]) -> list[Action]:
    return [a for a in actions if a.kind in ("pickUpTip", "dropTip", *LIQUID_AND_BLOW)]


@pytest.fixture(scope="module")
def gen1_robot() -> Iterator[EmulatorProcess]:
    """A virtual OT-2 with GEN1 pipettes: a P300 single left, a P10 8-channel right."""
    server = EmulatorProcess(args=GEN1)
    yield server
    server.stop()


@pytest.mark.parametrize("level", LEVELS)
def test_pipetting_matches_the_legacy_simulation_and_the_analysis(
    level: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    template = (PROTOCOLS / "legacy_pipetting.py").read_text()
    protocol = tmp_path / f"legacy_pipetting_{level.replace('.', '_')}.py"
    protocol.write_text(template.replace('"apiLevel": "2.13"', f'"apiLevel": "{level}"'))
    live = assert_faithful(protocol, emulator.url)
    tip_and_liquid = [a for a in live if a.kind in ("pickUpTip", "dropTip", *LIQUID_AND_BLOW)]
    assert tip_and_liquid == as_dispensed(analysed_actions(protocol))
    kinds = {action.kind for action in live}
    assert {"touchTip", "blowout", "waitForDuration", "comment", "moveTo"} <= kinds


def test_an_eight_channel_pipette_matches_too(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    protocol = PROTOCOLS / "legacy_multichannel_2_11.py"
    robot = start_emulator("--left", "p300_multi_gen2")
    live = assert_faithful(protocol, robot.url)
    tip_and_liquid = [a for a in live if a.kind in ("pickUpTip", "dropTip", *LIQUID_AND_BLOW)]
    assert tip_and_liquid == as_dispensed(analysed_actions(protocol))


def test_modules_match_the_legacy_simulation(robot_with_modules: EmulatorProcess) -> None:
    # Each setting (a temperature, a magnet height, off) leaves the module as the legacy core
    # left it: 6 of the 7 commands set one (a wait sets none).
    protocol = PROTOCOLS / "legacy_modules_2_13.py"
    live = assert_faithful(protocol, robot_with_modules.url, module_settings=6)
    assert [a.kind for a in live if "Module/" in a.kind] == [
        "temperatureModule/setTargetTemperature",
        "temperatureModule/waitForTemperature",
        "magneticModule/engage",
        "magneticModule/disengage",
        "magneticModule/engage",
        "magneticModule/disengage",
        "temperatureModule/deactivate",
    ]


@pytest.mark.parametrize("level", ["2.0", "2.8", "2.11"])
def test_gen1_pipettes_distribute_consolidate_and_air_gaps_as_the_legacy_core_does(
    level: str, gen1_robot: EmulatorProcess, tmp_path: Path
) -> None:
    with httpx.Client(base_url=gen1_robot.url, headers=HEADERS, timeout=60) as client:
        free_the_robot(client)
    protocol = _at_level("legacy_gen1_distribute.py", level, tmp_path)
    live = assert_faithful(protocol, gen1_robot.url)
    assert _tips_and_liquid(live) == as_dispensed(analysed_actions(protocol))
    # The multi-dispenses' disposal volumes went to the trash, blown out there.
    blown = [a for a in live if a.kind == "blowout" and a.labware == TRASH]
    assert {a.mount for a in blown} == {"left", "right"}


@pytest.mark.parametrize("level", ["2.8", "2.13"])
def test_a_pcr_and_bead_clean_up_on_three_modules_as_the_legacy_core_does(
    level: str, robot_with_modules: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = _at_level("legacy_pcr_cleanup.py", level, tmp_path)
    # 16 settings of the temperature module, the Thermocycler (block, lid, profiles, off) and
    # the magnet; 4 more of the Heater-Shaker at 2.13.
    settings = 20 if level == "2.13" else 16
    live = assert_faithful(protocol, robot_with_modules.url, module_settings=settings)
    assert _tips_and_liquid(live) == as_dispensed(analysed_actions(protocol))
    modules = [(a.kind, a.params) for a in live if "/" in a.kind and a.params]
    two_minutes = [{"celsius": 95.0, "holdSeconds": 10.0}, {"celsius": 60.0, "holdSeconds": 30.0}]
    assert modules[:6] == [
        ("temperatureModule/setTargetTemperature", {"celsius": 4.0}),
        ("thermocycler/setTargetBlockTemperature", {"celsius": 4.0, "holdTimeSeconds": 0.0}),
        ("thermocycler/setTargetLidTemperature", {"celsius": 105.0}),
        (
            "thermocycler/runProfile",
            {"profile": [{"celsius": 95.0, "holdSeconds": 30.0}], "blockMaxVolumeUl": 25.0},
        ),
        ("thermocycler/runProfile", {"profile": two_minutes * 3, "blockMaxVolumeUl": 25.0}),
        (
            "thermocycler/setTargetBlockTemperature",
            {"celsius": 4.0, "holdTimeSeconds": 5.0, "blockMaxVolumeUl": 25.0},
        ),
    ]
    # The magnet goes where the legacy core put it: 10 mm from home (GEN2: 7.5 above the
    # labware base), 4.2 above the base, the labware's default height 1 mm lower.
    heights = [params["height"] for kind, params in modules if kind == "magneticModule/engage"]
    assert heights == [7.5, 4.2, 6.5]
    shaken = [params for kind, params in modules if kind.startswith("heaterShaker/")]
    assert shaken == ([{"rpm": 500.0}, {"celsius": 37.0}] if level == "2.13" else [])


@pytest.mark.parametrize(
    ("name", "robot_options"),
    [("legacy_gen1_distribute.py", GEN1), ("legacy_pcr_cleanup.py", ROBOT_WITH_MODULES)],
)
def test_the_same_protocols_at_an_engine_level_match_the_official_analysis(
    name: str,
    robot_options: tuple[str, ...],
    start_emulator: Callable[..., EmulatorProcess],
    tmp_path: Path,
) -> None:
    protocol = _at_level(name, "2.15", tmp_path)
    robot = start_emulator(*robot_options)
    analysis = official_analysis(protocol)
    live = live_commands(protocol, robot.url)
    assert [command["status"] for command in live] == ["succeeded"] * len(live)
    assert comparable(live) == comparable(as_live_run(analysis))


@pytest.mark.parametrize("level", ["2.13", "2.8"])
def test_a_dispense_is_clamped_to_what_the_tip_holds_and_an_empty_one_only_moves(
    level: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    template = (PROTOCOLS / "legacy_clamped_dispense.py").read_text()
    protocol = tmp_path / f"clamped_{level.replace('.', '_')}.py"
    protocol.write_text(template.replace('"apiLevel": "2.13"', f'"apiLevel": "{level}"'))
    simulated = simulated_actions(protocol)  # opentrons' own simulation runs it
    commands = run_live(protocol, emulator.url)
    kinds = [(c["commandType"], c["params"].get("volume")) for c in commands]
    start = kinds.index(("aspirate", 50.0))
    assert kinds[start : start + 3] == [
        ("aspirate", 50.0),
        ("dispense", 50.0),
        ("moveToWell", None),
    ]
    assert all(c["status"] == "succeeded" for c in commands)
    # The simulation's hardware dispensed 50 into A2 and nothing into A3, having moved there
    # (3 mm above its bottom): so did the robot.
    assert [(a.well, a.volume) for a in simulated if a.kind == "dispense"] == [("A2", 50.0)]
    moved = commands[start + 2]
    assert moved["params"]["wellName"] == "A3"
    position = moved["result"]["position"]
    empty = simulated[[a.kind for a in simulated].index("dispense") + 1]
    assert empty.kind == "moveTo" and empty.point is not None
    assert math.dist(empty.point, (position["x"], position["y"], position["z"])) < 1e-3
    assert without_moves(live_actions(commands)) == without_moves(simulated)
