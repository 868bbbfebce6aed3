"""Deck pictures of protocols dry-run here (as ``otlink run`` checks them): the SVG's structure,
its geometry against the engine's own positions, tips and liquids, and the PNG and HTML files
the CLI writes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from otlink.cli.main import cli
from otlink.deck import DeckState, deck_svg, render
from otlink.deck.placement import place
from otlink.live.dry_run import dry_run
from otlink.live.protocol_file import read_protocol

PROTOCOLS = Path(__file__).parent / "protocols"
TROUGH = PROTOCOLS / "otlink_test_8_trough.json"
SVG = "{http://www.w3.org/2000/svg}"


def dry_deck(path: Path, labware: list[dict] | None = None) -> tuple[DeckState, list[dict]]:
    """The deck of ``path``'s dry run, and its local engine's commands (with their results)."""
    dry = dry_run(read_protocol(path, labware), definitions=labware or [])
    assert dry.failure is None, dry.failure
    commands = [c.model_dump(mode="json") for c in dry.engine.commands.get_all()]
    return dry.deck(), commands


@pytest.fixture(scope="module")
def gen2_deck() -> tuple[DeckState, list[dict]]:
    return dry_deck(PROTOCOLS / "modules_gen2_384.py")


@pytest.fixture(scope="module")
def gen1_deck() -> tuple[DeckState, list[dict]]:
    return dry_deck(PROTOCOLS / "modules_gen1_multi_custom.py", [json.loads(TROUGH.read_text())])


def _slots(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        g.get("data-slot"): g for g in root.iter(f"{SVG}g") if g.get("class") == "slot-contents"
    }


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_one_group_per_slot_and_trash(gen2_deck):
    root = ET.fromstring(deck_svg(gen2_deck[0]))
    slots = [g.get("data-slot") for g in root.iter(f"{SVG}g") if g.get("class") == "slot"]
    assert slots == [str(n) for n in range(1, 13)]


@pytest.mark.parametrize("fixture", ["gen2_deck", "gen1_deck"])
def test_every_well_of_every_labware_in_its_slot(fixture, request):
    deck, _ = request.getfixturevalue(fixture)
    slots = _slots(deck_svg(deck, at_start=True))
    drawn = 0
    for labware in deck.labware.values():
        placed = place(deck, labware, at_start=True)
        if placed is None or labware.is_trash or not labware.definition["wells"]:
            continue
        group = next(
            g for g in slots[placed.slot].iter(f"{SVG}g") if g.get("data-labware-id") == labware.id
        )
        wells = [e for e in group if "well" in (e.get("class") or "").split()]
        assert len(wells) == len(labware.definition["wells"]), labware.load_name
        labels = [e.text or "" for e in group.iter(f"{SVG}text")]
        assert any(labware.title[:20] in label for label in labels), labels
        drawn += 1
    assert drawn >= 6


def test_modules_of_every_kind_drawn_with_their_names(gen1_deck, gen2_deck):
    models = set()
    for deck, _ in (gen1_deck, gen2_deck):
        root = ET.fromstring(deck_svg(deck))
        for group in root.iter(f"{SVG}g"):
            if group.get("class") == "module":
                models.add(group.get("data-model"))
                assert any("Module" in (t.text or "") for t in group.iter(f"{SVG}text"))
    assert models == {
        "temperatureModuleV1",
        "temperatureModuleV2",
        "magneticModuleV1",
        "magneticModuleV2",
        "thermocyclerModuleV1",
        "thermocyclerModuleV2",
        "heaterShakerModuleV1",
    }


@pytest.mark.parametrize("fixture", ["gen2_deck", "gen1_deck"])
def test_wells_where_the_engine_moved_the_pipette(fixture, request):
    """Each well the protocol reached is drawn where the engine put the pipette's nozzle."""
    deck, commands = request.getfixturevalue(fixture)
    checked = 0
    for command in commands:
        if command["commandType"] not in ("aspirate", "dispense", "pickUpTip"):
            continue
        params, position = command["params"], command["result"]["position"]
        labware = deck.labware[params["labwareId"]]
        placed = place(deck, labware, at_start=False)
        well = labware.definition["wells"][params["wellName"]]
        offset = params.get("wellLocation", {}).get("offset", {})
        assert placed.x + well["x"] + offset.get("x", 0) == pytest.approx(position["x"], abs=0.01)
        assert placed.y + well["y"] + offset.get("y", 0) == pytest.approx(position["y"], abs=0.01)
        checked += 1
    assert checked > 10


def test_tips_single_and_eight_channel(gen2_deck, gen1_deck):
    gen2 = {lw.load_name: lw for lw in gen2_deck[0].labware.values()}
    # the 8-channel P300 took 3 columns, the single P20 six tips
    assert len(gen2["opentrons_96_tiprack_300ul"].used_tips) == 24
    assert gen2["opentrons_96_tiprack_20ul"].used_tips == {"A1", "B1", "C1", "D1", "E1", "F1"}
    gen1 = {lw.load_name: lw for lw in gen1_deck[0].labware.values()}
    assert len(gen1["opentrons_96_tiprack_20ul"].used_tips) == 40
    start = ET.fromstring(deck_svg(gen2_deck[0], at_start=True))
    assert sum("to-use" in (e.get("class") or "") for e in start.iter()) == 30
    end = ET.fromstring(deck_svg(gen2_deck[0]))
    assert sum("used" in (e.get("class") or "").split() for e in end.iter()) == 30


def test_liquids_at_start_and_end(gen2_deck):
    deck, _ = gen2_deck
    plate = next(lw for lw in deck.labware.values() if lw.load_name.startswith("corning_384"))
    assert plate.loaded == {}
    # three columns of the 384 plate, every row (the 8 channels reach A/B rows alternately)
    assert len(plate.content) == 48
    assert all(sum(c.values()) == pytest.approx(100) for c in plate.content.values())
    reservoir = next(lw for lw in deck.labware.values() if lw.load_name.startswith("nest_12"))
    assert reservoir.loaded["A1"] == {next(iter(deck.liquids)): 10000}
    assert sum(reservoir.content["A1"].values()) == pytest.approx(10000 - 4800)
    end = ET.fromstring(deck_svg(deck))
    buffer = deck.liquids[next(iter(deck.liquids))]
    assert buffer.name == "Buffer"
    filled = [e for e in end.iter() if "filled" in (e.get("class") or "")]
    assert len(filled) == 48 + 2 + 2 * 8 + 6 + 6  # plate, reservoir, mag plate, tc plate, block
    assert any(e.get("fill") == buffer.color for e in filled)


def test_png_and_html(gen2_deck, tmp_path):
    png = render(gen2_deck[0], "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    page = render(gen2_deck[0], "html", title="deck")
    assert "<svg" in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "fill A1 with 10 mL Buffer" in page


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_cli_writes_png_html_svg_and_prints_the_setup(tmp_path):
    runner = CliRunner()
    for name in ("deck.png", "deck.html", "deck.svg"):
        result = runner.invoke(
            cli,
            [
                "deck",
                str(PROTOCOLS / "modules_gen1_multi_custom.py"),
                "--labware",
                str(TROUGH),
                "--at",
                "end",
                "-o",
                str(tmp_path / name),
            ],
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 5000
    assert "slot 6: Otlink Test 8 Trough 20 mL — fill A1 with 15 mL Water" in result.output
    # the deck the protocol leaves points at no step
    end = ET.fromstring((tmp_path / "deck.svg").read_text())
    assert not [e for e in end.iter() if "current" in (e.get("class") or "").split()]
    assert "pipette left: P20 8-Channel GEN2" in result.output


def test_cli_bad_input(tmp_path):
    runner = CliRunner()
    protocol = str(PROTOCOLS / "modules_gen2_384.py")
    result = runner.invoke(cli, ["deck", protocol, "-o", str(tmp_path / "deck.jpg")])
    assert result.exit_code == 2 and ".svg, .png or .html" in result.output
    result = runner.invoke(cli, ["deck", "-o", str(tmp_path / "deck.svg")])
    assert result.exit_code == 2 and "PROTOCOL" in result.output
    result = runner.invoke(cli, ["deck", protocol, "--param", "x=1", "-o", str(tmp_path / "d.svg")])
    assert result.exit_code == 2 and "defines no run-time parameters" in result.output
    # a protocol whose custom labware is missing fails in the simulation: exit 5, the deck so far
    result = runner.invoke(
        cli,
        [
            "deck",
            str(PROTOCOLS / "modules_gen1_multi_custom.py"),
            "-o",
            str(tmp_path / "failed.svg"),
        ],
    )
    assert result.exit_code == 5 and "otlink_test_8_trough" in result.output
    assert (tmp_path / "failed.svg").is_file()
    assert "Traceback" not in result.output


def test_cli_run_time_parameters_reach_the_dry_run(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "deck",
            str(PROTOCOLS / "notebook_transfer.py"),
            "--param",
            "wells=4",
            "-o",
            str(tmp_path / "deck.svg"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "slot 1: Opentrons OT-2 96 Tip Rack 300 µL (4 tips used)" in result.output
    assert "slot 2: NEST 12 Well Reservoir 15 mL — fill A1 with 10 mL Buffer" in result.output
