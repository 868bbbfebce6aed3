"""``otlink status``: the robot at a glance."""

from __future__ import annotations

from typing import Any

import click

from otlink.client import RobotClient
from otlink.discovery import probe_robot

from .failures import reports_failures
from .output import command_output
from .records import json_option, show_fields
from .robot_option import RobotChoice, robot_option


def robot_status(client: RobotClient) -> dict[str, Any]:
    """Health, versions, pipettes, modules, lights and the current run of the robot."""
    health = client.health()
    found = probe_robot(client.url)
    pipettes = client.get_pipettes()
    current = next((run for run in reversed(client.list_runs()) if run.current), None)
    return {
        "name": health.name,
        "address": client.url,
        "model": health.robot_model,
        "robotSoftware": health.api_version,
        "system": health.system_version,
        "httpApiVersion": found.http_api_version if found else None,
        "firmware": health.fw_version,
        "protocolApi": _versions(health.minimum_protocol_api_version)
        + " - "
        + _versions(health.maximum_protocol_api_version),
        "left": pipettes.left.name or "empty",
        "right": pipettes.right.name or "empty",
        "modules": [f"{m.moduleModel} ({m.serialNumber})" for m in client.list_modules()],
        "lights": "on" if client.get_lights().on else "off",
        "currentRun": current.id if current else None,
        "currentRunStatus": str(current.status) if current else None,
    }


def _versions(version: list[int]) -> str:
    return ".".join(str(part) for part in version) or "?"


@click.command()
@click.argument("robot_name", metavar="[ROBOT]", required=False)
@robot_option
@json_option
@reports_failures
def status(robot_name: str | None, robot: RobotChoice, as_json: bool) -> None:
    """Show a robot's health, software and HTTP API versions, pipettes, modules, lights and
    current run.

    \b
    Examples:
      otlink status 10.0.0.5
      otlink status --json          # the robot from $OTLINK_ROBOT or the config file
    """
    output = command_output(as_json=as_json)
    with robot.named(robot_name).client() as client:
        record = robot_status(client)
    show_fields(output, record, title=f"{record['name']} ({record['model']})")
