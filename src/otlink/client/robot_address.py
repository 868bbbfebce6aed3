"""Which robot to talk to when none is named in the call: the one place that decides, for the
CLI (``--robot``), ``get_protocol_api()`` and scripts alike.

The first of: the address given, the ``OTLINK_ROBOT`` environment variable, ``robot = "HOST"``
in the config file (``$XDG_CONFIG_HOME/otlink/config.toml``, else ``~/.config/otlink/...``).

Example::

    from otlink.client.robot_address import resolve_robot

    host = resolve_robot()            # e.g. "10.0.0.5", from OTLINK_ROBOT or the config file
    host = resolve_robot("ot2.local") # a given address wins
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from otlink.errors import InputFileError, NoRobotGiven

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

__all__ = ["ROBOT_VARIABLE", "config_path", "resolve_robot"]

ROBOT_VARIABLE = "OTLINK_ROBOT"


def config_path() -> Path:
    """Where otlink's config file is (it need not exist)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "otlink" / "config.toml"


def resolve_robot(given: str | None = None) -> str:
    """The robot's address: ``given``, else ``OTLINK_ROBOT``, else the config file's ``robot``.

    Raises :class:`~otlink.errors.NoRobotGiven` when none of them names one, and
    :class:`~otlink.errors.InputFileError` for a config file that is not TOML.
    """
    if given:
        return given
    if os.environ.get(ROBOT_VARIABLE):
        return os.environ[ROBOT_VARIABLE]
    path = config_path()
    robot = _configured_robot(path) if path.is_file() else None
    if robot:
        return robot
    raise NoRobotGiven(
        "no robot given",
        hint=f'pass --robot HOST[:PORT] (robot="HOST" in Python), set {ROBOT_VARIABLE}=HOST,'
        f' or put robot = "HOST" in {path}',
    )


def _configured_robot(path: Path) -> str | None:
    try:
        config = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        line = _error_line(str(error))
        raise InputFileError(
            f"{path} is not valid TOML: {error}",
            hint='quote text values: robot = "10.0.0.5"',
            file=str(path),
            line=line,
        ) from None
    robot = config.get("robot")
    if robot is not None and not (isinstance(robot, str) and robot):
        raise InputFileError(
            f"{path}: robot must be an address in quotes, not {robot!r}",
            hint='write robot = "10.0.0.5"',
            file=str(path),
        )
    return robot


def _error_line(message: str) -> int | None:
    # tomllib says where in its message only: "... (at line 1, column 9)"
    _, found, rest = message.partition("at line ")
    digits = rest.split(",")[0].strip(") ")
    return int(digits) if found and digits.isdigit() else None
