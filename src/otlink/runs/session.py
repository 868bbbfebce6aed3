"""Lookahead as a sans-IO state machine: a live run's commands go to the robot ahead of their
execution, and none runs after a failure. The I/O shells (:mod:`otlink.runs.lookahead`) carry
out its steps; this module never touches a socket or a clock it is not handed.

How it stays safe, by construction rather than timing (robot-server 8.x, the real engine):

* The run is *played* and every command has ``protocol`` intent: on an OT-2 a failed protocol
  command fails the run and everything queued behind it, and later posts are refused (409).
* A played live run ends when its queue is empty, so the queue always ends with a hold
  (``waitForResume``): the robot pauses there. A batch is posted behind the hold only while the
  robot is seen *waiting at it* (right after a failure the engine still takes and runs a new
  post for a moment), followed by a new hold; the old hold is released (``play``) only once
  the robot has accepted every post of the batch, so a refused post cannot leave a gap that
  later commands skip: a refusal stops the run, and nothing behind the hold ever runs.
* The first ``play`` of a live run starts it: the robot homes, then plays its engine itself.
  Until that engine play nothing queued can start, so once the first hold is seen waiting, that
  play is spent; no ``play`` of ours is sent before. No play can come that we did not send.
* The robot is watched, never busy-polled: one GET of the hold the robot is heading for, at an
  interval growing from ``poll_first`` to ``poll_longest`` (at most ``1/poll_longest``
  requests per second while a long command runs).
* A broken connection, a stalled or a cut-short answer: the commands the robot lists (by key)
  stand, the others are sent again in order, on a new connection; the robot may be away for up
  to ``grace`` seconds (backoff between tries). A run the robot no longer knows (it restarted)
  raises :class:`RunLost`.

Steps out: :class:`Send` (write a request on the pipelined connection, get a ticket),
:class:`Answer` (the response of a ticket, or the RobotUnreachable thrown in), :class:`Reconnect`,
and the client's own ``Request`` and ``Sleep`` (a request on the client's connection pool).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from otlink.client import ClientOptions
from otlink.client import commands as command_flows
from otlink.client import runs as run_flows
from otlink.client.responses import read
from otlink.client.steps import Emit, Flow, Request, Sleep, Stream
from otlink.errors import NotFound, OtlinkError, RobotUnreachable, RunConflict
from otlink.models import Body, Command, CommandStatus, CommandSummary, Run, RunStatus
from otlink.runs.ending import HOLD, HOLD_MESSAGE_START
from otlink.runs.sink import Origin

__all__ = [
    "Answer",
    "Discard",
    "LookaheadSession",
    "Reconnect",
    "RunLost",
    "Send",
    "SessionFlow",
    "SessionStep",
]

T = TypeVar("T")

#: Commands sent in one batch behind a hold (and how far the caller may run ahead). The robot
#: waits at each hold for about four one-way delays (seen there, the batch's way, the answers',
#: the play's), against two per command waited for: lookahead's idle time is about 2/depth of
#: the waited mode's, so a deep batch is what makes it small.
DEFAULT_DEPTH = 128
_HOLD_MESSAGE = f"{HOLD_MESSAGE_START} lookahead: waiting for the next commands"
_CommandBody = Body[Command]
_ActionBody = Body[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Send:
    """Write ``request`` on the pipelined connection now; the shell answers with a ticket."""

    request: Request


@dataclass(frozen=True, slots=True)
class Answer:
    """The ``httpx.Response`` to ``ticket`` (or its RobotUnreachable, thrown in); with
    ``within``, None if it has not come within that many seconds."""

    ticket: int
    within: float | None = None


@dataclass(frozen=True, slots=True)
class Discard:
    """Nobody will ask for the answer to ``ticket``: the shell drops it when it comes."""

    ticket: int


@dataclass(frozen=True, slots=True)
class Reconnect:
    """Drop the pipelined connection; the next Send opens a new one."""


#: What a session flow yields: the client's steps, and the pipelined connection's.
SessionStep = Request | Sleep | Send | Answer | Discard | Reconnect
#: A session flow that returns a ``T``.
SessionFlow = Generator[SessionStep, Any, T]


class RunLost(RobotUnreachable):
    """The robot no longer knows the run (it restarted): what it ran is lost with it."""

    @classmethod
    def of(cls, host: str, run_id: str) -> RunLost:
        return cls(
            host,
            f"run {run_id}",
            "the robot no longer knows the run: it restarted, and what it ran is lost",
        )


def late_duplicate(tried: str) -> RunConflict:
    """The error of a run stopped because a request of a broken connection landed late."""
    return RunConflict(
        409,
        tried,
        error_id="LateDuplicate",
        detail="a request of a broken connection reached the robot late, so a command would"
        " have run twice or out of order; the run was stopped before it could",
    )


@dataclass(eq=False)
class _Post:
    """A command sent (or to be sent) to the robot, and what became of it."""

    data: dict[str, Any]
    origin: Origin | None = None
    ticket: int | None = None
    command_id: str | None = None

    @property
    def key(self) -> str:
        return str(self.data["key"])


@dataclass(eq=False)
class _Hold:
    post: _Post
    behind: list[_Post] = field(default_factory=list)


@dataclass
class LookaheadSession:
    """The state of one lookahead run; its methods are flows for a shell to drive.

    Example (what a shell does)::

        session = LookaheadSession(run_id, options)
        shell.drive(session.enqueue("home", {}))
        shell.drive(session.sync())
    """

    run_id: str
    options: ClientOptions
    host: str = "the robot"
    depth: int = DEFAULT_DEPTH
    grace: float = 30.0
    poll_first: float = 0.005
    poll_longest: float = 0.25
    clock: Callable[[], float] = time.monotonic
    failure: OtlinkError | None = None
    started: bool = False
    finished: bool = False
    _buffer: list[_Post] = field(default_factory=list)
    _holds: list[_Hold] = field(default_factory=list)  # not yet passed; the last is the tail
    _waiting_at: _Hold | None = None  # the tail hold, seen with the robot waiting at it
    _by_key: dict[str, _Post] = field(default_factory=dict)
    _sent: list[_Post] = field(default_factory=list)  # in the order the robot must have them
    # Once a connection broke, a request it carried may still land late (a duplicate of one
    # sent again): from then on the queue behind a hold is checked before it is released.
    _wary: bool = False
    # Pacing the looks: when the play of the last batch was sent, its size, and the robot's
    # time per command so far (looks close in on the batch's expected end: a look costs the
    # robot too, and one that arrives late costs it the wait).
    _released_at: float | None = None
    _released: int = 0
    _per_command: float | None = None

    def __post_init__(self) -> None:
        if self.depth < 1:
            raise ValueError("depth must be at least 1")

    @property
    def _commands(self) -> str:
        return f"/runs/{self.run_id}/commands"

    # The public flows --------------------------------------------------------------------

    def start(self) -> SessionFlow[None]:
        """Post the first hold, play the run; return once the robot has homed and waits."""
        if self.started:
            return
        self.started = True
        hold = self._new_hold()
        yield from self._post_all([hold.post])
        self._holds = [hold]
        while True:  # the first play, once: a run it started is no longer idle
            try:
                yield from self._action("play")
                break
            except RobotUnreachable:
                yield from self._recover()
            if (yield from self._get_run()).status != RunStatus.IDLE:
                break
        yield from self._until_waiting()

    def enqueue(
        self, command_type: str, params: Mapping[str, Any] | None, origin: Origin | None = None
    ) -> SessionFlow[str]:
        """Queue a command to go ahead; returns its key. Raises an earlier known failure."""
        self._raise_known_failure()
        if not self.started:
            yield from self.start()
        data = command_flows.command_data(command_type, params, intent="protocol", key=None)
        post = _Post(data, origin)
        self._by_key[post.key] = post
        self._buffer.append(post)
        if self._waiting_at is not None or len(self._buffer) >= self.depth:
            yield from self._send_batch()
        return post.key

    def sync(self) -> SessionFlow[None]:
        """Return once the robot has run everything enqueued; raise the first failure."""
        self._raise_known_failure()
        if not self.started:
            yield from self.start()
        if self._buffer:
            yield from self._send_batch()
        yield from self._until_waiting()

    def finish(self) -> SessionFlow[Run]:
        """Run everything, then let the run end (the robot drops its tips and homes, as after
        any protocol); returns the run, ``succeeded``. Raises the failure, if any."""
        yield from self.sync()
        self.finished = True
        yield from self._release(self._holds[-1])
        interval = self.poll_first
        while not (run := (yield from self._get_run())).is_done:
            yield Sleep(interval)
            interval = min(interval * 1.5, self.poll_longest)
        if run.status != RunStatus.SUCCEEDED:
            raise (yield from self._learn_failure(run))
        return run

    # Sending -------------------------------------------------------------------------------

    def _new_hold(self) -> _Hold:
        data = command_flows.command_data(
            HOLD, {"message": _HOLD_MESSAGE}, intent="protocol", key=None
        )
        post = _Post(data)
        self._by_key[post.key] = post
        return _Hold(post)

    def _send_batch(self) -> SessionFlow[None]:
        yield from self._until_waiting()
        tail = self._holds[-1]
        hold = self._new_hold()
        batch, self._buffer = [*self._buffer, hold.post], []
        tail.behind = batch
        self._holds.append(hold)
        self._waiting_at = None
        yield from self._post_all(batch)
        yield from self._release(tail)
        self._released = len(batch) - 1

    def _post_all(self, posts: list[_Post]) -> SessionFlow[None]:
        """Post ``posts`` pipelined, then read every answer; a refusal stops the run."""
        for post in posts:
            self._sent.append(post)
            post.ticket = yield from self._send_or_recover(post)
        for post in posts:
            yield from self._accepted(post)

    def _send_or_recover(self, post: _Post) -> SessionFlow[int | None]:
        try:
            ticket: int = yield Send(Request("POST", self._commands, json={"data": post.data}))
            return ticket
        except RobotUnreachable:
            yield from self._recover()
            return post.ticket  # recovery sent it again (or found it), if it had to

    def _accepted(self, post: _Post) -> SessionFlow[None]:
        while post.command_id is None:
            if post.ticket is None:
                yield from self._recover()
                continue
            try:
                response: httpx.Response = yield Answer(post.ticket)
                command = read(response, _CommandBody).data
            except RobotUnreachable:
                post.ticket = None
                yield from self._recover()
                continue
            except RunConflict as conflict:  # the run ended (a failure before this post)
                run = yield from self._get_run()
                raise (yield from self._learn_failure(run, conflict)) from conflict
            except OtlinkError as refused:
                yield from self._stop()
                if post.origin is not None:
                    refused.args = (f"{refused} [issued at {post.origin[0]}:{post.origin[1]}]",)
                self.failure = refused
                raise
            post.command_id = command.id
            if command.status == CommandStatus.FAILED:
                run = yield from self._get_run()
                raise (yield from self._learn_failure(run))

    def _release(self, hold: _Hold) -> SessionFlow[None]:
        """``play`` past ``hold`` (every post behind it is accepted); once, even if the
        answer is lost: after a recovery the hold is looked at before playing again."""
        if self._wary:
            yield from self._check_queue(hold)
        while True:
            try:
                # The batch starts as the play lands, and a look sent now lands as late: the
                # send time is the one that places the looks (see _until_waiting).
                self._released_at = self.clock()
                yield from self._action("play")
                return
            except RobotUnreachable:
                yield from self._recover()
            status = yield from self._hold_status(hold)
            if status != CommandStatus.RUNNING:
                return

    def _check_queue(self, hold: _Hold) -> SessionFlow[None]:
        """The robot's queue from ``hold`` on is exactly what was posted behind it, else the
        run is stopped before anything runs twice or out of order."""
        expected = [post.key for post in hold.behind]
        probe = yield from self._patiently(
            functools.partial(command_flows.list_page, self.options, self._commands, None, 1)
        )
        total = probe.meta.totalLength
        start = max(0, total - len(expected) - 8)
        page = yield from self._patiently(
            functools.partial(
                command_flows.list_page, self.options, self._commands, start, total - start
            )
        )
        keys = [command.key for command in page.data]
        at = keys.index(hold.post.key) if hold.post.key in keys else None
        if at is not None and keys[at + 1 :] == expected:
            return
        yield from self._stop()
        self.failure = late_duplicate(f"lookahead on run {self.run_id}")
        raise self.failure

    def _action(self, action: str) -> SessionFlow[None]:
        request = Request(
            "POST", f"/runs/{self.run_id}/actions", json={"data": {"actionType": action}}
        )
        ticket = yield Send(request)
        response = yield Answer(ticket)
        try:
            read(response, _ActionBody)
        except RunConflict as conflict:
            run = yield from self._get_run()
            raise (yield from self._learn_failure(run, conflict)) from conflict

    # Watching the robot --------------------------------------------------------------------

    def _until_waiting(self) -> SessionFlow[None]:
        """Wait until the robot waits at the tail hold; raise the failure if the run ended.

        Looks at the hold with GETs pipelined (without waiting for one answer before the next),
        closing in on the moment the robot is expected there: a look lands a one-way delay
        after it is sent, as the play did, so looks sent at the play's send time plus the
        batch's expected length land as the robot arrives. Before that the gap between looks
        is a quarter of the time left (``poll_first`` to ``poll_longest``); after it, it grows
        from ``poll_first`` to ``poll_longest``: at most ``1/poll_longest`` looks per second
        while a long command runs."""
        tail = self._holds[-1]
        if self._waiting_at is tail:
            return
        yield from self._accepted(tail.post)
        path = f"{self._commands}/{tail.post.command_id}"
        looks: collections.deque[tuple[int, float]] = collections.deque()
        expected: float | None = None
        due = self.clock()
        if self._released_at is not None and self._per_command is not None:
            expected = self._released_at + self._released * self._per_command
            due = max(due, self._released_at + 0.5 * self._released * self._per_command)
        late = self.poll_first  # the gap between looks once the expected moment has passed
        queued_look: float | None = None  # when the last look that saw the hold queued left
        while True:
            if not looks and self.clock() < due:  # no look in flight: wait for the next one
                yield Sleep(max(0.0, due - self.clock()))
            if not looks or self.clock() >= due:
                try:
                    looks.append(((yield Send(Request("GET", path))), self.clock()))
                except RobotUnreachable:
                    looks.clear()
                    yield from self._recover()
                    due = self.clock()
                    continue
                now = self.clock()
                if expected is not None and now < expected:
                    gap = (expected - now) / 4
                else:
                    gap, late = late, min(late * 1.25, self.poll_longest)
                due = now + min(max(gap, self.poll_first), self.poll_longest)
            ticket, sent = looks[0]
            try:
                response = yield Answer(ticket, within=max(0.0, due - self.clock()))
            except RobotUnreachable:
                looks.clear()
                yield from self._recover()
                continue
            if response is None:
                if self.clock() - sent > self.options.timeout:  # a stalled answer
                    looks.clear()
                    yield from self._recover()
                continue
            looks.popleft()
            status = CommandStatus(read(response, _CommandBody).data.status)
            if status == CommandStatus.QUEUED:
                queued_look = sent
                continue
            for stale, _ in looks:
                yield Discard(stale)
            if status == CommandStatus.RUNNING:
                self._waiting_at = tail
                self._holds = [tail]
                self._learn_pace(queued_look, sent)
                return
            # Failed with the run, or played by someone else: the run has ended.
            run = yield from self._until_done()
            raise (yield from self._learn_failure(run))

    def _learn_pace(self, queued_look: float | None, running_look: float) -> None:
        """The robot's time per command, in the looks' send times: it reached the hold after
        the last look that saw it queued and before the first that saw it waiting. A batch
        not seen queued (the caller came back after the robot finished) only says it was
        faster, so the looks start sooner next time."""
        if self._released_at is not None and self._released > 0:
            watched = queued_look is not None
            reached = (queued_look + running_look) / 2 if queued_look is not None else running_look
            per = max(0.0, reached - self._released_at) / self._released
            old = self._per_command
            if old is None:
                self._per_command = per if watched else None
            else:
                self._per_command = (old + per) / 2 if watched else min(old, per) / 2
        self._released_at = None

    def _hold_status(self, hold: _Hold) -> SessionFlow[CommandStatus]:
        yield from self._accepted(hold.post)
        while True:
            try:
                ticket = yield Send(Request("GET", f"{self._commands}/{hold.post.command_id}"))
                response = yield Answer(ticket)
                return CommandStatus(read(response, _CommandBody).data.status)
            except RobotUnreachable:
                yield from self._recover()

    def _get_run(self) -> SessionFlow[Run]:
        return (yield from self._patiently(lambda: run_flows.get_run(self.options, self.run_id)))

    def _until_done(self) -> SessionFlow[Run]:
        interval = self.poll_first
        while not (run := (yield from self._get_run())).is_done:
            yield Sleep(interval)
            interval = min(interval * 1.5, self.poll_longest)
        return run

    # Failures and broken connections -------------------------------------------------------

    def _raise_known_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def _learn_failure(
        self, run: Run, cause: OtlinkError | None = None
    ) -> SessionFlow[OtlinkError]:
        """The CommandFailed of the run's failed command, with the origin it was issued at."""
        if not run.is_done:
            run = yield from self._until_done()
        summaries = yield from self._patiently(self._list_commands)
        for summary in summaries:
            if summary.status == CommandStatus.FAILED and summary.error is not None:
                full = yield from self._patiently(
                    functools.partial(command_flows.get, self.options, self._commands, summary.id)
                )
                failure = command_flows.failure_of(full)
                post = self._by_key.get(summary.key or "")
                if post is not None and post.origin is not None:
                    failure.filename, failure.line = post.origin
                self.failure = failure
                return failure
        self.failure = cause or RunConflict(
            409,
            f"lookahead on run {self.run_id}",
            error_id="RunStopped",
            detail=f"the run ended ({run.status}) with no failed command: was it stopped?",
        )
        return self.failure

    def _stop(self) -> SessionFlow[None]:
        with contextlib.suppress(OtlinkError):  # the caller's end of the run tries again
            yield from run_flows.stop_run(self.options, self.run_id)

    def _recover(self) -> SessionFlow[None]:
        """After a broken connection: the posts the robot lists (by key) stand; the first it
        does not and every post after it are sent again, in order, on a new connection (and
        all over again if that one breaks too)."""
        self._wary = True
        tries = 0
        while True:
            tries += 1
            yield Reconnect()
            yield Sleep(self.options.settle)  # a request the robot was still reading lands first
            known = {c.key: c.id for c in (yield from self._patiently(self._list_commands))}
            try:
                resend = False
                for post in self._sent:
                    if post.command_id is not None:
                        continue
                    if not resend and post.key in known:
                        post.command_id, post.ticket = known[post.key], None
                        continue
                    resend = True
                    post.ticket = None
                    ticket: int = yield Send(
                        Request("POST", self._commands, json={"data": post.data})
                    )
                    post.ticket = ticket
                return
            except RobotUnreachable:
                yield Sleep(self.options.backoff_delay(tries))

    def _list_commands(self) -> Flow[list[CommandSummary]]:
        return (yield from _collect(command_flows.iterate(self.options, self._commands, 200)))

    def _patiently(self, make: Callable[[], Flow[T]]) -> SessionFlow[T]:
        """Run a client flow (again) while the robot is away, for up to ``grace`` seconds."""
        deadline = self.clock() + self.grace
        tries = 0
        while True:
            tries += 1
            try:
                return (yield from make())
            except NotFound as gone:
                raise RunLost.of(self.host, self.run_id) from gone
            except RobotUnreachable:
                if self.clock() >= deadline:
                    raise
            yield Sleep(self.options.backoff_delay(tries))


def _collect(stream: Stream[T]) -> Flow[list[T]]:
    """A client stream as a flow of the list of its items (its steps pass through)."""
    items: list[T] = []
    reply: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = stream.throw(error) if error is not None else stream.send(reply)
        except StopIteration:
            return items
        reply, error = None, None
        if isinstance(step, Emit):
            items.append(step.item)
            continue
        try:
            reply = yield step
        except BaseException as thrown:  # handed back into the stream, where it belongs
            error = thrown
