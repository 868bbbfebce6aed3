"""``otlink protocols list|show|rm``: the protocols stored on the robot."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from otlink.models import AnalysisStatus, Protocol

from .failures import reports_failures
from .output import command_output
from .records import format_option, json_option, show_fields, show_records, wants_json
from .robot_option import RobotChoice, robot_option


def protocol_record(protocol: Protocol) -> dict[str, Any]:
    latest = protocol.analysisSummaries[-1] if protocol.analysisSummaries else None
    return {
        "id": protocol.id,
        "name": protocol.name,
        "type": protocol.protocolType,
        "createdAt": protocol.createdAt,
        "files": ", ".join(f.name for f in protocol.files),
        "analysis": str(latest.status) if latest else "none",
    }


@click.group()
def protocols() -> None:
    """The protocols stored on the robot.

    \b
    Examples:
      otlink protocols list --robot 10.0.0.5
      otlink protocols show 5b5f89e1-2691-46b8-84d3-ddc12c00ae98 --json
      otlink protocols rm 5b5f89e1-2691-46b8-84d3-ddc12c00ae98
    """


@protocols.command("list")
@robot_option
@format_option
@json_option
@reports_failures
def list_protocols(robot: RobotChoice, fmt: str, as_json: bool) -> None:
    """List the robot's protocols, oldest first.

    \b
    Example:
      otlink protocols list --format csv > protocols.csv
    """
    output = command_output(as_json=wants_json(fmt, as_json))
    with robot.client() as client:
        records = [protocol_record(p) for p in client.list_protocols()]
    show_records(output, records, ["id", "name", "type", "createdAt", "analysis"], fmt)


@protocols.command("show")
@click.argument("protocol_id", metavar="ID")
@robot_option
@json_option
@reports_failures
def show_protocol(protocol_id: str, robot: RobotChoice, as_json: bool) -> None:
    """Show a protocol: its files, parameters and newest analysis.

    \b
    Example:
      otlink protocols show 5b5f89e1-2691-46b8-84d3-ddc12c00ae98
    """
    output = command_output(as_json=as_json)
    with robot.client() as client:
        protocol = client.get_protocol(protocol_id)
        record = protocol_record(protocol)
        latest = protocol.analysisSummaries[-1] if protocol.analysisSummaries else None
        if latest is not None and latest.status == AnalysisStatus.COMPLETED:
            analysis = client.get_analysis(protocol_id, latest.id)
            record |= {
                "analysis": str(analysis.result),
                "commands": len(analysis.commands),
                "parameters": analysis.runTimeParameters,
                "errors": [f"{e.errorType}: {e.detail}" for e in analysis.errors],
            }
    show_fields(output, record, title=f"Protocol {record['name']}")
    for parameter in record.get("parameters", []):
        value = parameter.get("value", parameter.get("file", {}).get("name", ""))
        output.line(f"parameter {escape(str(parameter['variableName']))} = {escape(str(value))}")


@protocols.command("rm")
@click.argument("protocol_id", metavar="ID")
@robot_option
@json_option
@reports_failures
def remove_protocol(protocol_id: str, robot: RobotChoice, as_json: bool) -> None:
    """Delete a protocol from the robot (refused while runs use it).

    \b
    Example:
      otlink protocols rm 5b5f89e1-2691-46b8-84d3-ddc12c00ae98
    """
    output = command_output(as_json=as_json)
    with robot.client() as client:
        client.delete_protocol(protocol_id)
    output.line(f"Deleted protocol {escape(protocol_id)}.")
    output.data({"deleted": protocol_id})
