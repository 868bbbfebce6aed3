"""Which robot a command talks to, and how long it waits for it: ``--robot`` and ``--timeout``.

The address comes from :func:`otlink.client.robot_address.resolve_robot` (``--robot``, then
``OTLINK_ROBOT``, then the config file), as for ``get_protocol_api()``.

Example::

    @click.command()
    @robot_option
    def lights(robot: RobotChoice) -> None:
        with robot.client() as client: ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import click

from otlink.client import ClientOptions, RobotClient
from otlink.client.robot_address import ROBOT_VARIABLE, resolve_robot

F = TypeVar("F", bound=Callable[..., Any])

#: Seconds a command waits for the robot to answer, by default: a robot that accepts
#: connections but never answers is reported within 10 s, start-up included.
DEFAULT_TIMEOUT = 6.0


@dataclass(frozen=True)
class RobotChoice:
    """The robot a command was told to use (or None: look it up) and its ``--timeout``."""

    given: str | None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def address(self) -> str:
        return resolve_robot(self.given)

    def named(self, name: str | None) -> RobotChoice:
        """This choice with the robot ``name`` given another way (an argument), if any."""
        return replace(self, given=name or self.given)

    def options(self) -> ClientOptions:
        # Retries (a robot that refuses while it reboots) fit in the same time: see ClientOptions.
        return ClientOptions(timeout=self.timeout, connect_timeout=min(self.timeout, 5.0))

    def client(self) -> RobotClient:
        return RobotClient(self.address, options=self.options())


def robot_option(command: F) -> F:
    """Add ``--robot`` and ``--timeout`` to a command, handed to it as ``robot: RobotChoice``."""

    @functools.wraps(command)
    def wrapper(*args: Any, robot: str | None, timeout: float, **kwargs: Any) -> Any:
        return command(*args, robot=RobotChoice(robot, timeout), **kwargs)

    with_timeout = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for the robot to answer a request, retries included.",
    )(wrapper)
    return click.option(  # type: ignore[return-value]
        "--robot",
        metavar="HOST[:PORT]",
        help=f"The robot (default: ${ROBOT_VARIABLE}, then robot = ... in the config file).",
    )(with_timeout)
