"""``otlink runs report ID -o report.html``: a run's report, one HTML file that opens offline."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from otlink.extras import require_extra

from .exit_codes import ExitCode
from .failures import reports_failures
from .file_arguments import PROTOCOL_FILE
from .output import command_output
from .robot_option import RobotChoice, robot_option


@click.command("report")
@click.argument("run_id", metavar="ID")
@robot_option
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The report to write: a .html file.",
)
@click.option(
    "--protocol",
    "source",
    type=PROTOCOL_FILE,
    help="The run's protocol file here, to show the source of the line an error names.",
)
@reports_failures
def runs_report(run_id: str, robot: RobotChoice, output_path: Path, source: Path | None) -> None:
    """Write a run's report: its summary, a time line of its commands, its errors at the
    protocol's line, and the deck at its start and end; one HTML file that needs no network.

    \b
    Examples:
      otlink runs report RUN_ID -o report.html
      otlink runs report RUN_ID --robot 10.0.0.5 --protocol transfer.py -o report.html
    """
    output = command_output()
    _check_writable(output_path)
    require_extra("deck", "otlink runs report")
    from otlink.deck import robot_run_report  # opentrons loads with it: only this command needs it

    with robot.client() as client:
        report = robot_run_report(client, run_id, source=source)
    try:
        output_path.write_text(report, encoding="utf-8")
    except OSError as error:
        click.get_current_context().exit(
            output.fail(f"cannot write {output_path}: {error.strerror}", ExitCode.USAGE)
        )
    output.line(f"[green]Wrote[/] {escape(str(output_path))}: the report of run {escape(run_id)}.")


def _check_writable(path: Path) -> None:
    """Refuse a path the report cannot go to before asking the robot anything."""
    if path.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter(f"{path.name} is not an .html file", param_hint="-o/--output")
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder", param_hint="-o/--output")
    if not path.parent.is_dir():
        raise click.BadParameter(
            f"{path.parent} is not a folder: make it first", param_hint="-o/--output"
        )
