"""The progress display of ``otlink run --upload``: a rich bar on a terminal, plain lines
elsewhere."""

from __future__ import annotations

from rich.console import Console

from otlink.cli.output import Output
from otlink.cli.run_progress import RunProgress
from otlink.models import CommandSummary


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
    assert "aspirate 50 µL A1" in screen  # the command running now: the third planned
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
    assert lines[3].endswith("3/4 aspirate 50 µL A1: succeeded")
    assert lines[4].endswith("4/4 dispense 50 µL B1: failed")
    assert progress.failed is not None and progress.failed.commandType == "dispense"


def test_more_commands_than_planned_raise_the_total() -> None:
    output = recorded_output()
    with RunProgress(output, "t", PLANNED[:1]) as progress:
        progress.finished(PLANNED[0])
        progress.finished(PLANNED[1])
        assert progress.total == 2 and progress.current == "finishing"
