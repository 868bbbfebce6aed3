"""The waited strategy: each command runs at once, as an atomic setup command, and is waited
for on the robot (``waitUntilComplete``): one request per command, the client's floor.

The robot records such a run ``succeeded`` when it is complete (it is played, empty, at its end)
and ``stopped`` otherwise, also after a robot failure, whose error is on the failed command: the
engine fails a run only for a failed protocol-intent command of a played run, and a played live
run ends as soon as nothing is queued, so a waited protocol command would need a hold behind it
and a play to release it (three requests per command, and a play that reaches the robot before
its hold has started is lost). tests/runs/test_waited_records.py checks these facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.models import Command
from otlink.runs.creation import create_live_run
from otlink.runs.ending import end_run
from otlink.runs.sink import Origin, RunEnd

__all__ = ["WaitedRun"]


class WaitedRun:
    """A fresh live run on ``client``'s robot, never played until its end.

    Example::

        run = WaitedRun(robot)
        run.execute("home", {})
        run.finish()          # the robot records the run "succeeded"
    """

    def __init__(self, client: RobotClient, labware_offsets: Iterable[Mapping[str, Any]] = ()):
        self.client = client
        self.run_id = create_live_run(client, labware_offsets)
        self.ended: RunEnd | None = None

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        return self.client.enqueue_command(self.run_id, command_type, params)

    def sync(self) -> None:
        return None

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.run_id, definition)

    def finish(self) -> RunEnd:
        if self.ended is None:
            self.ended = end_run(self.client, self.run_id, complete=True)
        return self.ended

    def stop(self) -> RunEnd:
        if self.ended is None:
            self.ended = end_run(self.client, self.run_id, complete=False)
        return self.ended
