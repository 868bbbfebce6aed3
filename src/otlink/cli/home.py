"""``otlink home``: home the robot's axes."""

from __future__ import annotations

import click
from rich.markup import escape

from .failures import reports_failures
from .output import command_output
from .records import json_option
from .robot_option import RobotChoice, robot_option


@click.command()
@click.option(
    "--mount",
    type=click.Choice(["left", "right"]),
    help="Home only this pipette's mount (default: the whole robot).",
)
@robot_option
@json_option
@reports_failures
def home(mount: str | None, robot: RobotChoice, as_json: bool) -> None:
    """Home the robot (every axis), or one pipette with --mount.

    Refused while a run is moving the robot.

    \b
    Examples:
      otlink home --robot 10.0.0.5
      otlink home --mount left
    """
    output = command_output(as_json=as_json)
    with robot.client() as client:
        if mount == "left":
            answer = client.home("pipette", "left")
        elif mount == "right":
            answer = client.home("pipette", "right")
        else:
            answer = client.home()
    output.line(escape(answer.message))
    output.data({"message": answer.message, "mount": mount})
