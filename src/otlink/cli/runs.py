"""``otlink runs list|show|log|pause|resume|play|stop|report``: the runs the robot keeps (the newest
20), and the actions on one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click
from rich.markup import escape

from otlink.client import RobotClient
from otlink.models import CommandSummary, Run
from otlink.models.command_words import CommandWords
from otlink.runs.ending import is_otlink_hold

from .failures import reports_failures
from .labware_names import display_name
from .output import command_output
from .records import format_option, json_option, show_fields, show_records, wants_json
from .robot_option import RobotChoice, robot_option
from .runs_report import runs_report

RUN_COLUMNS = ["id", "status", "protocol", "createdAt", "current"]
LOG_COLUMNS = ["index", "commandType", "status", "seconds", "description", "error"]


def run_record(run: Run, protocol_names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": run.id,
        "status": str(run.status),
        "protocol": protocol_names.get(run.protocolId or "", run.protocolId or "(live run)"),
        "protocolId": run.protocolId,
        "createdAt": run.createdAt,
        "startedAt": run.startedAt,
        "completedAt": run.completedAt,
        "current": run.current,
        "errors": [f"{e.errorType}: {e.detail}" for e in run.errors],
    }


def command_record(index: int, command: CommandSummary, words: CommandWords) -> dict[str, Any]:
    return {
        "index": index,
        "id": command.id,
        "commandType": command.commandType,
        "status": str(command.status),
        "startedAt": command.startedAt,
        "completedAt": command.completedAt,
        "seconds": _seconds(command.startedAt, command.completedAt),
        "description": words(command.commandType, command.params),
        "params": command.params,
        "error": f"{command.error.errorType}: {command.error.detail}" if command.error else None,
    }


def _seconds(started: str | None, completed: str | None) -> float | None:
    if not (started and completed):
        return None
    try:  # Python 3.10 reads neither "Z" nor other than 3 or 6 decimals
        took = _instant(completed) - _instant(started)
    except ValueError:
        return None
    return round(took.total_seconds(), 3)


def _instant(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def _protocol_names(client: RobotClient) -> dict[str, str]:
    return {p.id: p.name for p in client.list_protocols()}


@click.group()
def runs() -> None:
    """The runs the robot keeps: list them, show one, read its commands, pause, resume or stop one.

    \b
    Examples:
      otlink runs list --robot 10.0.0.5
      otlink runs show RUN_ID --json
      otlink runs log RUN_ID --format csv > run.csv
      otlink runs pause RUN_ID && otlink runs resume RUN_ID
      otlink runs stop RUN_ID
      otlink runs report RUN_ID -o report.html
    """


runs.add_command(runs_report)


@runs.command("list")
@robot_option
@format_option
@json_option
@reports_failures
def list_runs(robot: RobotChoice, fmt: str, as_json: bool) -> None:
    """List the runs, oldest first; the current one is marked.

    \b
    Example:
      otlink runs list --format json | jq '.[-1].status'
    """
    output = command_output(as_json=wants_json(fmt, as_json))
    with robot.client() as client:
        names = _protocol_names(client)
        records = [run_record(run, names) for run in client.list_runs()]
    show_records(output, records, RUN_COLUMNS, fmt)


@runs.command("show")
@click.argument("run_id", metavar="ID")
@robot_option
@json_option
@reports_failures
def show_run(run_id: str, robot: RobotChoice, as_json: bool) -> None:
    """Show a run: its status, protocol, times, errors and how many commands it ran.

    \b
    Example:
      otlink runs show 08d62cdc-742d-40ce-bd3e-b911c0cb3253
    """
    output = command_output(as_json=as_json)
    with robot.client() as client:
        run = client.get_run(run_id)
        record = run_record(run, _protocol_names(client) if run.protocolId else {})
        record["commands"] = client.list_commands(run_id, cursor=0, page_length=1).meta.totalLength
        record["pipettes"] = [f"{p.mount}: {p.pipetteName}" for p in run.pipettes]
        record["labware"] = [f"{lw.loadName} {lw.location}" for lw in run.labware]
    show_fields(output, record, title=f"Run {run_id}")


def _run_action(command_name: str, verb: str, doc: str) -> None:
    """Add ``otlink runs COMMAND_NAME ID``, which sends the run action ``verb``."""

    @runs.command(command_name, help=doc)
    @click.argument("run_id", metavar="ID")
    @robot_option
    @json_option
    @reports_failures
    def act(run_id: str, robot: RobotChoice, as_json: bool) -> None:
        output = command_output(as_json=as_json)
        with robot.client() as client:
            getattr(client, f"{verb}_run")(run_id)
            run = (
                client.wait_for_run(run_id, timeout=60)
                if verb == "stop"
                else client.get_run(run_id)
            )
        output.line(f"Run {escape(run_id)} is {run.status}.")
        output.data({"id": run_id, "status": str(run.status)})


_run_action(
    "pause",
    "pause",
    "Pause a running run: the robot finishes its current command, then waits.\n\n"
    "\b\nExample:\n  otlink runs pause 08d62cdc-742d-40ce-bd3e-b911c0cb3253",
)
_run_action(
    "resume",
    "resume",
    "Resume a paused run, also one the protocol paused (protocol.pause(), a manual move).\n\n"
    "\b\nExample:\n  otlink runs resume 08d62cdc-742d-40ce-bd3e-b911c0cb3253",
)
_run_action(
    "play",
    "play",
    "Start a run that was created and not played yet (or resume a paused one).\n\n"
    "\b\nExample:\n  otlink runs play 08d62cdc-742d-40ce-bd3e-b911c0cb3253",
)
_run_action(
    "stop",
    "stop",
    "Stop a run and wait until the robot has stopped it.\n\n"
    "\b\nExample:\n  otlink runs stop 08d62cdc-742d-40ce-bd3e-b911c0cb3253",
)


@runs.command("log")
@click.argument("run_id", metavar="ID")
@robot_option
@format_option
@json_option
@reports_failures
def run_log(run_id: str, robot: RobotChoice, fmt: str, as_json: bool) -> None:
    """List every command of a run: type, status, duration, what it did, its error.

    \b
    Examples:
      otlink runs log 08d62cdc-742d-40ce-bd3e-b911c0cb3253
      otlink runs log 08d62cdc-742d-40ce-bd3e-b911c0cb3253 --format csv > log.csv
    """
    output = command_output(as_json=wants_json(fmt, as_json))
    with robot.client() as client:
        run = client.get_run(run_id)
        words = CommandWords(run.labware, run.modules, name_of=display_name)
        records = [
            command_record(i, c, words)
            for i, c in enumerate(client.iter_commands(run_id))
            if not is_otlink_hold(c.commandType, c.params)
        ]
    show_records(output, records, LOG_COLUMNS, fmt, title=f"Run {run_id}")
