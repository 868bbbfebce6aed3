"""The waited strategy: each command is a protocol command of the played run, waited for on the
robot, so that the robot records the run as it ended (``failed``, with its error, after a
failure; ``succeeded`` when complete; ``stopped`` after Ctrl-C).

How, in one round trip per command (robot-server 8.x and the real engine;
tests/runs/test_waited_records.py checks each fact): a played live run ends as soon as nothing
is queued, so the run always ends in a hold (``waitForResume``) that the robot waits at. A
command goes on one connection, waited for (``waitUntilComplete``), while on a second one a new
hold and a ``play`` go, back to back: the play releases the old hold, the command runs, the
robot waits at the new hold. A command is only sent once the one before it succeeded, so no
failure can be pending on the robot when it lands. Two races, each seen and repaired:

* The new hold may reach the robot before its command. Its answer says so for free: the engine
  keys a keyless protocol command with a hash chained over the types of the protocol commands
  queued before it. Then another hold and play follow (the robot waits at the hold that came
  first, the command behind it).
* A play may reach the robot before the robot has started the hold it is meant for: it is then
  lost. The command's answer comes late (after ``_LATE`` s) and says ``queued``, the robot is
  seen paused, and the play is sent again. Every play goes on the same connection and the next
  is sent only after the earlier ones were answered, so a play can release only the hold that
  the robot was seen waiting at, never one behind the command.

A connection that breaks is not ridden out here: nothing is sent again (a request of a broken
connection may still land late), the run is stopped and the break raised, with how many
commands the robot ran (:func:`~otlink.runs.ending.end_run`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from hashlib import md5
from typing import Any

from otlink.client import RobotClient
from otlink.client import commands as command_flows
from otlink.client.responses import check, read
from otlink.client.steps import Request
from otlink.errors import OtlinkError, RobotUnreachable, UnexpectedResponse
from otlink.models import Body, Command, CommandStatus, RunStatus
from otlink.runs.creation import create_live_run
from otlink.runs.ending import HOLD, end_run
from otlink.runs.pipeline import SyncPipe
from otlink.runs.sink import Origin, RunEnd

__all__ = ["WaitedRun"]

# How long a command's answer may take before the robot is looked at (a lost play shows then);
# a command seen running is then waited for as long as it runs.
_LATE = 1.0
# How many holds may go ahead of a command that has not reached the robot yet.
_HOLDS_AHEAD = 10
_HOLD_MESSAGE = "otlink: waiting for the next command"
_CommandBody = Body[Command]
_ActionBody = Body[dict[str, Any]]
_PLAY = {"data": {"actionType": "play"}}


def chained(before: str | None, command_type: str) -> str:
    """The hash the engine gives a protocol command of ``command_type`` queued after the one
    hashed ``before`` (opentrons' ``hash_protocol_command_params``; the key of a keyless one)."""
    last = b"" if before is None else before.encode("ascii")
    return md5(last + md5(command_type.encode("ascii")).digest()).hexdigest()


class WaitedRun:
    """A fresh live run on ``client``'s robot; each command runs when it is issued, and is
    waited for. The run is played at the first command (the robot homes, as at the start of
    any protocol) and waits at a hold between commands.

    Example::

        run = WaitedRun(robot)
        run.execute("home", {})
        run.finish()          # the robot records the run "succeeded"
    """

    def __init__(self, client: RobotClient, labware_offsets: Iterable[Mapping[str, Any]] = ()):
        self.client = client
        self.run_id = create_live_run(client, labware_offsets)
        self.ended: RunEnd | None = None
        self._commands = SyncPipe(client.url, client._options)
        self._holds = SyncPipe(client.url, client._options)
        self._chain: str | None = None  # the engine's hash of the newest protocol command
        self._path = f"/runs/{self.run_id}/commands"

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        try:
            if self._chain is None:
                self._start()
            return self._run(command_type, params)
        except RobotUnreachable:
            self._close()
            raise

    def sync(self) -> None:
        return None

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.run_id, definition)

    def finish(self) -> RunEnd:
        if self.ended is None:
            self._close()
            self.ended = end_run(self.client, self.run_id, complete=True)
        return self.ended

    def stop(self) -> RunEnd:
        if self.ended is None:
            self._close()
            self.ended = end_run(self.client, self.run_id, complete=False)
        return self.ended

    # One command ---------------------------------------------------------------------------

    def _start(self) -> None:
        """Post the first hold and play the run: the robot homes, then waits at the hold."""
        self._chain = self._hold_and_play()
        interval = 0.005
        while (run := self.client.get_run(self.run_id)).status != RunStatus.PAUSED:
            if run.is_done:
                raise OtlinkError(
                    f"the robot ended run {self.run_id} as it started it ({run.status}):"
                    f" {'; '.join(error.detail for error in run.errors) or 'no reason given'}"
                )
            time.sleep(interval)
            interval = min(interval * 1.5, 0.25)

    def _run(self, command_type: str, params: Mapping[str, Any]) -> Command:
        options = self.client._options
        data = command_flows.command_data(command_type, params, intent="protocol", key=None)
        waited = self._commands.send(
            Request(
                "POST",
                self._path,
                params={"waitUntilComplete": "true", "timeout": round(options.command_hold * 1000)},
                json={"data": data},
                read_timeout=options.command_hold + options.timeout,
            )
        )
        chain = self._chain
        for _ in range(_HOLDS_AHEAD):
            hold = self._hold_and_play()
            if hold == chained(chained(chain, command_type), HOLD):
                break  # the command is queued before the new hold: it runs now
            if hold != chained(chain, HOLD):
                raise UnexpectedResponse(
                    f"POST {self._path}", 200, hold, "a hold whose key no order explains"
                )
            chain = hold  # the hold went first and the robot waits there: one more
            early = self._commands.answer(waited, within=0.0)
            if early is not None:
                self._chain = chain
                check(early)  # refused: nothing of it is on the robot
                raise UnexpectedResponse(
                    f"POST {self._path}", early.status_code, early.text, "done behind a hold"
                )
        self._chain = hold
        command = self._answer(waited, data["key"])
        if not command.is_done:  # held longer than the robot holds an answer
            command = self.client.wait_for_command(self.run_id, command.id)
        if command.status == CommandStatus.FAILED:
            raise command_flows.failure_of(command)
        return command

    def _answer(self, waited: int, key: str) -> Command:
        """The command's answer; a look at the robot if it is late, and the play sent again if
        the robot waits at a hold before the command (that play was lost)."""
        while (answer := self._commands.answer(waited, within=_LATE)) is None:
            seen = self.client.find_command(self.run_id, key)
            if seen is not None and seen.status != CommandStatus.QUEUED:
                break  # it runs: its answer comes when it is done
            if seen is not None and self.client.get_run(self.run_id).status == RunStatus.PAUSED:
                self._play()
        if answer is None:
            answer = self._commands.answer(waited)
        assert answer is not None
        return read(answer, _CommandBody).data

    def _hold_and_play(self) -> str:
        """A new hold and a play, pipelined on the holds' connection; the hold's key."""
        hold = command_flows.command_data(
            HOLD, {"message": _HOLD_MESSAGE}, intent="protocol", key=None
        )
        del hold["key"]  # keyless: the robot keys it with its hash, which shows its place
        posted = self._holds.send(Request("POST", self._path, json={"data": hold}))
        played = self._holds.send(Request("POST", f"/runs/{self.run_id}/actions", json=_PLAY))
        key = read(self._holds.answer(posted), _CommandBody).data.key  # type: ignore[arg-type]
        read(self._holds.answer(played), _ActionBody)  # type: ignore[arg-type]
        assert key is not None
        return key

    def _play(self) -> None:
        played = self._holds.send(Request("POST", f"/runs/{self.run_id}/actions", json=_PLAY))
        read(self._holds.answer(played), _ActionBody)  # type: ignore[arg-type]

    def _close(self) -> None:
        self._commands.close()
        self._holds.close()
