"""Live protocol contexts below apiLevel 2.14 against a virtual OT-2: pre-flight, robot errors,
offsets, custom labware, pauses, modules, and runs that are always closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from opentrons.protocols.execution.errors import ExceptionInProtocolError

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed, LiveRunBroken, PreflightFailed
from otlink.live import get_protocol_api
from otlink.live.protocol_file import read_protocol
from otlink.live.protocol_runner import ProtocolFailed, run_protocol_file
from robot_http import protocol_commands

PLATE = "corning_96_wellplate_360ul_flat"
CUSTOM = Path(__file__).parent / "protocols" / "labware" / "otlink_deep_96_wellplate.json"


def _is_active(robot: EmulatorProcess, run_id: str) -> bool:
    with RobotClient(robot.url) as client:
        return bool(client.get_run(run_id).current)


def test_aspirating_without_a_tip_fails_before_the_robot_moves(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = tmp_path / "no_tip.py"
    protocol.write_text(
        'metadata = {"apiLevel": "2.10"}\n'
        "def run(protocol):\n"
        f"    plate = protocol.load_labware({PLATE!r}, 2)\n"
        '    pipette = protocol.load_instrument("p300_single_gen2", "left")\n'
        '    pipette.aspirate(10, plate["A1"])\n'
    )
    parsed = read_protocol(protocol)
    with get_protocol_api(parsed.api_level, robot=emulator.url) as context:
        context.home()
        run = context.robot_run
        with pytest.raises(ExceptionInProtocolError) as raised:
            parsed.run(context)
        assert raised.value.line == 5
        assert isinstance(raised.value.original_exc, PreflightFailed)
        assert raised.value.original_exc.command_type == "aspirate"
        kinds = [command.commandType for command in protocol_commands(run.client, run.id)]
        assert kinds == ["home", "loadLabware", "loadPipette"]
    assert not _is_active(emulator, run.id)


def test_a_robot_failure_is_raised_in_the_protocols_call(emulator: EmulatorProcess) -> None:
    with get_protocol_api("2.13", robot=emulator.url) as context:
        # The virtual OT-2 has a p300_single_gen2 on the left mount.
        with pytest.raises(CommandFailed) as raised:
            context.load_instrument("p1000_single_gen2", "left")
        assert raised.value.command.commandType == "loadPipette"
        assert raised.value.error_type == "FailedToLoadPipetteError"
        assert "p300_single" in str(raised.value.detail)
        with pytest.raises(LiveRunBroken):
            context.load_labware(PLATE, 2)
        run = context.robot_run
    assert not _is_active(emulator, run.id)


def test_labware_offsets_apply_on_the_robot(emulator: EmulatorProcess) -> None:
    vector = {"x": 1.0, "y": -2.0, "z": 0.5}
    offsets = [
        {"definitionUri": f"opentrons/{PLATE}/1", "location": {"slotName": "2"}, "vector": vector}
    ]
    with get_protocol_api("2.13", robot=emulator.url, offsets=offsets) as context:
        tips = context.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = context.load_labware(PLATE, 2)
        pipette = context.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        context.home()
        pipette.pick_up_tip()
        target = plate["B2"].bottom(3)
        pipette.aspirate(20, target)
        run = context.robot_run
        last = list(protocol_commands(run.client, run.id))[-1]
        position = run.client.get_command(run.id, last.id).result["position"]
    moved = (position["x"], position["y"], position["z"])
    expected = (target.point.x + 1.0, target.point.y - 2.0, target.point.z + 0.5)
    assert moved == pytest.approx(expected, abs=1e-3)


def test_custom_labware_goes_to_both_sides(emulator: EmulatorProcess) -> None:
    definition = json.loads(CUSTOM.read_text())
    with get_protocol_api("2.12", robot=emulator.url, labware=[definition]) as context:
        tips = context.load_labware("opentrons_96_tiprack_20ul", 1)
        plate = context.load_labware("otlink_deep_96_wellplate", 2, namespace="custom_beta")
        pipette = context.load_instrument("p20_single_gen2", "right", tip_racks=[tips])
        context.home()
        pipette.transfer(5, plate["A1"], plate["H12"].top(-2))
        run = context.robot_run
        kinds = [command.commandType for command in protocol_commands(run.client, run.id)]
    assert kinds.count("aspirate") == kinds.count("dispense") == 1
    assert kinds[-2:] == ["moveToAddressableAreaForDropTip", "dropTipInPlace"]


def test_a_pause_waits_on_the_laptop(emulator: EmulatorProcess) -> None:
    heard: list[str] = []
    with get_protocol_api("2.13", robot=emulator.url, on_pause=heard.append) as context:
        context.home()
        context.pause("Add the reagents.")
        context.comment("after the pause")
        run = context.robot_run
        kinds = [command.commandType for command in protocol_commands(run.client, run.id)]
    assert heard == ["Add the reagents."]
    assert kinds == ["home", "comment"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_thermocycler_and_heater_shaker(robot_with_modules: EmulatorProcess) -> None:
    robot = robot_with_modules
    with get_protocol_api("2.13", robot=robot.url) as context:
        context.home()
        cycler = context.load_module("thermocycler")
        shaker = context.load_module("heaterShakerModuleV1", 1)
        cycler.open_lid()
        cycler.close_lid()
        cycler.set_lid_temperature(100)
        cycler.set_block_temperature(40, hold_time_seconds=1, block_max_volume=20)
        cycler.execute_profile(
            steps=[
                {"temperature": 90, "hold_time_seconds": 1},
                {"temperature": 60, "hold_time_seconds": 2},
            ],
            repetitions=2,
            block_max_volume=20,
        )
        cycler.deactivate()
        shaker.close_labware_latch()
        shaker.set_and_wait_for_temperature(37)
        shaker.set_and_wait_for_shake_speed(500)
        shaker.deactivate_shaker()
        shaker.deactivate_heater()
        shaker.open_labware_latch()
        run = context.robot_run
        commands = [
            run.client.get_command(run.id, summary.id)
            for summary in protocol_commands(run.client, run.id)
        ]
    kinds = [command.commandType for command in commands]
    assert kinds[3:] == [
        "thermocycler/openLid",
        "thermocycler/closeLid",
        "thermocycler/setTargetLidTemperature",
        "thermocycler/waitForLidTemperature",
        "thermocycler/setTargetBlockTemperature",
        "thermocycler/waitForBlockTemperature",
        "thermocycler/runProfile",
        "thermocycler/deactivateLid",
        "thermocycler/deactivateBlock",
        "heaterShaker/closeLabwareLatch",
        "heaterShaker/setTargetTemperature",
        "heaterShaker/waitForTemperature",
        "heaterShaker/setAndWaitForShakeSpeed",
        "heaterShaker/deactivateShaker",
        "heaterShaker/deactivateHeater",
        "heaterShaker/openLabwareLatch",
    ]
    profile = commands[9].params["profile"]
    assert [step["celsius"] for step in profile] == [90, 60, 90, 60]
    assert [step["holdSeconds"] for step in profile] == [1, 2, 1, 2]


def test_no_run_is_left_active_after_an_error(emulator: EmulatorProcess) -> None:
    opened = []
    with pytest.raises(ZeroDivisionError), get_protocol_api("2.8", robot=emulator.url) as context:
        opened.append(context.robot_run)
        context.load_labware(PLATE, 2)
        1 / 0  # noqa: B018
    run = opened[0]
    assert not _is_active(emulator, run.id)


def test_set_offset_moves_the_robot_as_it_moves_the_local_core(emulator: EmulatorProcess) -> None:
    with get_protocol_api("2.13", robot=emulator.url) as context:
        tips = context.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = context.load_labware(PLATE, 2)
        plate.set_offset(x=0.5, y=1.0, z=-0.5)
        pipette = context.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        context.home()
        pipette.pick_up_tip()
        target = plate["C3"].bottom(2)  # already offset locally
        pipette.aspirate(20, target)
        run = context.robot_run
        last = list(protocol_commands(run.client, run.id))[-1]
        command = run.client.get_command(run.id, last.id)
    position = command.result["position"]
    assert command.params["wellLocation"]["offset"] == {"x": 0.5, "y": 1.0, "z": 1.5}
    assert (position["x"], position["y"], position["z"]) == pytest.approx(tuple(target.point))


def test_protocol_files_below_2_14_run_as_otlink_run_runs_them(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    protocol = tmp_path / "runs.py"
    protocol.write_text(
        'metadata = {"apiLevel": "2.9", "protocolName": "Two steps"}\n'
        "def run(protocol):\n"
        '    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 1)\n'
        f"    plate = protocol.load_labware({PLATE!r}, 2)\n"
        '    pipette = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips])\n'
        '    pipette.transfer(5, plate["A1"], plate["A2"])\n'
        '    pipette.aspirate(5, plate["A3"])\n'
    )
    with pytest.raises(ProtocolFailed) as raised:
        run_protocol_file(protocol, emulator.url)
    assert raised.value.line == 7
    assert isinstance(raised.value.cause, PreflightFailed)

    protocol.write_text(protocol.read_text().replace('    pipette.aspirate(5, plate["A3"])\n', ""))
    report = run_protocol_file(protocol, emulator.url)
    assert report.protocol == "Two steps"
    # home, 2 labware, 1 pipette; pick up, aspirate, dispense, trash area, drop
    assert report.commands == 9
    assert not _is_active(emulator, report.robot_run_id)


@pytest.mark.parametrize("level", ["2.2", "2.13"])
def test_touch_tip_touches_at_its_offset_at_every_level(
    emulator: EmulatorProcess, level: str
) -> None:
    # Below 2.4 the legacy core goes to the well's top first, then touches at top + v_offset.
    with get_protocol_api(level, robot=emulator.url) as context:
        tips = context.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = context.load_labware(PLATE, 2)
        pipette = context.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        context.home()
        pipette.pick_up_tip()
        pipette.touch_tip(plate["A1"], radius=0.5, v_offset=-3, speed=30)
        run = context.robot_run
        last = list(protocol_commands(run.client, run.id))[-1]
        params = run.client.get_command(run.id, last.id).params
    assert params["wellLocation"] == {
        "origin": "top",
        "offset": {"x": 0.0, "y": 0.0, "z": -3.0},
        "volumeOffset": 0.0,
    }
    assert (params["radius"], params["speed"]) == (0.5, 30.0)
