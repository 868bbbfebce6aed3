"""The command sink of a live run: what every strategy offers live code, and how a run ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from otlink.client import RobotClient
    from otlink.models import Command

__all__ = ["Origin", "RunEnd", "RunStrategy"]

#: Where a command was issued: ``(file name, line)`` of the protocol's code.
Origin = tuple[str, int]


@dataclass(frozen=True)
class RunEnd:
    """How a live run ended on the robot.

    ``status`` is the robot's final status (``succeeded``, ``failed``, ``stopped``; for a
    recording, ``recorded``), ``commands_ran`` how many commands the robot ran (holds otlink
    added not counted), and ``problem`` why the robot could not be told, if it could not.

    Example::

        end = run.stop()
        print(f"the robot ran {end.commands_ran} commands; the run is {end.status}")
    """

    run_id: str
    status: str
    commands_ran: int
    last_command: str | None = None
    problem: str | None = None


class RunStrategy(Protocol):
    """How a live run's commands reach the robot (or do not, for a recording).

    ``execute`` is called in the protocol's order; then exactly one of ``finish`` (the
    protocol is complete) or ``stop`` (anything else: a failure, Ctrl-C, a closed notebook).
    Both leave no active run on the robot, and are safe to call again.
    """

    @property
    def run_id(self) -> str:
        """The robot's run id (a made-up one for a recording)."""
        ...

    @property
    def client(self) -> RobotClient | None:
        """The client of the robot, or None for a recording that has no robot."""
        ...

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        """Run one command: return it done (waited), or None if it runs later (lookahead)
        or never (recording). A robot failure raises CommandFailed, here or later."""
        ...

    def sync(self) -> None:
        """Return once the robot has run every command so far; raise a failure of one."""
        ...

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        """Give the run a custom labware definition; returns its ``definitionUri``."""
        ...

    def finish(self) -> RunEnd:
        """Everything was issued: let the robot run it and record the run as it ended."""
        ...

    def stop(self) -> RunEnd:
        """End the run now (what ran, ran); the robot records it stopped, or failed."""
        ...
