"""Lookahead: commands go to the robot ahead of their execution, and none runs after a failure.

Waiting for each command before sending the next leaves the robot idle for a network round trip
between commands. A :class:`LookaheadRun` sends them ahead, pipelined on one connection
(:mod:`otlink.client.pipelining`), and only waits where the caller needs the robot to have caught
up (:meth:`LookaheadRun.sync`, the end).

Why it is safe, by construction rather than by timing (measured on robot-server, see DESIGN.md):

* The run is *played* and every command has ``protocol`` intent. On an OT-2 a failed protocol
  command fails the run and every command queued behind it, and the robot refuses later posts
  (409). So once a command fails, nothing sent after it can run, however far ahead it was sent.
  (Setup commands would not do: a setup command arriving after a failure runs.)
* A played live run ends as soon as its queue is empty, so the queue always ends with a
  ``waitForResume`` (a *hold*): the robot pauses there instead of finishing. A batch of commands
  is posted behind the hold only once the robot is seen paused there, followed by a new hold,
  and the old hold is released with ``play`` once the robot has accepted every post of the
  batch (so a post it refused, say a 422, cannot leave a gap that later commands skip). A
  ``play`` can therefore only ever release the hold it was meant for.
* Posting only to a waiting robot matters: right after a failure, until the engine has failed
  the run (well under a millisecond on the virtual OT-2), a newly posted command is still taken
  and *run* (seen in the tests: a dispense started after its pickUpTip failed). A robot that
  waits at a hold runs nothing, so nothing can fail while a batch travels. The cost: the robot
  idles for about two round trips between batches; within a batch, not at all.
* The first ``play`` of a live run is special: the robot homes, then plays once more by itself,
  at a moment nobody can see (it may even come before the robot reaches the first hold, and do
  nothing). Until that play is known to be spent (the robot passed a hold otlink did not
  release, or two minutes went by), every batch ends with two holds, not one: a stray play then
  only moves the robot from the first to the second, and every batch is checked as accepted
  before the hold in front of it can be released. It costs one more round trip per batch.

A robot-side failure is raised at the next call that learns of it (:meth:`~LookaheadRun.sync`,
or a later :meth:`~LookaheadRun.enqueue`), as the :class:`~otlink.errors.CommandFailed` of the
command that failed, carrying the ``origin`` given when it was enqueued.

Example::

    with RobotClient("10.0.0.5") as robot:
        run = robot.create_run()
        with robot.lookahead(run.id, depth=32) as ahead:
            for well in ("A1", "B1", "C1"):
                ahead.enqueue("aspirate", {...})
                ahead.enqueue("dispense", {...})
            ahead.sync()          # everything so far ran, or the failure is raised here
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from otlink.client.commands import command_data, failure_of
from otlink.client.pipelining import PipelinedConnection, Reply
from otlink.client.responses import read
from otlink.client.steps import Request
from otlink.errors import OtlinkError, RobotUnreachable, RunConflict
from otlink.models import Body, Command, CommandStatus, Run, RunStatus

if TYPE_CHECKING:
    from otlink.client.sync_client import RobotClient

__all__ = ["DEFAULT_DEPTH", "LookaheadRun"]

_log = logging.getLogger(__name__)

#: Commands sent in one batch behind a hold (and how far the caller may run ahead of the robot).
DEFAULT_DEPTH = 32
_HOLD = "waitForResume"
_HOLD_MESSAGE = "otlink lookahead: waiting for the next commands"
_ENDED = frozenset(
    {
        RunStatus.FAILED,
        RunStatus.STOPPED,
        RunStatus.SUCCEEDED,
        RunStatus.FINISHING,
        RunStatus.STOP_REQUESTED,
    }
)
_FINAL = frozenset({RunStatus.FAILED, RunStatus.STOPPED, RunStatus.SUCCEEDED})
_FIRST_POLL = 0.001
_LONGEST_POLL = 0.05
# The robot's own play after its first home (a home takes seconds) comes well within this.
_STRAY_PLAY_WINDOW = 120.0

_RunBody = Body[Run]
_CommandBody = Body[Command]
_ActionBody = Body[dict[str, Any]]


@dataclass(eq=False)
class _Post:
    """A command sent (or to be sent) to the robot, and what came back."""

    data: dict[str, Any]
    origin: tuple[str, int] | None = None
    reply: Reply | None = None
    command_id: str | None = None

    @property
    def key(self) -> str:
        return str(self.data["key"])


@dataclass(eq=False)
class _Hold:
    """A waitForResume in the robot's queue, and the posts queued behind it (up to the next)."""

    post: _Post
    behind: list[_Post] = field(default_factory=list)
    released_by_us: bool = False


class LookaheadRun:
    """Sends a live run's commands ahead of their execution (see the module docstring).

    The run must be a fresh live run (created, never played); it is played on entering.
    ``depth`` commands are sent in one batch, and the caller blocks when one batch is queued on
    the robot and another is full.
    """

    def __init__(self, client: RobotClient, run_id: str, *, depth: int = DEFAULT_DEPTH) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self.client = client
        self.run_id = run_id
        self.depth = depth
        self._commands = f"/runs/{run_id}/commands"
        self._pipe = PipelinedConnection(
            client.url,
            {"Opentrons-Version": client._options.api_version},
            connect_timeout=client._options.connect_timeout,
        )
        self._buffer: list[_Post] = []
        self._holds: list[_Hold] = []  # oldest first; the last is the queue's tail
        self._paused_at: _Hold | None = None  # the hold the robot was last seen paused at
        self._by_key: dict[str, _Post] = {}
        self._failure: OtlinkError | None = None
        self._started = False
        self._finished = False
        self._stray_play_until: float | None = None  # while the robot's own play may come

    # The public surface -----------------------------------------------------------------

    def start(self) -> None:
        """Play the run, holding it open; returns once the robot has homed and waits."""
        if self._started:
            return
        self._started = True
        first, second = self._new_hold(), self._new_hold()
        self._send(first.post)
        self._send(second.post)
        first.behind.append(second.post)
        self._holds = [first, second]
        self._play()
        self._stray_play_until = time.monotonic() + _STRAY_PLAY_WINDOW
        self._wait_for_pause()

    def enqueue(
        self,
        command_type: str,
        params: Mapping[str, Any] | None = None,
        *,
        origin: tuple[str, int] | None = None,
    ) -> str:
        """Queue a command (protocol intent) to be sent ahead; returns its key.

        ``origin`` (file, line) is where the caller issued it, reported with its failure.
        Raises the failure of an earlier command if one is already known.
        """
        self._raise_known_failure()
        if not self._started:
            self.start()
        post = _Post(command_data(command_type, params, intent="protocol", key=None), origin)
        self._by_key[post.key] = post
        self._buffer.append(post)
        if self._robot_waits() or len(self._buffer) >= self.depth:
            self._send_batch()
        return post.key

    def sync(self) -> None:
        """Wait until the robot has run everything enqueued; raise the first failure."""
        self._raise_known_failure()
        if not self._started:
            self.start()
        if self._buffer:
            self._send_batch()
        while not self._robot_waits():
            self._wait_for_pause()

    def finish(self) -> Run:
        """Run everything, then let the run end (the robot drops its tips and homes, as at the
        end of a protocol); returns the ended run. Raises the failure, if any."""
        self.sync()
        self._finished = True
        interval = _FIRST_POLL
        while (run := self._get_run()).status not in _FINAL:
            if run.status == RunStatus.PAUSED:
                self._play()  # only holds are left: let the robot past each
            time.sleep(interval)
            interval = min(interval * 1.5, _LONGEST_POLL)
        if run.status != RunStatus.SUCCEEDED:
            raise self._learn_failure(run)
        return run

    @property
    def failure(self) -> OtlinkError | None:
        """The robot failure already raised, if any."""
        return self._failure

    def close(self) -> None:
        """Close the pipelined connection (the run is left as it is)."""
        self._pipe.close()

    def __enter__(self) -> LookaheadRun:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and not self._finished:
                self.finish()
        finally:
            self.close()

    # Sending ----------------------------------------------------------------------------

    def _new_hold(self) -> _Hold:
        data = command_data(_HOLD, {"message": _HOLD_MESSAGE}, intent="protocol", key=None)
        post = _Post(data)
        self._by_key[post.key] = post
        return _Hold(post)

    def _send(self, post: _Post) -> None:
        post.reply = self._pipe.send(Request("POST", self._commands, json={"data": post.data}))

    def _robot_waits(self) -> bool:
        """True when the robot was seen paused at a hold with no command queued after it."""
        waiting = self._paused_at
        return waiting is not None and not self._work_after(waiting)

    def _work_after(self, hold: _Hold) -> bool:
        at = self._holds.index(hold)
        return any(post.data["commandType"] != _HOLD for h in self._holds[at:] for post in h.behind)

    def _batches_waiting(self) -> int:
        """Batches queued behind a hold that otlink has not released yet."""
        return sum(
            1
            for hold in self._holds
            if not hold.released_by_us and any(p.data["commandType"] != _HOLD for p in hold.behind)
        )

    def _stray_play_possible(self) -> bool:
        until = self._stray_play_until
        if until is not None and time.monotonic() >= until:
            self._stray_play_until = until = None
        return until is not None

    def _send_batch(self) -> None:
        """Post the buffer and a new hold (two while a stray play may come) behind the queue's
        tail, then release the robot.

        Posts are only ever made while the robot waits at a hold with nothing but holds after
        it: no command can fail while they travel. (After a failure the engine keeps taking and
        running commands for a moment, until the run is failed; a post arriving then would
        run.) The caller may meanwhile fill the next batch."""
        while not self._robot_waits():
            self._wait_for_pause()
        tail = self._holds[-1]
        holds = [self._new_hold()]
        if self._stray_play_possible():
            holds.append(self._new_hold())
            holds[0].behind = [holds[1].post]
        batch, self._buffer = [*self._buffer, holds[0].post], []
        for post in [*batch, *(hold.post for hold in holds[1:])]:
            self._send(post)
        tail.behind = batch
        self._holds += holds
        if len(holds) > 1:
            self._send_when_accepted(tail)  # a stray play must find nothing unchecked
        assert self._paused_at is not None
        self._release(self._paused_at)

    def _release(self, hold: _Hold) -> None:
        """``play`` past ``hold``, once the robot has taken every post queued behind it."""
        self._send_when_accepted(hold)
        hold.released_by_us = True
        self._play()
        self._paused_at = None

    def _send_when_accepted(self, hold: _Hold) -> None:
        for post in hold.behind:
            self._accepted(post)

    def _accepted(self, post: _Post) -> None:
        """Wait for the robot's answer to ``post``; a refusal ends lookahead with its error."""
        if post.command_id is not None:
            return None
        assert post.reply is not None
        try:
            command = read(post.reply.response(), _CommandBody).data
        except RobotUnreachable:
            self._recover()
            return self._accepted(post)
        except RunConflict as conflict:
            # The run has ended (a failure before this post); the run says why.
            raise self._learn_failure(self._get_run(), conflict) from conflict
        except OtlinkError as refused:
            self._stop()
            self._failure = refused
            raise
        post.command_id = command.id
        if command.status == CommandStatus.FAILED:
            raise self._learn_failure(self._get_run())
        return None

    def _play(self) -> None:
        reply = self._pipe.send(
            Request("POST", f"/runs/{self.run_id}/actions", json={"data": {"actionType": "play"}})
        )
        try:
            read(reply.response(), _ActionBody)
        except RunConflict as conflict:
            raise self._learn_failure(self._get_run(), conflict) from conflict
        except RobotUnreachable:
            self._recover()  # the next look at the run plays again if the robot still waits

    # Watching the robot -----------------------------------------------------------------

    def _wait_for_pause(self, *, batches_below: int | None = None) -> None:
        """Look at the robot, releasing it at each hold with commands queued after it, until it
        waits with nothing after it (or fewer than ``batches_below`` batches wait for a
        release); raise the failure if the run has ended."""
        interval = _FIRST_POLL
        while batches_below is None or self._batches_waiting() >= batches_below:
            oldest = self._holds[0]
            self._accepted(oldest.post)
            run_reply = self._pipe.send(Request("GET", f"/runs/{self.run_id}"))
            hold_path = f"{self._commands}/{oldest.post.command_id}"
            hold_reply = self._pipe.send(Request("GET", hold_path))
            try:
                run = read(run_reply.response(), _RunBody).data
                hold = read(hold_reply.response(), _CommandBody).data
            except RobotUnreachable:
                self._recover()
                continue
            if run.status in _ENDED:
                raise self._learn_failure(run)
            if hold.status == CommandStatus.SUCCEEDED:
                self._holds.pop(0)
                if not oldest.released_by_us:
                    self._stray_play_until = None  # that was the robot's own play
                if self._paused_at is oldest:
                    self._paused_at = None
                continue
            if run.status == RunStatus.PAUSED and hold.status == CommandStatus.RUNNING:
                self._paused_at = oldest
                if self._work_after(oldest):
                    self._release(oldest)
                    interval = _FIRST_POLL
                    continue
                return
            time.sleep(interval)
            interval = min(interval * 1.5, _LONGEST_POLL)

    def _get_run(self) -> Run:
        return self.client.get_run(self.run_id)

    # Failures and broken connections -----------------------------------------------------

    def _raise_known_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _learn_failure(self, run: Run, cause: OtlinkError | None = None) -> OtlinkError:
        """The error of the run's failed command, with the origin it was enqueued with."""
        interval = _FIRST_POLL
        while run.status not in _FINAL:  # failing: the robot drops its tips and homes first
            time.sleep(interval)
            interval = min(interval * 1.5, _LONGEST_POLL)
            run = self._get_run()
        for summary in self.client.iter_commands(self.run_id):
            if summary.status == CommandStatus.FAILED and summary.error is not None:
                failure = failure_of(self.client.get_command(self.run_id, summary.id))
                post = self._by_key.get(summary.key or "")
                if post is not None and post.origin is not None:
                    failure.filename, failure.line = post.origin
                self._failure = failure
                return failure
        self._failure = cause or RunConflict(
            409,
            f"lookahead on run {self.run_id}",
            error_id="RunStopped",
            detail=f"the run ended ({run.status}) with no failed command: was it stopped?",
        )
        return self._failure

    def _stop(self) -> None:
        try:
            self.client.stop_run(self.run_id)
        except OtlinkError as error:
            _log.warning("Could not stop run %s: %s", self.run_id, error)

    def _recover(self) -> None:
        """After a broken connection: posts the robot lists (by key) stand; the others (and
        everything after the first of them) are sent again, in order. Never twice."""
        self._pipe.reconnect()
        known = {c.key: c.id for c in self.client.iter_commands(self.run_id)}
        resend = False
        for post in self._sent_in_order():
            if post.reply is None or (post.reply.done and post.command_id is not None):
                continue
            if not resend and post.key in known:
                post.command_id = known[post.key]
                post.reply = None
                continue
            resend = True
            self._send(post)

    def _sent_in_order(self) -> list[_Post]:
        posts: list[_Post] = []
        for hold in self._holds:
            if hold.post not in posts:
                posts.append(hold.post)
            posts += [post for post in hold.behind if post not in posts]
        return posts
