"""``otlink lights``: the robot's rail lights."""

from __future__ import annotations

import click

from .failures import reports_failures
from .output import command_output
from .records import json_option
from .robot_option import RobotChoice, robot_option


@click.command()
@click.argument("state", type=click.Choice(["on", "off"]), required=False)
@robot_option
@json_option
@reports_failures
def lights(state: str | None, robot: RobotChoice, as_json: bool) -> None:
    """Turn the rail lights on or off; without STATE, say whether they are on.

    \b
    Examples:
      otlink lights on --robot 10.0.0.5
      otlink lights
    """
    output = command_output(as_json=as_json)
    with robot.client() as client:
        now = client.get_lights() if state is None else client.set_lights(state == "on")
    output.line(f"Lights are {'on' if now.on else 'off'}.")
    output.data({"on": now.on})
