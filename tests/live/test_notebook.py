"""A live context in a notebook: a repr that says what it is, a pause that never raises."""

from __future__ import annotations

import builtins
from pathlib import Path

import nbclient
import nbformat
import pytest

from otlink.emulator.child_process import EmulatorProcess
from otlink.live import get_protocol_api
from otlink.live.pauses import ask_to_continue


@pytest.mark.parametrize("level", ["2.20", "2.13"])
def test_the_context_says_its_level_robot_run_and_what_is_loaded(
    level: str, emulator: EmulatorProcess
) -> None:
    with get_protocol_api(level, robot=emulator.url) as protocol:
        assert "pipettes none; labware" in repr(protocol)
        tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
        protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        shown = repr(protocol)
    assert shown.startswith(f"<LiveProtocolContext apiLevel {level} on {emulator.url}, run ")
    assert protocol.robot_run.id in shown
    assert "pipettes p300_single_gen2 (left)" in shown
    assert "opentrons_96_tiprack_300ul (1)" in shown


class StdinNotImplementedError(NotImplementedError):
    """What ipykernel's input() raises where the notebook's frontend takes no input (a
    notebook run headless). No notebook frontend runs here, so input() is replaced by one
    that raises it, as the kernel's does."""


def test_a_pause_where_the_notebook_takes_no_input_goes_on_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def kernel_input(prompt: str = "") -> str:
        raise StdinNotImplementedError(
            "raw_input was called, but this frontend does not support input requests."
        )

    monkeypatch.setattr(builtins, "input", kernel_input)
    ask_to_continue("Add the buffer.")
    assert "Nobody can answer here (no input), so the protocol goes on" in capsys.readouterr().err


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_pause_in_a_kernel_without_input_says_how_to_wait(tmp_path: Path) -> None:
    # A real Jupyter kernel, run headless as nbclient runs it (allow_stdin False): its input()
    # raises StdinNotImplementedError, and the pause must not.
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from otlink.live.pauses import ask_to_continue\n"
            "ask_to_continue('Add the buffer.')\n"
            "print('went on')"
        )
    ]
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = notebook.cells[0].outputs
    text = "".join(output.get("text", "") for output in outputs)
    assert not [output for output in outputs if output.output_type == "error"]
    assert "Paused: Add the buffer. Nobody can answer here" in text
    assert "on_pause=handler" in text and text.rstrip().endswith("went on")
