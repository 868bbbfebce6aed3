"""``otlink deck``: a picture of the deck for a protocol (dry-run here, as ``otlink run``
checks it) or a robot run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from otlink.client import RobotClient
from otlink.client.labware_files import load_labware_definitions
from otlink.client.robot_address import resolve_robot
from otlink.extras import require_extra

from .exit_codes import ExitCode
from .failures import reports_failures
from .file_arguments import LABWARE_FILES, PROTOCOL_FILE
from .output import Output, command_output
from .run import data_file_parameters, parse_parameters


@click.command()
@click.argument("protocol", required=False, type=PROTOCOL_FILE)
@click.option("--robot", metavar="HOST[:PORT]", help="Draw a robot run's deck, not a protocol's.")
@click.option("--run", "run_id", metavar="ID", help="With --robot: the run (default: the newest).")
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A run-time parameter."
)
@click.option(
    "--labware",
    multiple=True,
    type=LABWARE_FILES,
    help="Custom labware: a JSON definition or a folder of them (repeatable).",
)
@click.option("--data", multiple=True, metavar="NAME=FILE", help="A CSV file for parameter NAME.")
@click.option(
    "--at",
    type=click.Choice(["start", "end"]),
    default="start",
    show_default=True,
    help="The set-up to make (start) or the deck the run leaves (end).",
)
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The picture: deck.svg, deck.png or deck.html.",
)
@reports_failures
def deck(
    protocol: Path | None,
    robot: str | None,
    run_id: str | None,
    params: tuple[str, ...],
    labware: tuple[Path, ...],
    data: tuple[str, ...],
    at: str,
    output_path: Path,
) -> None:
    """Draw the OT-2 deck for PROTOCOL (simulated here), or for a robot run: every labware
    from its definition, modules, the tips it uses, wells coloured by liquid; and print the
    set-up to make.

    \b
    Examples:
      otlink deck transfer.py -o deck.png
      otlink deck pcr.py --param samples=24 --labware ./labware --at end -o end.html
      otlink deck --robot 10.0.0.5 --run RUN_ID -o robot.svg
    """
    output = command_output()
    if output_path.suffix.lower() not in (".svg", ".png", ".html"):
        raise click.BadParameter(
            f"{output_path.name} is not .svg, .png or .html", param_hint="-o/--output"
        )
    if (protocol is None) == (robot is None):
        raise click.UsageError("give a PROTOCOL file or --robot HOST (one of them)")
    require_extra("deck", "otlink deck")
    from otlink import deck as decks  # opentrons loads with it: only this command needs it

    at_start = at == "start"
    if robot is not None:
        if params or labware or data:
            raise click.UsageError("--param, --labware and --data go with a PROTOCOL file")
        with RobotClient(resolve_robot(robot)) as client:
            run_id = run_id or _newest_run(output, client)
            state = decks.deck_from_robot_run(client, run_id)
        title = f"Run {run_id} on {robot}"
    else:
        assert protocol is not None
        if run_id:
            raise click.UsageError("--run goes with --robot")
        state, failure = _dry_run(protocol, params, labware, data)
        title = protocol.name
        if failure:
            decks.write_deck(state, output_path, at_start=at_start, title=title)
            click.get_current_context().exit(
                output.fail(
                    f"{protocol.name}: {failure}",
                    ExitCode.PROTOCOL_FAILED,
                    hint=f"the picture in {output_path} shows the deck up to the failure",
                )
            )
    decks.write_deck(state, output_path, at_start=at_start, title=title)
    _print_setup(output, decks, state)
    output.line(f"[green]Wrote[/] {escape(str(output_path))} ({'set-up' if at_start else 'end'}).")


def _dry_run(
    protocol_path: Path,
    params: tuple[str, ...],
    labware: tuple[Path, ...],
    data: tuple[str, ...],
) -> tuple[Any, Any]:
    """The deck the protocol sets up and leaves, from the dry run ``otlink run`` checks with."""
    from otlink.live.dry_run import dry_run
    from otlink.live.protocol_file import read_protocol

    definitions = load_labware_definitions(labware)
    data_files = data_file_parameters(data)
    protocol = read_protocol(protocol_path, definitions)
    values = protocol.parameters(parse_parameters(params), data_files)
    dry = dry_run(protocol, None, values, definitions)
    state = dry.deck()
    if dry.failure is None:
        state.current = None  # a protocol that ran to its end: no step to point at
    return state, dry.failure


def _newest_run(output: Output, client: RobotClient) -> str:
    runs = client.list_runs()
    if not runs:
        click.get_current_context().exit(
            output.fail("the robot has no runs", ExitCode.FAILURE, hint="give one with --run ID")
        )
    return runs[-1].id


def _print_setup(output: Output, decks: Any, state: Any) -> None:
    for line in decks.pipette_lines(state):
        output.line(f"pipette {escape(line)}")
    for line in decks.setup_lines(state):
        output.line(escape(str(line)))
