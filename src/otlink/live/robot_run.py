"""The live run on the robot that a live protocol's commands are mirrored into."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.errors import ApiError, OtlinkError
from otlink.models import Command

_log = logging.getLogger(__name__)


class RobotRun:
    """A live run (never played): every command runs at once, as an atomic setup command.

    Example::

        with RobotClient("10.0.0.5") as client:
            run = RobotRun(client)
            run.execute("home", {})
            run.close()
    """

    def __init__(
        self, client: RobotClient, labware_offsets: Iterable[Mapping[str, Any]] = ()
    ) -> None:
        self.client = client
        self.id = client.create_run(labware_offsets=list(labware_offsets)).id
        self.closed = False
        self.observers: list[Callable[[str, Mapping[str, Any]], None]] = []

    def execute(self, command_type: str, params: Mapping[str, Any]) -> Command:
        """Run one command on the robot and wait for it; a failure raises CommandFailed.

        Observers hear of it first (a progress display, a log).
        """
        for observer in self.observers:
            observer(command_type, params)
        return self.client.enqueue_command(self.id, command_type, params)

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.id, definition)

    def close(self) -> None:
        """Archive the run, so the robot is free for the next one. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        try:
            run = self.client.get_run(self.id)
            if run.current:
                self.client.archive_run(self.id)
        except ApiError as error:
            _log.warning("Could not archive robot run %s: %s", self.id, error)
        except OtlinkError as error:
            _log.warning("Robot unreachable while closing run %s: %s", self.id, error)
