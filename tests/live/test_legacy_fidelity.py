"""Fidelity below apiLevel 2.14: a live run does what opentrons' legacy simulation does.

The same physical actions in the same order, with the same pipette, labware, well, volume and
flow rate, at the points the legacy simulation moved to (the robot reports where it went; with
no labware offsets that is the same point). Checked against opentrons' simulation of the file
and against the official analysis, whose record below 2.14 is coarser.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from live.legacy_record import Action, analysed_actions, live_actions, run_live, simulated_actions
from otlink.emulator.child_process import EmulatorProcess

# Each test compares against opentrons' own simulation and analysis: slow tier.
pytestmark = pytest.mark.slow

PROTOCOLS = Path(__file__).parent / "protocols"
LEVELS = ["2.0", "2.2", "2.8", "2.13"]
# The robot's command for set_temperature waits too; the legacy record has one action.
_WAIT_INSIDE_SET = "temperatureModule/waitForTemperature"


def _without_moves(actions: list[Action]) -> list[Action]:
    return [action for action in actions if action.kind not in ("moveTo", _WAIT_INSIDE_SET)]


def _assert_same_points(live: list[Action], simulated: list[Action]) -> None:
    for mine, theirs in zip(live, simulated, strict=True):
        if theirs.point is not None:
            assert mine.point is not None, mine
            assert math.dist(mine.point, theirs.point) < 1e-3, (mine, theirs)


def _assert_moves_in_order(live: list[Action], simulated: list[Action]) -> None:
    # Every move the protocol made is a robot move to the same point, in order. (The robot
    # also moves where the legacy core moved without saying so, e.g. up for an air gap.)
    remaining = iter(action for action in live if action.kind == "moveTo")
    for move in (action for action in simulated if action.kind == "moveTo"):
        assert any(
            math.dist(candidate.point, move.point) < 1e-3
            for candidate in remaining
            if candidate.point is not None and move.point is not None
        ), move


def _assert_faithful(protocol: Path, robot_url: str) -> list[Action]:
    simulated = simulated_actions(protocol)
    live = live_actions(run_live(protocol, robot_url))
    assert _without_moves(live) == _without_moves(simulated)
    _assert_same_points(_without_moves(live), _without_moves(simulated))
    _assert_moves_in_order(live, simulated)
    return live


@pytest.mark.parametrize("level", LEVELS)
def test_pipetting_matches_the_legacy_simulation_and_the_analysis(
    level: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    template = (PROTOCOLS / "legacy_pipetting.py").read_text()
    protocol = tmp_path / f"legacy_pipetting_{level.replace('.', '_')}.py"
    protocol.write_text(template.replace('"apiLevel": "2.13"', f'"apiLevel": "{level}"'))
    live = _assert_faithful(protocol, emulator.url)
    tip_and_liquid = [a for a in live if a.kind in ("pickUpTip", "dropTip", *LIQUID_AND_BLOW)]
    assert tip_and_liquid == analysed_actions(protocol)
    kinds = {action.kind for action in live}
    assert {"touchTip", "blowout", "waitForDuration", "comment", "moveTo"} <= kinds


def test_an_eight_channel_pipette_matches_too(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    protocol = PROTOCOLS / "legacy_multichannel_2_11.py"
    robot = start_emulator("--left", "p300_multi_gen2")
    live = _assert_faithful(protocol, robot.url)
    tip_and_liquid = [a for a in live if a.kind in ("pickUpTip", "dropTip", *LIQUID_AND_BLOW)]
    assert tip_and_liquid == analysed_actions(protocol)


def test_modules_match_the_legacy_simulation(robot_with_modules: EmulatorProcess) -> None:
    live = _assert_faithful(PROTOCOLS / "legacy_modules_2_13.py", robot_with_modules.url)
    assert [a.kind for a in live if "Module/" in a.kind] == [
        "temperatureModule/setTargetTemperature",
        _WAIT_INSIDE_SET,
        "magneticModule/engage",
        "magneticModule/disengage",
        "magneticModule/engage",
        "magneticModule/disengage",
        "temperatureModule/deactivate",
    ]


LIQUID_AND_BLOW = ("aspirate", "dispense", "blowout")


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
    # The empty dispense moved where the simulation moved: A3, 3 mm above its bottom.
    moved = commands[start + 2]
    dispenses = [action for action in simulated if action.kind == "dispense"]
    assert [action.well for action in dispenses] == ["A2", "A3"]
    assert moved["params"]["wellName"] == "A3"
    position = moved["result"]["position"]
    assert dispenses[1].point is not None
    assert math.dist(dispenses[1].point, (position["x"], position["y"], position["z"])) < 1e-3
