"""The waited strategy: each command is a protocol command of the played run, waited for on the
robot, so that the robot records the run as it ended (``failed``, with its error, after a
failure; ``succeeded`` when complete; ``stopped`` after Ctrl-C).

How, in one round trip per command (robot-server 8.x and the real engine;
tests/runs/test_waited_records.py checks each fact): a played live run ends as soon as nothing
is queued, so the run always ends in a hold (``waitForResume``) that the robot waits at. A
command goes on one connection, waited for (``waitUntilComplete``), while on a second one a new
hold and a ``play`` go, back to back: the play releases the old hold, the command runs, the
robot waits at the new hold. A command is only sent once the one before it succeeded, so no
failure can be pending on the robot when it lands.

Every protocol command the robot queues gets a hash chained over the types of the protocol
commands queued before it (opentrons' ``hash_protocol_command_params``), and a keyless one (each
hold) gets that hash as its key: so a hold's answer tells, for free, what the robot queued
before it. Two races are seen and mended that way:

* The new hold reaches the robot before its command: another hold and play follow (the robot
  waits at the hold that came first, the command behind it).
* A play reaches the robot before the robot waits at the hold it is meant for, and is lost: the
  command's answer is late (``_LATE`` s), the robot is seen paused with the command queued, and
  the play is sent again. Plays go on one connection and each is sent after the earlier ones
  were answered, so a play can only release a hold before the command, never one behind it.

A broken connection is ridden out for up to ``grace`` seconds: the run's command list says what
the robot has (by key), the command is sent again only if the robot does not have it, and from
then on each hold is checked before it is released (a request of the broken connection may
land late, behind it): a command the chain does not explain stops the run before it can run.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterable, Mapping
from hashlib import md5
from typing import Any

import httpx

from otlink.client import RobotClient
from otlink.client import commands as command_flows
from otlink.client.responses import check, read
from otlink.client.steps import Request
from otlink.errors import NotFound, OtlinkError, RobotUnreachable, RunConflict
from otlink.models import Body, Command, CommandIntent, CommandStatus, CommandSummary, RunStatus
from otlink.runs.creation import create_live_run
from otlink.runs.ending import HOLD, HOLD_MESSAGE_START, end_run
from otlink.runs.pipeline import SyncPipe
from otlink.runs.session import RunLost, late_duplicate
from otlink.runs.sink import Origin, RunEnd

__all__ = ["WaitedRun", "chained"]

# How long a command's answer may take before the robot is looked at (a lost play shows then);
# a command seen running is then waited for as long as it runs.
_LATE = 1.0
# After a broken connection holds may stand before a command (spares, late ones): looks come
# sooner, to play past them.
_WARY_LOOK = 0.05
# The longest wait between two looks at a command that runs (its answer may be withheld).
_LONGEST_LOOK = 30.0
# How many holds go ahead at once of a command that has not reached the robot yet (then one a
# second: the robot runs the command only once a hold stands behind it).
_HOLDS_AHEAD = 10
_HOLD_MESSAGE = f"{HOLD_MESSAGE_START}: waiting for the next command"
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
    any protocol) and waits at a hold between commands; ``grace`` is how long the robot may be
    away (a broken connection) before the run is given up.

    Example::

        run = WaitedRun(robot)
        run.execute("home", {})
        run.finish()          # the robot records the run "succeeded"
    """

    def __init__(
        self,
        client: RobotClient,
        labware_offsets: Iterable[Mapping[str, Any]] = (),
        *,
        grace: float = 30.0,
    ):
        self.client = client
        self.run_id = create_live_run(client, labware_offsets)
        self.ended: RunEnd | None = None
        self.grace = grace
        self._path = f"/runs/{self.run_id}/commands"
        self._commands, self._holds = self._new_pipe(), self._new_pipe()
        self._chain: str | None = None  # the engine's hash of the newest protocol command
        self._wary = False  # a connection broke: a request of it may still land, late
        self._plays_sent = 0
        self._owed = 0  # plays of broken connections the robot has not seen (they may land)

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        if self._chain is None:
            self._start()
        data = command_flows.command_data(command_type, params, intent="protocol", key=None)
        try:
            try:
                command = self._send(data)
            except RobotUnreachable:
                command = self._recover(data)
        except NotFound as gone:
            if gone.error_id != "RunNotFound":
                raise
            raise RunLost.of(self.client.url, self.run_id) from gone
        if command.status == CommandStatus.FAILED:
            raise command_flows.failure_of(command)
        return command

    def sync(self) -> None:
        return None

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        return self.client.add_labware_definition(self.run_id, definition)

    def finish(self) -> RunEnd:
        if self.ended is None:
            complete = not self._wary or self._release_spares()
            self._close()
            self.ended = end_run(self.client, self.run_id, complete=complete)
        return self.ended

    def stop(self) -> RunEnd:
        if self.ended is None:
            self._close()
            self.ended = end_run(self.client, self.run_id, complete=False)
        return self.ended

    # Starting -------------------------------------------------------------------------------

    def _start(self) -> None:
        """Post the first hold and play the run: the robot homes, then waits at the hold."""
        deadline = time.monotonic() + self.grace
        while True:
            try:
                if not self._protocol_commands():
                    self._post_hold()
                if self.client.get_run(self.run_id).status == RunStatus.IDLE:
                    self._play()
                break
            except RobotUnreachable:
                self._wary = True
                self._reconnect(deadline)
        chain = _chain_of(self._protocol_commands())
        assert chain is not None  # the first hold
        self._chain = self._spares(chain) if self._wary else chain
        interval = 0.005
        while (run := self.client.get_run(self.run_id)).status != RunStatus.PAUSED:
            if run.is_done:
                raise OtlinkError(
                    f"the robot ended run {self.run_id} as it started it ({run.status}):"
                    f" {'; '.join(error.detail for error in run.errors) or 'no reason given'}"
                )
            time.sleep(interval)
            interval = min(interval * 1.5, 0.25)

    # One command ---------------------------------------------------------------------------

    def _send(self, data: dict[str, Any]) -> Command:
        """Send the command with its hold and play; return it done (or failed)."""
        options = self.client._options
        waited = self._commands.send(
            Request(
                "POST",
                self._path,
                params={"waitUntilComplete": "true", "timeout": round(options.command_hold * 1000)},
                json={"data": data},
                read_timeout=options.command_hold + options.timeout,
            )
        )
        command_type, chain = data["commandType"], self._chain
        for tries in itertools.count(1):
            hold = self._post_hold(play=not self._wary)
            if hold == chained(chained(chain, command_type), HOLD):
                if self._wary:
                    hold = self._spares(hold)
                    self._play()  # the holds proved what is before them: release the old one
                break  # the command is queued before the new hold: it runs now
            if hold != chained(chain, HOLD):
                raise self._stopped_for_an_unknown_command()
            # The hold went first (the robot waits there): one more, until one is behind the
            # command; once a few went ahead, each after a wait for the command to arrive.
            chain = hold
            early = self._commands.answer(waited, within=0.0 if tries < _HOLDS_AHEAD else _LATE)
            if early is not None:
                self._chain = chain
                check(early)  # refused: nothing of it is on the robot
                raise self._stopped_for_an_unknown_command()
            if self._wary:
                self._play()
        self._chain = hold
        command = self._answer(waited, data["key"])
        return command if command.is_done else self._until_done(command)

    def _answer(self, waited: int, key: str) -> Command:
        """The command's answer. Late, the robot is looked at: the play is sent again if the
        robot waits at a hold before the command (that play was lost), and a command done whose
        answer has not come (withheld on the way) is read from the robot."""
        interval, command_id = (_WARY_LOOK if self._wary else _LATE), None
        while (answer := self._commands.answer(waited, within=interval)) is None:
            if command_id is None:
                seen: CommandSummary | None = self.client.find_command(self.run_id, key)
            else:
                seen = self.client.get_command(self.run_id, command_id)
            if seen is None:
                continue  # not there yet
            command_id = seen.id
            if seen.is_done:
                self._commands.close()  # its answer is owed: the connection is spent
                self._commands = self._new_pipe()
                return self.client.get_command(self.run_id, seen.id)
            if seen.status == CommandStatus.QUEUED and self._paused():
                self._play()
            elif seen.status == CommandStatus.RUNNING:
                interval = min(interval * 2, _LONGEST_LOOK)
        return read(answer, _CommandBody).data

    def _spares(self, hold: str) -> str:
        """While a play of a broken connection may still land, one more hold per such play
        behind ``hold`` (a late play then releases a spare, never the robot's last hold);
        returns the last hold's key."""
        self._count_owed()
        for _ in range(self._owed):
            spare = self._post_hold()
            if spare != chained(hold, HOLD):
                raise self._stopped_for_an_unknown_command()
            hold = spare
        return hold

    def _count_owed(self) -> None:
        actions = self.client.get_run(self.run_id).actions
        landed = sum(1 for action in actions if action.actionType == "play")
        self._owed = max(0, self._plays_sent - landed)

    def _until_done(self, command: Command) -> Command:
        """Look at ``command`` until it is done, playing again a play the robot lost."""
        interval = self.client._options.poll_interval
        while not command.is_done:
            if command.status == CommandStatus.QUEUED and self._paused():
                self._play()
            time.sleep(interval)
            interval = self.client._options.next_poll(interval)
            command = self.client.get_command(self.run_id, command.id)
        return command

    # After a broken connection -------------------------------------------------------------

    def _recover(self, data: dict[str, Any]) -> Command:
        """The connection broke while ``data`` went: ask the robot what it has, and go on from
        there (sending the command again only if the robot does not have it)."""
        self._wary = True
        deadline = time.monotonic() + self.grace
        while True:
            self._reconnect(deadline)
            try:
                time.sleep(self.client._options.settle)  # a request still being read lands
                self._count_owed()
                listed = self._protocol_commands()
                copies = [c for c in listed if c.key == data["key"]]
                if len(copies) > 1:
                    raise self._stopped_for_an_unknown_command()
                self._chain = _chain_of(listed)
                if not copies:
                    return self._send(data)
                after = listed[listed.index(copies[0]) + 1 :]
                if any(c.commandType != HOLD for c in after):
                    raise self._stopped_for_an_unknown_command()
                if not after and not copies[0].is_done:  # it needs a hold behind it
                    hold = self._post_hold()
                    if hold != chained(self._chain, HOLD):
                        raise self._stopped_for_an_unknown_command()
                    self._chain = self._spares(hold)
                return self._until_done(self.client.get_command(self.run_id, copies[0].id))
            except RobotUnreachable:
                continue

    def _reconnect(self, deadline: float) -> None:
        """New connections, once the robot answers again (within the grace period)."""
        self._close()
        self._commands, self._holds = self._new_pipe(), self._new_pipe()
        tries = 0
        while True:
            tries += 1
            try:
                self.client.get_run(self.run_id)
                return
            except NotFound as gone:
                raise RunLost.of(self.client.url, self.run_id) from gone
            except RobotUnreachable:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(self.client._options.backoff_delay(tries))

    def _release_spares(self) -> bool:
        """At the end, after a broken connection: if nothing but the holds this run posted is
        queued, play past all but the last (``end_run`` releases that one); else False."""
        try:
            listed = self._protocol_commands()
            if _chain_of(listed) != self._chain:
                return False
            holds = [c for c in listed if c.commandType == HOLD and not c.is_done]
            for hold in holds[:-1]:
                while self.client.get_command(self.run_id, hold.id).status != "succeeded":
                    if self._paused():
                        self._play()
                    time.sleep(_WARY_LOOK)
        except OtlinkError:
            return False
        return True

    def _stopped_for_an_unknown_command(self) -> RunConflict:
        """A command nobody sent here (or a request of a broken connection that landed late)
        is queued: stop the run before it can run; the error to raise."""
        with contextlib.suppress(OtlinkError):  # the caller's end of the run tries again
            self.client.stop_run(self.run_id)
        if self._wary:
            return late_duplicate(f"waited run {self.run_id}")
        return RunConflict(
            409,
            f"waited run {self.run_id}",
            error_id="UnexpectedCommand",
            detail="the run holds a command this protocol did not send (is someone else using"
            " the robot?); the run was stopped before it could run",
        )

    # Requests ------------------------------------------------------------------------------

    def _post_hold(self, *, play: bool = False) -> str:
        """A new hold (and, with ``play``, a play right behind it) on the holds' connection;
        returns the hold's key, its hash."""
        hold = {"commandType": HOLD, "params": {"message": _HOLD_MESSAGE}, "intent": "protocol"}
        posted = self._holds.send(Request("POST", self._path, json={"data": hold}))
        played = self._send_play() if play else None
        key = _read_command(self._holds.answer(posted)).key
        if played is not None:
            read(self._holds.answer(played), _ActionBody)  # type: ignore[arg-type]
        assert key is not None
        return key

    def _play(self) -> None:
        read(self._holds.answer(self._send_play()), _ActionBody)  # type: ignore[arg-type]

    def _send_play(self) -> int:
        self._plays_sent += 1
        return self._holds.send(Request("POST", f"/runs/{self.run_id}/actions", json=_PLAY))

    def _paused(self) -> bool:
        return self.client.get_run(self.run_id).status == RunStatus.PAUSED

    def _protocol_commands(self) -> list[CommandSummary]:
        return [
            c for c in self.client.iter_commands(self.run_id) if c.intent == CommandIntent.PROTOCOL
        ]

    def _new_pipe(self) -> SyncPipe:
        return SyncPipe(self.client.url, self.client._options)

    def _close(self) -> None:
        self._commands.close()
        self._holds.close()


def _read_command(response: httpx.Response | None) -> Command:
    assert response is not None
    return read(response, _CommandBody).data


def _chain_of(commands: list[CommandSummary]) -> str | None:
    """The engine's hash of the newest of a run's protocol commands, listed oldest first."""
    chain = None
    for command in commands:
        chain = chained(chain, command.commandType)
    return chain
