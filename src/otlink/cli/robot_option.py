"""Which robot a command talks to: --robot, then OTLINK_ROBOT, then the config file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROBOT_VARIABLE = "OTLINK_ROBOT"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "otlink" / "config.toml"


class NoRobotGiven(click.UsageError):
    def __init__(self) -> None:
        super().__init__(
            f"no robot given: pass --robot HOST[:PORT], set {ROBOT_VARIABLE}=HOST, or put"
            f' robot = "HOST" in {config_path()}'
        )


def resolve_robot(given: str | None) -> str:
    """The robot's address, from the first of --robot, OTLINK_ROBOT and the config file."""
    if given:
        return given
    if os.environ.get(ROBOT_VARIABLE):
        return os.environ[ROBOT_VARIABLE]
    path = config_path()
    if path.is_file():
        robot = tomllib.loads(path.read_text()).get("robot")
        if isinstance(robot, str) and robot:
            return robot
    raise NoRobotGiven()


robot_option = click.option(
    "--robot",
    metavar="HOST[:PORT]",
    help=f"The robot (default: ${ROBOT_VARIABLE}, then robot = ... in the config file).",
)
