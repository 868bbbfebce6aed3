"""Live protocol contexts at apiLevel 2.14 and up, against a virtual OT-2: what is refused
before the robot moves, what the robot refuses, offsets, modules, pauses, and closing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed, LiveRunBroken, PreflightFailed
from otlink.live import LiveProtocolContext, get_protocol_api
from otlink.live.pauses import ask_to_continue
from robot_http import protocol_commands

PLATE_URI = "opentrons/corning_96_wellplate_360ul_flat/2"


def _commands(context: LiveProtocolContext) -> list[Any]:
    return list(protocol_commands(context.robot_run.client, context.robot_run.id))


def _is_current(url: str, run_id: str) -> bool:
    with RobotClient(url) as client:
        return bool(client.get_run(run_id).current)


def test_aspirate_without_a_tip_is_refused_before_the_robot_moves(
    emulator: EmulatorProcess,
) -> None:
    with get_protocol_api("2.20", robot=emulator.url) as protocol:
        plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
        pipette = protocol.load_instrument("p300_single_gen2", "left")
        protocol.home()
        with pytest.raises(PreflightFailed) as refused:
            pipette.aspirate(50, plate["A1"])
        assert refused.value.command_type == "aspirate"
        assert refused.value.error_type == "TipNotAttachedError"
        kinds = [command.commandType for command in _commands(protocol)]
        assert kinds == ["loadLabware", "loadPipette", "home"]
        # Nothing reached the robot, so the run goes on.
        protocol.comment("still live")
        assert _commands(protocol)[-1].commandType == "comment"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_pipette_the_robot_lacks_fails_with_the_robots_error(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    robot = start_emulator("--right", "none")
    protocol = get_protocol_api("2.20", robot=robot.url)
    try:
        with pytest.raises(CommandFailed) as failed:
            protocol.load_instrument("p20_single_gen2", "right")
        assert failed.value.error_type == "FailedToLoadPipetteError"
        assert "p20_single_gen2" in failed.value.detail, failed.value.detail
        # The local engine went ahead, the robot did not: the context refuses to go on.
        with pytest.raises(LiveRunBroken):
            protocol.home()
        (load,) = _commands(protocol)
        assert (load.commandType, load.status) == ("loadPipette", "failed")
    finally:
        protocol.close()
    assert not _is_current(robot.url, protocol.robot_run.id)


def test_a_module_the_robot_lacks_fails_with_the_robots_error(emulator: EmulatorProcess) -> None:
    with get_protocol_api("2.20", robot=emulator.url) as protocol:
        with pytest.raises(CommandFailed) as failed:
            protocol.load_module("temperature module gen2", 3)
        assert failed.value.error_type == "ModuleNotAttachedError"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_loaded_modules_keep_the_local_ids(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    robot = start_emulator("--module", "magneticModuleV2")
    with get_protocol_api("2.18", robot=robot.url) as protocol:
        magnet = protocol.load_module("magnetic module gen2", 4)
        plate = magnet.load_labware("nest_96_wellplate_2ml_deep")
        magnet.engage(height_from_base=5)
        load, labware, engage = _commands(protocol)
        assert load.params["moduleId"] == magnet._core.module_id
        assert labware.params["location"] == {"moduleId": magnet._core.module_id}
        assert labware.params["labwareId"] == plate._core.labware_id
        assert engage.status == "succeeded"


def test_labware_offsets_move_the_robots_wells(emulator: EmulatorProcess) -> None:
    def aspirate_position(offsets: list[dict[str, Any]]) -> dict[str, float]:
        with get_protocol_api("2.20", robot=emulator.url, offsets=offsets) as protocol:
            tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
            plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
            pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
            protocol.home()
            pipette.pick_up_tip()
            pipette.aspirate(20, plate["B2"].bottom(1))
            client, run_id = protocol.robot_run.client, protocol.robot_run.id
            aspirate = [c for c in protocol_commands(client, run_id) if c.commandType == "aspirate"]
            result = client.get_command(run_id, aspirate[0].id).result
            assert result is not None
            position: dict[str, float] = result["position"]
            return position

    vector = {"x": 1.5, "y": -2.0, "z": 3.25}
    offset = {"definitionUri": PLATE_URI, "location": {"slotName": "2"}, "vector": vector}
    plain = aspirate_position([])
    moved = aspirate_position([offset])
    assert {axis: round(moved[axis] - plain[axis], 6) for axis in "xyz"} == vector


def test_custom_labware_reaches_the_robot_run(emulator: EmulatorProcess) -> None:
    from live_fidelity import LABWARE

    definition = LABWARE / "otlink_deep_96_wellplate.json"
    with get_protocol_api("2.20", robot=emulator.url, labware=[definition]) as protocol:
        plate = protocol.load_labware("otlink_deep_96_wellplate", 3, namespace="custom_beta")
        assert plate["A1"].depth == 20.0
        (load,) = _commands(protocol)
        assert load.status == "succeeded"
        assert load.params["loadName"] == "otlink_deep_96_wellplate"


def test_pause_calls_the_handler_and_the_robot_run_stays_live(emulator: EmulatorProcess) -> None:
    heard: list[str] = []
    with get_protocol_api("2.20", robot=emulator.url, on_pause=heard.append) as protocol:
        plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
        protocol.pause("Load the samples.")
        protocol.move_labware(plate, 5)
        protocol.comment("after the pauses")
        kinds = [command.commandType for command in _commands(protocol)]
        assert kinds == ["loadLabware", "moveLabware", "comment"]
        assert _commands(protocol)[1].params["strategy"] == "manualMoveWithoutPause"
        status = protocol.robot_run.client.get_run(protocol.robot_run.id).status
    assert heard == [
        "Load the samples.",
        "Move Corning 96 Well Plate 360 µL Flat to slot 5 by hand.",
    ]
    assert status == "paused"  # live, at the hold otlink keeps between commands


def test_the_default_pause_waits_for_enter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.StringIO("\n")
    monkeypatch.setattr("sys.stdin", stdin)
    ask_to_continue("Swap the tips.")
    assert stdin.read() == ""
    assert "Paused: Swap the tips. Press Enter to continue." in capsys.readouterr().err
    # With nothing to read (a closed stdin), it goes on rather than hang.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    ask_to_continue("Nobody there.")


def test_no_run_is_left_current_after_close(emulator: EmulatorProcess) -> None:
    protocol = get_protocol_api("2.20", robot=emulator.url)
    run_id = protocol.robot_run.id
    assert _is_current(emulator.url, run_id)
    protocol.close()
    protocol.close()
    assert not _is_current(emulator.url, run_id)
    with RobotClient(emulator.url) as client:
        assert not [run for run in client.list_runs() if run.current]


def test_an_error_in_the_with_block_still_closes_the_run(emulator: EmulatorProcess) -> None:
    with (
        pytest.raises(PreflightFailed),
        get_protocol_api("2.20", robot=emulator.url) as protocol,
    ):
        plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
        protocol.load_instrument("p300_single_gen2", "left").dispense(10, plate["A1"])
    assert not _is_current(emulator.url, protocol.robot_run.id)


def test_aspirating_from_the_fixed_trash_is_refused_before_it_runs(
    emulator: EmulatorProcess,
) -> None:
    # Below 2.16 the trash is labware locally, but a live run only has the trash area.
    with get_protocol_api("2.15", robot=emulator.url) as protocol:
        tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
        pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        protocol.home()
        pipette.pick_up_tip()
        with pytest.raises(PreflightFailed) as refused:
            pipette.aspirate(10, protocol.fixed_trash["A1"])
        assert refused.value.error_type == "NotMirrorable"
        pipette.drop_tip()
        kinds = [command.commandType for command in _commands(protocol)]
        assert kinds[-3:] == ["pickUpTip", "moveToAddressableAreaForDropTip", "dropTipInPlace"]
