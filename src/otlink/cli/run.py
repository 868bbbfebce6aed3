"""``otlink run``: run a protocol file live on a robot, command by command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from rich.markup import escape

from otlink.extras import require_extra
from otlink.input_files import input_file

from .failures import reports_failures
from .file_arguments import LABWARE_FILES, OFFSETS_FILE, PROTOCOL_FILE
from .live_progress import LiveProgress
from .output import Output, command_output
from .robot_option import RobotChoice, robot_option
from .run_follow import PAUSE_CHOICES, PauseChoice
from .upload_run import run_uploaded


def parse_parameters(pairs: tuple[str, ...], option: str = "--param") -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint=option)
        values[name] = value
    return values


def data_file_parameters(pairs: tuple[str, ...]) -> dict[str, Path]:
    """``--data NAME=FILE`` pairs, each FILE there to read."""
    return {
        name: input_file(Path(file), "CSV data file", inside=".csv")
        for name, file in parse_parameters(pairs, "--data").items()
    }


def run_live(
    output: Output,
    protocol: Path,
    robot: RobotChoice,
    *,
    labware: tuple[Path, ...] = (),
    offsets: Path | None = None,
    parameters: dict[str, str] | None = None,
    data: dict[str, Path] | None = None,
    lookahead: int | None = None,
    on_pause: PauseChoice = "ask",
    check: bool = True,
) -> None:
    """Run ``protocol`` live with a progress display; failures raise otlink errors."""
    # The live layer loads opentrons (seconds, and the live extra); only this command needs it.
    require_extra("live", "otlink run without --upload")
    with robot.client() as client:
        client.health()  # a robot that is not there is told before seconds of loading opentrons
        from otlink.live.pauses import ask_to_continue
        from otlink.live.protocol_runner import run_protocol_file
        from otlink.live.robot_run import FILE_LOOKAHEAD

        with LiveProgress(output, f"{protocol.name} on {client.url}") as progress:
            report = run_protocol_file(
                protocol,
                client,
                labware=labware,
                offsets=offsets or (),
                parameters=parameters,
                data=data,
                observers=[progress],
                on_pause=_PAUSE_HANDLERS.get(on_pause, ask_to_continue),
                lookahead=FILE_LOOKAHEAD if lookahead is None else lookahead,
                check=check,
                on_checked=progress.planned,
            )
    output.line(
        f"[green]Done:[/] {escape(report.protocol)} — {report.commands} robot commands in"
        f" {report.seconds:.1f} s (robot run {report.robot_run_id})."
    )
    output.data(
        {
            "protocol": report.protocol,
            "robotRunId": report.robot_run_id,
            "commands": report.commands,
            "seconds": round(report.seconds, 3),
            "checkedSteps": report.check.steps if report.check else None,
            "estimatedSeconds": round(report.check.seconds) if report.check else None,
        }
    )


def _go_on(message: str) -> None:
    print(f"Paused: {message} (--on-pause resume: going on)", file=sys.stderr, flush=True)


def _stop_at_pause(message: str) -> None:
    raise RuntimeError(f"stopped at a pause (--on-pause stop): {message}")


_PAUSE_HANDLERS: dict[str, Callable[[str], None]] = {"resume": _go_on, "stop": _stop_at_pause}


@click.command()
@click.argument("protocol", type=PROTOCOL_FILE)
@robot_option
@click.option(
    "--labware",
    multiple=True,
    type=LABWARE_FILES,
    help="Custom labware: a JSON definition or a folder of them (repeatable).",
)
@click.option(
    "--offsets",
    type=OFFSETS_FILE,
    help="Labware offsets: a JSON list of {definitionUri, location, vector}.",
)
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A run-time parameter."
)
@click.option(
    "--upload",
    is_flag=True,
    help="Upload the whole protocol and let the robot run it on its own (the laptop may sleep).",
)
@click.option(
    "--data",
    multiple=True,
    metavar="NAME=FILE",
    help="A CSV data file for the CSV parameter NAME (repeatable).",
)
@click.option("--detach", is_flag=True, help="With --upload: return once the run has started.")
@click.option(
    "--lookahead",
    type=click.IntRange(min=0),
    metavar="N",
    help="Live runs: send up to N commands ahead of the robot (default 128; 0: wait for each).",
)
@click.option(
    "--on-pause",
    type=click.Choice(PAUSE_CHOICES),
    default="ask",
    show_default=True,
    help="At a pause: ask (on a terminal; elsewhere wait), wait for a resume from elsewhere"
    " (the App, otlink runs resume), resume at once, or stop the run.",
)
@click.option(
    "--no-check",
    is_flag=True,
    help="Live runs: skip the whole-protocol check on the laptop before the robot moves.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@reports_failures
def run(
    protocol: Path,
    robot: RobotChoice,
    labware: tuple[Path, ...],
    offsets: Path | None,
    params: tuple[str, ...],
    upload: bool,
    data: tuple[str, ...],
    detach: bool,
    lookahead: int | None,
    on_pause: PauseChoice,
    no_check: bool,
    as_json: bool,
) -> None:
    """Run PROTOCOL live on a robot: each step is checked on a local simulating engine, then
    runs on the robot as an atomic command, with the robot's errors at your protocol's line.

    \b
    Examples:
      otlink run transfer.py --robot 10.0.0.5
      OTLINK_ROBOT=ot2.local otlink run dilution.py --param steps=8 --labware ./labware
      otlink run plate.py --robot 10.0.0.5 --data plate_map=map.csv

    With --upload the robot runs the whole protocol itself, shown with a progress bar; Ctrl-C
    offers to pause, stop or detach.

    \b
      otlink run transfer.py --upload --robot 10.0.0.5 --data plate_map=map.csv
      otlink run long_pcr.py --upload --detach --offsets offsets.json
    """
    output = command_output(as_json=as_json)
    data_files = data_file_parameters(data)
    if upload:
        run_uploaded(
            output,
            protocol,
            robot,
            labware=labware,
            offsets=offsets,
            parameters=parse_parameters(params),
            data=data_files,
            detach=detach,
            on_pause=on_pause,
        )
        return
    if detach:
        raise click.UsageError("--detach goes with --upload")
    run_live(
        output,
        protocol,
        robot,
        labware=labware,
        offsets=offsets,
        parameters=parse_parameters(params),
        data=data_files,
        lookahead=lookahead,
        on_pause=on_pause,
        check=not no_check,
    )
