"""The live display in a notebook, executed by nbclient in a real Jupyter kernel against the
virtual OT-2: one output per run, updated in place (``update_display_data``) with the progress
words and the deck, ending with the deck the run left."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

from otlink.emulator.child_process import EmulatorProcess

NOTEBOOK = Path(__file__).parent / "notebooks" / "live_run_display.ipynb"
SVG = "{http://www.w3.org/2000/svg}"


class RecordingClient(nbclient.NotebookClient):  # type: ignore[misc]
    """nbclient, keeping the type and content of every message each cell's execution sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.messages: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        # the type now: nbclient renames an update_display_data to display_data as it applies it
        self.messages[cell_index].append((msg["header"]["msg_type"], msg["content"]))
        return super().process_message(msg, cell, cell_index)


def _displays(messages: list[tuple[str, dict[str, Any]]], kind: str) -> list[dict[str, Any]]:
    return [content for msg_type, content in messages if msg_type == kind]


def _svg(html: str) -> ET.Element:
    return ET.fromstring(html[html.index("<svg") : html.rindex("</svg>") + len("</svg>")])


def _wells(svg: ET.Element, css_class: str) -> list[str]:
    return [
        e.get("data-well", "")
        for e in svg.iter()
        if css_class in (e.get("class") or "").split() and "well" in (e.get("class") or "")
    ]


@pytest.fixture(scope="module")
def executed(emulator: EmulatorProcess) -> tuple[Any, RecordingClient]:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = RecordingClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OTLINK_ROBOT", emulator.url)  # the kernel's robot: the virtual OT-2
        client.execute()
    return notebook, client


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_protocol_run_updates_one_display_and_ends_with_the_deck(executed):
    notebook, client = executed
    messages = client.messages[2]  # report = otlink.run_protocol_file(...)
    shown = _displays(messages, "display_data")
    assert len(shown) == 1
    display_id = shown[0]["transient"]["display_id"]
    updates = _displays(messages, "update_display_data")
    assert len(updates) >= 2
    assert {u["transient"]["display_id"] for u in updates} == {display_id}
    steps = int(notebook.cells[2].outputs[-1]["text"].split()[0])  # "N commands" printed
    during = [u["data"]["text/html"] for u in updates[:-1]]
    assert all(re.search(rf"step \d+ of {steps}: ", html) for html in during), during[0][:300]
    assert all("<svg" in html for html in during)
    # words and picture are of the same step: a liquid-handling step's well is the highlighted one
    words = [re.search(r"step \d+ of \d+: (\w+)[^(]*? (?:from|into) (\w+) of", h) for h in during]
    handling = [(m.group(2), html) for m, html in zip(words, during, strict=True) if m]
    assert handling, [re.search(r"step [^(]*", html) for html in during]
    for well, html in handling:
        assert _wells(_svg(html), "current") == [well]
    # the end: the deck the run left, and the notebook keeps that picture in the cell
    last = updates[-1]["data"]
    assert f"succeeded: {steps} steps" in last["text/plain"]
    end = _svg(last["text/html"])
    assert not _wells(end, "current")
    plate = next(
        g
        for g in end.iter(f"{SVG}g")
        if g.get("data-load-name") == "corning_96_wellplate_360ul_flat"
    )
    filled = [e for e in plate if "filled" in (e.get("class") or "")]
    assert len(filled) == 48 and all(e.get("fill") == "#1f77b4" for e in filled)
    kept = [o for o in notebook.cells[2].outputs if o["output_type"] == "display_data"]
    assert kept[0]["data"]["text/html"] == last["text/html"]


def test_interactive_cells_update_the_display_made_by_the_first(executed):
    notebook, client = executed
    made = _displays(client.messages[4], "display_data")
    assert len(made) == 1
    display_id = made[0]["transient"]["display_id"]
    after_cell = _displays(client.messages[5], "update_display_data")
    assert after_cell and after_cell[-1]["transient"]["display_id"] == display_id
    html = after_cell[-1]["data"]["text/html"]
    assert "dispense 100 µL into B1 of Corning 96 Well Plate 360 µL Flat in slot 2" in html
    assert _wells(_svg(html), "current") == ["B1"]
    closed = _displays(client.messages[6], "update_display_data")[-1]["data"]["text/plain"]
    assert closed.startswith("Live run on http://127.0.0.1:") and "succeeded: " in closed
    kept = [o for o in notebook.cells[4].outputs if o["output_type"] == "display_data"]
    assert kept[0]["data"]["text/plain"] == closed


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_nothing_of_it_outside_a_notebook(emulator: EmulatorProcess):
    """A live run in a script makes no display and imports no IPython."""
    code = (
        "import sys, otlink\n"
        f"with otlink.get_protocol_api('2.20', robot={emulator.url!r}) as protocol:\n"
        "    protocol.load_labware('opentrons_96_tiprack_300ul', 1)\n"
        "    print(protocol.notebook_display, 'IPython' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["None", "False"], result.stderr


def test_a_legacy_context_is_displayed_from_its_robot_commands(executed):
    _, client = executed
    after_cell = _displays(client.messages[8], "update_display_data")[-1]["data"]
    assert (
        "dispense 100 µL into D1 of Corning 96 Well Plate 360 µL Flat in slot 5"
        in (after_cell["text/plain"])
    )
    assert _wells(_svg(after_cell["text/html"]), "current") == ["D1"]
    closed = _displays(client.messages[9], "update_display_data")[-1]["data"]
    assert "succeeded: " in closed["text/plain"]
    end = _svg(closed["text/html"])
    rack = next(
        g for g in end.iter(f"{SVG}g") if g.get("data-load-name") == "opentrons_96_tiprack_300ul"
    )
    assert [e.get("data-well") for e in rack if "used" in (e.get("class") or "").split()] == ["A1"]
