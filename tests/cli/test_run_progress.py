"""The progress display of ``otlink run --upload``: a rich bar on a terminal, plain lines
elsewhere."""

from __future__ import annotations

import io

from rich.console import Console

from otlink.cli.labware_names import display_name
from otlink.cli.output import Output
from otlink.cli.run_progress import RunProgress
from otlink.models import CommandSummary, LoadedLabware
from otlink.models.command_words import CommandWords


def command(command_type: str, status: str = "succeeded", **params: object) -> CommandSummary:
    return CommandSummary(
        id=f"{command_type}-1",
        commandType=command_type,
        createdAt="2024-10-24T12:00:00+00:00",
        status=status,
        params=params,
    )


PLANNED = [
    command("home"),
    command("pickUpTip", wellName="A1"),
    command("aspirate", volume=50, wellName="A1"),
    command("dispense", volume=50, wellName="B1"),
]


def recorded_output() -> Output:
    output = Output()
    output.console = Console(record=True, force_terminal=True, width=120)
    return output


def test_the_bar_shows_done_of_total_the_current_command_and_times() -> None:
    output = recorded_output()
    with RunProgress(output, "transfer.py on robot", PLANNED) as progress:
        progress.finished(PLANNED[0])
        progress.finished(PLANNED[1])
        assert progress._bar is not None
        progress._bar.refresh()
        screen = output.console.export_text()
    assert "transfer.py on robot" in screen
    assert "2/4" in screen
    assert "aspirate 50 µL from A1" in screen  # the command running now: the third planned
    assert "0:00:00" in screen  # elapsed
    assert "left" in screen


def test_a_paused_run_says_so_in_the_bar() -> None:
    output = recorded_output()
    with RunProgress(output, "t", PLANNED) as progress:
        progress.note("paused (Ctrl-C to resume, stop or detach)")
        assert progress._bar is not None
        progress._bar.refresh()
        assert "paused (Ctrl-C to resume" in output.console.export_text()


def test_plain_lines_when_the_output_is_not_a_terminal(capsys) -> None:
    output = Output()
    output.console = Console(force_terminal=False, width=200)
    with RunProgress(output, "transfer.py on robot", PLANNED) as progress:
        for planned in PLANNED[:3]:
            progress.finished(planned)
        progress.finished(command("dispense", "failed", volume=50, wellName="B1"))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "transfer.py on robot: 4 commands planned"
    assert lines[3].endswith("3/4 aspirate 50 µL from A1: succeeded")
    assert lines[4].endswith("4/4 dispense 50 µL into B1: failed")
    assert progress.failed is not None and progress.failed.commandType == "dispense"


def test_more_commands_than_planned_raise_the_total() -> None:
    output = recorded_output()
    with RunProgress(output, "t", PLANNED[:1]) as progress:
        progress.finished(PLANNED[0])
        progress.finished(PLANNED[1])
        assert progress.total == 2 and progress.current == "finishing"


def test_the_bar_stays_readable_at_80_columns() -> None:
    output = Output()
    output.console = Console(record=True, force_terminal=True, width=80)
    reservoir = LoadedLabware(
        id="r",
        loadName="nest_12_reservoir_15ml",
        definitionUri="opentrons/nest_12_reservoir_15ml/1",
        location={"slotName": "2"},
    )
    words = CommandWords([reservoir], name_of=display_name)
    planned = [command("home"), command("aspirate", volume=100, labwareId="r", wellName="A1")]
    title = "serial_dilution_for_the_whole_plate.py on http://192.168.100.200:31950"
    with RunProgress(output, title, planned, words) as progress:
        progress.finished(planned[0])
        assert progress._bar is not None
        screen = Console(record=True, width=80, file=io.StringIO())
        screen.print(progress._bar.get_renderable())  # the display as drawn now
    last = screen.export_text().rstrip("\n").split("\n")
    assert all(len(line) <= 80 for line in last)
    assert last[0].startswith("serial_dilution_for_the_whole_plate.py on http://")
    assert "1/2" in last[1] and "elapsed" in last[1] and "left" in last[1] and "━" in last[1]
    assert last[2] == "aspirate 100 µL from A1 of NEST 12 Well Reservoir 15 mL in slot 2"
