"""The deck of a live run on the virtual OT-2: the live context draws itself, and
``otlink deck --robot`` draws the same run from the robot's own commands."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from click.testing import CliRunner

import otlink
from otlink.cli.main import cli
from otlink.emulator.child_process import EmulatorProcess

SVG = "{http://www.w3.org/2000/svg}"


def _labware_groups(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("data-load-name"): g for g in root.iter(f"{SVG}g") if g.get("class") == "labware"}


def test_live_context_and_robot_run_draw_the_same_deck(emulator: EmulatorProcess, tmp_path):
    with otlink.get_protocol_api("2.20", robot=emulator.url) as protocol:
        tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
        plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
        p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        protocol.home()
        p300.pick_up_tip()
        p300.aspirate(50, plate["A1"])
        p300.dispense(50, plate["B1"])
        live = _labware_groups(protocol._repr_svg_())
        run_id = protocol.robot_run.id
    assert set(live) == {"opentrons_96_tiprack_300ul", "corning_96_wellplate_360ul_flat"}
    used = [e for e in live["opentrons_96_tiprack_300ul"] if "used" in (e.get("class") or "")]
    assert [e.get("data-well") for e in used] == ["A1"]
    current = [
        e.get("data-well")
        for e in live["corning_96_wellplate_360ul_flat"]
        if "current" in (e.get("class") or "")
    ]
    assert current == ["B1"]

    out = tmp_path / "robot.svg"
    result = CliRunner().invoke(
        cli, ["deck", "--robot", emulator.url, "--run", run_id, "--at", "end", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "slot 1: Opentrons OT-2 96 Tip Rack 300 µL (1 tips used)" in result.output
    robot = _labware_groups(out.read_text())
    assert set(robot) == set(live)
    wells = [
        e
        for e in robot["corning_96_wellplate_360ul_flat"]
        if "well" in (e.get("class") or "").split()
    ]
    assert len(wells) == 96


def test_robot_deck_of_an_unknown_run(emulator: EmulatorProcess, tmp_path):
    result = CliRunner().invoke(
        cli,
        ["deck", "--robot", emulator.url, "--run", "no-such-run", "-o", str(tmp_path / "x.svg")],
    )
    assert result.exit_code == 4 and "Traceback" not in result.output
