"""The live run that a live protocol's commands are mirrored into: one command sink.

Live code hands every robot command to :meth:`RobotRun.execute`; how it reaches the robot is
the strategy's business (:mod:`otlink.runs`): waited (each command a protocol command of the
played run, waited for), lookahead (``lookahead=N``: commands go ahead of their execution; a
robot failure is raised at the next sync point, naming the protocol line that issued the failed
command, and nothing issued after it runs) or recording (nothing runs: a dry run or a preview).
The run ends on the robot as it really ended: :meth:`RobotRun.finish` after a complete protocol
(``succeeded``), :meth:`RobotRun.stop` otherwise: ``stopped``, or, after a robot failure,
``failed`` with the robot's error.
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
from otlink.errors import CommandFailed
from otlink.models import Command
from otlink.runs import DEFAULT_DEPTH, LookaheadRun, RecordingRun, RunEnd, RunStrategy, WaitedRun
from otlink.runs.sink import Origin

#: Lookahead of live runs made with get_protocol_api unless told otherwise (0: off: interactive
#: code may look at other instruments between two commands; see README "Lookahead").
DEFAULT_LOOKAHEAD = 0
#: Lookahead of a protocol file run live (``otlink run``, ``run_protocol_file``): a file speaks
#: only to the robot, so nothing is lost by sending its commands ahead.
FILE_LOOKAHEAD = DEFAULT_DEPTH

# Frames in these folders are not the protocol's: the line that issued a command is below them.
_LIBRARY_FOLDERS = tuple(
    os.path.dirname(module.__file__ or "") + os.sep for module in (otlink, opentrons)
)

_log = logging.getLogger(__name__)

Observer = Callable[[str, Mapping[str, Any]], None]


class RobotRun:
    """The command sink of a live protocol, over one strategy.

    Example::

        with RobotClient("10.0.0.5") as client:
            run = RobotRun.on_robot(client)        # or RobotRun.recording() for a dry run
            run.execute("home", {})
            run.finish()
    """

    def __init__(self, strategy: RunStrategy) -> None:
        self.strategy = strategy
        self.observers: list[Observer] = []
        self.failure: CommandFailed | None = None

    @classmethod
    def on_robot(
        cls,
        client: RobotClient,
        labware_offsets: Iterable[Mapping[str, Any]] = (),
        *,
        lookahead: int = 0,
    ) -> RobotRun:
        """A fresh live run on ``client``'s robot, waited (``lookahead=0``) or with lookahead."""
        if lookahead > 0:
            return cls(LookaheadRun(client, labware_offsets, depth=lookahead))
        return cls(WaitedRun(client, labware_offsets))

    @classmethod
    def recording(cls, client: RobotClient | None = None) -> RobotRun:
        """A run that executes nothing and keeps the commands (``run.strategy.commands``);
        ``client`` is a robot it may read, never move."""
        return cls(RecordingRun(client))

    @property
    def id(self) -> str:
        """The robot's run id."""
        return self.strategy.run_id

    @property
    def client(self) -> RobotClient | None:
        """The robot's client (None for a recording without a robot)."""
        return self.strategy.client

    @property
    def ended(self) -> RunEnd | None:
        """How the run ended on the robot, once it has."""
        ended: RunEnd | None = getattr(self.strategy, "ended", None)
        return ended

    def execute(self, command_type: str, params: Mapping[str, Any]) -> Command | None:
        """Run one command on the robot; a failure raises CommandFailed.

        Waited, it is returned done. With lookahead it is only queued (None is returned), and a
        failure of an earlier command may be raised here. Observers hear of it first (a
        progress display, a log).
        """
        for observer in self.observers:
            observer(command_type, params)
        try:
            return self.strategy.execute(command_type, params, _issued_at())
        except CommandFailed as failure:
            self.failure = failure
            raise

    def sync(self) -> None:
        """Wait until the robot has run every command so far; raise the failure of one."""
        try:
            self.strategy.sync()
        except CommandFailed as failure:
            self.failure = failure
            raise

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.strategy.add_labware_definition(definition)

    def finish(self) -> RunEnd:
        """The protocol is complete: let the robot run what is left and record the run
        ``succeeded`` (or raise the failure of a command). Leaves no active run."""
        try:
            return self.strategy.finish()
        except CommandFailed as failure:
            self.failure = failure
            raise

    def stop(self) -> RunEnd:
        """End the run now (Ctrl-C, a failure): stopped, then archived. Safe to call twice."""
        return self.strategy.stop()

    def close(self) -> None:
        """End the run if nothing else did: finished, unless a command failed. Never raises
        the robot's failure (close must not hide the caller's error)."""
        try:
            end = self.stop() if self.failure is not None else self.strategy.finish()
        except CommandFailed as failure:
            _log.warning("Robot run %s ended with an error: %s", self.id, failure)
            end = self.stop()
        if end.problem is not None:
            _log.warning("Could not end robot run %s: %s", self.id, end.problem)


def _issued_at() -> Origin | None:
    """The file and line, outside otlink and opentrons, that issued the command being sent."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_LIBRARY_FOLDERS):
            return filename, frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None
