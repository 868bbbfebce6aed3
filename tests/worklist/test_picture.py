"""The deck picture of a plan (``otlink worklist check -o``): every source and destination a
row names is marked with its role, the tips the plan picks up are marked, PNG and HTML too."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from worklist_data import DATA

from otlink.worklist import Deck, PlanOptions, Row, plan, read_worklist
from otlink.worklist.labware_data import well_names
from otlink.worklist.picture import plan_svg

SVG = "{http://www.w3.org/2000/svg}"


def marked(svg: str) -> dict[str, set[tuple[str, str]]]:
    """(slot, well) of every well drawn with each class (source, destination, both, to-use)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") != "labware":
            continue
        slot = group.get("data-labware-id", "").removeprefix("slot-")
        for well in group:
            for role in (well.get("class") or "").split()[1:]:
                found.setdefault(role, set()).add((slot, well.get("data-well", "")))
    return found


def ends(rows: list[Row], deck: Deck) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The rows' sources and destinations as (slot, well), worked out from the rows."""
    sources, destinations = set(), set()
    for row in rows:
        for labware, well, into in (
            (row.source, row.source_well, sources),
            (row.destination, row.destination_well, destinations),
        ):
            item = deck.find(labware)
            assert item is not None
            name = well_names(item.definition)[int(well) - 1] if well.isdigit() else well
            into.add((item.slot, name))
    return sources, destinations


def test_the_marked_wells_are_the_rows_sources_and_destinations() -> None:
    deck = Deck.read(DATA / "gwl_deck.toml")
    worklist = read_worklist(DATA / "dilution_run.gwl")  # wells as Tecan positions, MM both ways
    made = plan(worklist, deck)
    found = marked(plan_svg(made))
    sources, destinations = ends(worklist.rows, deck)
    assert found.get("source", set()) | found.get("both", set()) == sources
    assert found.get("destination", set()) | found.get("both", set()) == destinations
    assert found.get("both", set()) == sources & destinations
    picked = {(s.slot, s.well) for s in made.steps if s.action == "pick_up_tip"}
    assert found["to-use"] == picked and len(picked) == sum(made.tips_used().values())


def test_tooltips_give_the_volume_moved_per_well() -> None:
    deck = Deck.read(DATA / "picklist_deck.toml")
    worklist = read_worklist(DATA / "biomek_picklist.csv")
    root = ET.fromstring(plan_svg(plan(worklist, deck, PlanOptions(new_tip="per-source"))))
    tips = {
        element.get("data-well"): element.findtext(f"{SVG}title")
        for element in root.iter()
        if (element.get("class") or "").split() == ["well", "source"]
    }
    out = {}
    for row in worklist.rows:
        out[row.source_well] = out.get(row.source_well, 0) + row.volume
    numbers = {
        w: ", ".join(str(r.number) for r in worklist.rows if r.source_well == w) for w in out
    }
    assert tips == {w: f"{w}: source, {v:g} µL out (row {numbers[w]})" for w, v in out.items()}
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    labels = [t.text for t in legend.iter(f"{SVG}text")][2:]  # after the title and the tips
    assert labels == [
        "source: liquid taken (µL out in the tooltip)",
        "destination: liquid given (µL in)",
    ]


def test_an_8_channel_step_marks_its_whole_column() -> None:
    deck = Deck.from_toml(
        """
        [pipettes]
        left = "p300_multi_gen2"
        [labware]
        1 = "opentrons_96_tiprack_300ul"
        2 = { load_name = "corning_96_wellplate_360ul_flat", name = "Samples" }
        3 = { load_name = "corning_96_wellplate_360ul_flat", name = "Assay" }
        """
    )
    rows = [Row(n, "Samples", f"{r}1", "Assay", f"{r}7", 50) for n, r in enumerate("ABCDEFGH", 2)]
    made = plan(rows, deck)
    assert sum(s.action == "aspirate" for s in made.steps) == 1
    found = marked(plan_svg(made))
    assert found["source"] == {("2", f"{r}1") for r in "ABCDEFGH"}
    assert found["destination"] == {("3", f"{r}7") for r in "ABCDEFGH"}
    assert found["to-use"] == {("1", f"{r}1") for r in "ABCDEFGH"}


COMMAND = [sys.executable, "-m", "otlink", "worklist", "check", "dilution_run.gwl"]
COMMAND += ["--deck", "gwl_deck.toml"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_check_draws_png_and_html(tmp_path: Path) -> None:
    for name in ("deck.png", "deck.html"):
        result = subprocess.run(
            [*COMMAND, "-o", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "COLUMNS": "200"},
            cwd=DATA,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == f"Drew the deck in {tmp_path / name}."
    assert (tmp_path / "deck.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (tmp_path / "deck.html").read_text()
    drawn = marked(
        plan_svg(plan(read_worklist(DATA / "dilution_run.gwl"), Deck.read(DATA / "gwl_deck.toml")))
    )
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('class="well source"') == len(drawn["source"]) > 0
