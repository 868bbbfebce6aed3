"""Legacy protocols (apiLevel below 2.14) with modules, drawn from a file: the dry run ``otlink
run`` checks with runs them on opentrons' legacy core (``opentrons analyze`` cannot run them:
its legacy simulation has no modules attached)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from otlink.cli.main import cli

PROTOCOL = Path(__file__).parent / "protocols" / "legacy_2_13_modules.py"
SVG = "{http://www.w3.org/2000/svg}"


def _classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def test_a_2_13_protocol_with_temperature_and_magnetic_modules(tmp_path):
    out = tmp_path / "deck.svg"
    result = CliRunner().invoke(cli, ["deck", str(PROTOCOL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "slot 1: Opentrons 96 Well Aluminum Block with Generic PCR Strip 200 µL on" in (
        result.output
    )
    assert "slot 4: NEST 96 Well Plate 100 µL PCR Full Skirt on Magnetic Module GEN2" in (
        result.output
    )
    assert "slot 2: Opentrons OT-2 96 Tip Rack 300 µL (16 tips used)" in result.output
    assert "pipette left: P300 8-Channel GEN2" in result.output
    root = ET.fromstring(out.read_text())
    modules = {g.get("data-model"): g for g in root.iter(f"{SVG}g") if g.get("class") == "module"}
    assert set(modules) == {"temperatureModuleV2", "magneticModuleV2"}
    labware = {
        g.get("data-load-name"): g for g in root.iter(f"{SVG}g") if g.get("class") == "labware"
    }
    assert set(labware) == {
        "opentrons_96_aluminumblock_generic_pcr_strip_200ul",
        "nest_96_wellplate_100ul_pcr_full_skirt",
        "opentrons_96_tiprack_300ul",
        "nest_12_reservoir_15ml",
    }
    wells = [e for e in labware["nest_96_wellplate_100ul_pcr_full_skirt"] if "well" in _classes(e)]
    assert len(wells) == 96
    # at the start: the two columns of tips the 8-channel will take are marked
    to_use = [
        e.get("data-well") for e in labware["opentrons_96_tiprack_300ul"] if "to-use" in _classes(e)
    ]
    assert sorted(to_use) == sorted(f"{row}{column}" for row in "ABCDEFGH" for column in (1, 2))


def test_the_deck_a_legacy_protocol_leaves_as_png(tmp_path):
    out = tmp_path / "end.png"
    result = CliRunner().invoke(cli, ["deck", str(PROTOCOL), "--at", "end", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
