"""``otlink worklist check | run | export``: transfers from a spreadsheet, planned, checked
before the robot moves, then run live or written out as a protocol."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from otlink.extras import require_extra

from .exit_codes import ExitCode
from .failures import reports_failures
from .file_arguments import InputFile
from .live_progress import LiveProgress
from .output import Output, command_output
from .robot_option import RobotChoice, robot_option


def _planning_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every worklist command plans with."""
    from otlink.worklist.steps import TIP_POLICIES  # light: no opentrons behind it

    options = [
        click.argument("worklist", type=InputFile("worklist")),
        click.option(
            "--deck",
            "deck_file",
            type=InputFile("deck file", inside=".toml"),
            required=True,
            help="The deck: a TOML file (pipettes, labware by slot) or a protocol file.",
        ),
        click.option(
            "--new-tip",
            type=click.Choice(TIP_POLICIES),
            default="always",
            show_default=True,
            help="When to take a fresh tip (a row's own column wins).",
        ),
        click.option(
            "--multi-dispense",
            is_flag=True,
            help="One aspirate for consecutive rows from one source that keep their tip.",
        ),
        click.option(
            "--disposal-volume",
            type=click.FloatRange(min=0),
            metavar="UL",
            help="With --multi-dispense: extra µL aspirated, then blown out (default:"
            " the pipette's minimum).",
        ),
        click.option(
            "--no-multichannel",
            is_flag=True,
            help="Never group eight rows of a column into one 8-channel step.",
        ),
        click.option(
            "--volume-unit",
            type=click.Choice(["µL", "uL", "nL", "mL"]),
            default="µL",
            help="Volumes' unit where the header names none (Echo pick lists: nL).",
        ),
        click.option(
            "--ignore-column",
            "ignore_columns",
            multiple=True,
            metavar="NAME",
            help="A column that only informs (repeatable).",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _plan(output: Output, arguments: dict[str, Any], from_row: int | None = None) -> Any:
    """Read, plan and check; a bad row exits 2 naming every problem (nothing has moved)."""
    require_extra("worklist", "otlink worklist")
    from otlink import worklist

    ctx = click.get_current_context()
    try:
        deck = worklist.deck_from_file(arguments["deck_file"])
        rows = worklist.read_worklist(
            arguments["worklist"],
            volume_unit=arguments["volume_unit"].replace("u", "µ"),
            ignore_columns=arguments["ignore_columns"],
        )
        options = worklist.PlanOptions(
            new_tip=arguments["new_tip"],
            multi_dispense=arguments["multi_dispense"],
            disposal_volume=arguments["disposal_volume"],
            multichannel=not arguments["no_multichannel"],
            from_row=from_row,
        )
        return worklist.plan(rows, deck, options)
    except worklist.WorklistInvalid as invalid:
        name = arguments["worklist"].name
        count = len(invalid.problems)
        if output.as_json:
            problems = [vars(problem) for problem in invalid.problems]
            output.data({"error": f"{name}: {count} problems", "problems": problems, "exitCode": 2})
            ctx.exit(ExitCode.USAGE)
        for problem in invalid.problems:
            output.errors.print(
                f"[bold red]error:[/] {escape(name)} {escape(str(problem))}", soft_wrap=True
            )
        hint = "nothing ran; fix these rows (or the deck file) and check again"
        ctx.exit(
            output.fail(f"{name}: {count} problem{'s' * (count != 1)}", ExitCode.USAGE, hint=hint)
        )


@click.group()
def worklist() -> None:
    """Transfers from a spreadsheet (CSV, TSV, XLSX), a Tecan .gwl or JSON, on a deck file.

    \b
    Examples:
      otlink worklist check picklist.csv --deck deck.toml
      otlink worklist check picklist.csv --deck deck.toml -o deck.png
      otlink worklist run picklist.csv --deck deck.toml --robot 10.0.0.5 --new-tip per-source
      otlink worklist export dilution.gwl --deck deck.toml -o dilution.py
      otlink worklist run picklist.csv --deck deck.toml --from-row 57   # after a failure
    """


@worklist.command()
@_planning_options
@click.option("--steps", is_flag=True, help="Also print every step of the plan.")
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan as JSON (to diff, or to read in a program).",
)
@click.option(
    "-o",
    "--output",
    "picture",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the deck: sources, destinations and the tips the plan uses (.svg, .png, .html).",
)
@reports_failures
def check(steps: bool, plan_file: Path | None, picture: Path | None, **arguments: Any) -> None:
    """Plan WORKLIST on the deck and check every row; print what it takes.

    Nothing moves: bad rows are reported with their row number (exit 2).
    """
    from otlink.worklist import summarise

    output = command_output(as_json=arguments["as_json"])
    if picture and picture.suffix.lower() not in (".svg", ".png", ".html"):
        raise click.BadParameter("a deck picture is .svg, .png or .html", param_hint="-o")
    plan = _plan(output, arguments)
    summary = summarise(plan)
    if plan_file:
        plan.save(plan_file)
    output.line(escape(summary.text()))
    if picture:
        from otlink.worklist.picture import write_plan_picture

        write_plan_picture(plan, picture)
        output.line(f"Drew the deck in {escape(str(picture))}.")
    if steps:
        for line in plan.lines():
            output.line(escape(f"  {line}"))
    output.data({**summary.to_json(), **({"steps": plan.to_json()["steps"]} if steps else {})})


@worklist.command()
@_planning_options
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The protocol file to write.",
)
@reports_failures
def export(target: Path, **arguments: Any) -> None:
    """Write WORKLIST on the deck as an ordinary Protocol API file (for otlink run --upload or
    the Opentrons App); each step notes its rows."""
    from otlink.worklist import protocol_text

    output = command_output(as_json=arguments["as_json"])
    plan = _plan(output, arguments)
    target.write_text(protocol_text(plan).text, encoding="utf-8")
    custom = [item.definition for item in plan.deck.labware.values() if item.custom]
    output.line(f"Wrote {escape(str(target))}: {len(plan.steps)} steps for {plan.rows} rows.")
    if custom:
        output.line("It loads custom labware: give their JSON files with it (--labware).")
    output.data({"protocol": str(target), "steps": len(plan.steps), "rows": plan.rows})


@worklist.command(name="run")
@_planning_options
@robot_option
@click.option(
    "--from-row",
    type=click.IntRange(min=1),
    metavar="N",
    help="Resume at row N (after a failure there): rows before it are done, and the"
    " tips they and row N were given count as used.",
)
@click.option(
    "--lookahead",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="Send up to N commands ahead of the robot (default 0: wait for each).",
)
@reports_failures
def run_worklist(
    robot: RobotChoice, from_row: int | None, lookahead: int, **arguments: Any
) -> None:
    """Run WORKLIST live on a robot: checked first (nothing moves on a bad row or a step the
    engine refuses), then each step runs as in otlink run, with the row of any failure."""
    output = command_output(as_json=arguments["as_json"])
    name = arguments["worklist"].name
    with robot.client() as client:
        client.health()  # a robot that is not there is told before planning
        plan = _plan(output, arguments, from_row)
        from otlink.worklist import run

        with LiveProgress(output, f"{name} on {client.url}") as progress:
            report = run(
                plan,
                client,
                observers=[progress],
                lookahead=lookahead,
                on_checked=progress.planned,
            )
    output.line(
        f"[green]Done:[/] {escape(name)} — {plan.rows} rows, {report.commands} robot commands in"
        f" {report.seconds:.1f} s (robot run {report.robot_run_id})."
    )
    output.data(
        {
            "worklist": name,
            "rows": plan.rows,
            "robotRunId": report.robot_run_id,
            "commands": report.commands,
            "seconds": round(report.seconds, 3),
        }
    )


__all__ = ["worklist"]
