"""The live run on the robot that a live protocol's commands are mirrored into.

Two ways to run it. Without lookahead the run is never played: each command runs as an atomic
setup command and is waited for. With lookahead (``lookahead=N``) the run is played and the
commands go ahead of their execution (:mod:`otlink.client.lookahead`): a robot failure is raised
at the next sync point (:meth:`RobotRun.sync`, a pause, the end), naming the protocol line that
issued the failed command, and nothing issued after it runs.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import opentrons

import otlink
from otlink.client import RobotClient
from otlink.client.lookahead import LookaheadRun
from otlink.errors import ApiError, OtlinkError
from otlink.models import Command

#: Lookahead of live runs unless told otherwise (0: off; see README "Lookahead" for why).
DEFAULT_LOOKAHEAD = 0

# Frames in these folders are not the protocol's: the line that issued a command is below them.
_LIBRARY_FOLDERS = tuple(
    os.path.dirname(module.__file__ or "") + os.sep for module in (otlink, opentrons)
)

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
        self,
        client: RobotClient,
        labware_offsets: Iterable[Mapping[str, Any]] = (),
        *,
        lookahead: int = 0,
    ) -> None:
        self.client = client
        self.id = client.create_run(labware_offsets=list(labware_offsets)).id
        self.closed = False
        self.observers: list[Callable[[str, Mapping[str, Any]], None]] = []
        self.ahead = LookaheadRun(client, self.id, depth=lookahead) if lookahead > 0 else None

    def execute(self, command_type: str, params: Mapping[str, Any]) -> Command | None:
        """Run one command on the robot; a failure raises CommandFailed.

        Without lookahead it is waited for and returned. With lookahead it is only queued (None
        is returned), and a failure of an earlier command may be raised here. Observers hear of
        it first (a progress display, a log).
        """
        for observer in self.observers:
            observer(command_type, params)
        if self.ahead is not None:
            self.ahead.enqueue(command_type, params, origin=_issued_at())
            return None
        return self.client.enqueue_command(self.id, command_type, params)

    def sync(self) -> None:
        """Wait until the robot has run every command so far; raise the failure of one."""
        if self.ahead is not None:
            self.ahead.sync()

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.id, definition)

    def close(self) -> None:
        """Archive the run, so the robot is free for the next one. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        if self.ahead is not None:
            self._end_lookahead(self.ahead)
        try:
            run = self.client.get_run(self.id)
            if run.current:
                self.client.archive_run(self.id)
        except ApiError as error:
            _log.warning("Could not archive robot run %s: %s", self.id, error)
        except OtlinkError as error:
            _log.warning("Robot unreachable while closing run %s: %s", self.id, error)

    def _end_lookahead(self, ahead: LookaheadRun) -> None:
        # What was issued runs, as it would have without lookahead; a failure was either raised
        # at a sync point already or is logged here (close must not hide the caller's error).
        raised = ahead.failure
        try:
            ahead.finish()
        except OtlinkError as error:
            if error is not raised:
                _log.warning("Robot run %s ended with an error: %s", self.id, error)
        finally:
            ahead.close()


def _issued_at() -> tuple[str, int] | None:
    """The file and line, outside otlink and opentrons, that issued the command being sent."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_LIBRARY_FOLDERS):
            return filename, frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None
