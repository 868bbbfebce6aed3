"""The lookahead strategy: the run is played, and commands go to the robot ahead of their
execution (see :mod:`otlink.runs.session` for why nothing runs after a failure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.models import Command
from otlink.runs.creation import create_live_run
from otlink.runs.ending import end_run
from otlink.runs.lookahead import DEFAULT_DEPTH, Lookahead
from otlink.runs.sink import Origin, RunEnd

__all__ = ["LookaheadRun"]


class LookaheadRun:
    """A fresh live run on ``client``'s robot, played, with up to ``depth`` commands ahead.

    Example::

        run = LookaheadRun(robot, depth=128)
        run.execute("home", {})
        run.finish()          # everything ran; the robot records "succeeded" (or the failure)
    """

    def __init__(
        self,
        client: RobotClient,
        labware_offsets: Iterable[Mapping[str, Any]] = (),
        *,
        depth: int = DEFAULT_DEPTH,
    ) -> None:
        self.client = client
        self.run_id = create_live_run(client, labware_offsets)
        self.ended: RunEnd | None = None
        self._ahead = Lookahead(client, self.run_id, depth=depth)

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        self._ahead.enqueue(command_type, params, origin=origin)
        return None

    def sync(self) -> None:
        self._ahead.sync()

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.run_id, definition)

    def finish(self) -> RunEnd:
        if self.ended is not None:
            return self.ended
        try:
            self._ahead.finish()  # a robot failure is raised here, the run then "failed"
        finally:
            self._ahead.close()
            self.ended = end_run(self.client, self.run_id, complete=True)
        return self.ended

    def stop(self) -> RunEnd:
        if self.ended is None:
            self._ahead.close()
            self.ended = end_run(self.client, self.run_id, complete=False)
        return self.ended
