"""Lookahead for :class:`~otlink.client.RobotClient` and
:class:`~otlink.client.AsyncRobotClient`: thin shells that carry out the steps of one
:class:`~otlink.runs.session.LookaheadSession` (see there for why nothing runs after a failure).

Pipelined requests go on one connection of their own (:mod:`otlink.runs.pipeline`); the few
ordinary requests (reading the run, its commands) go through the client, with its retries.

Example::

    with RobotClient("10.0.0.5") as robot:
        run = robot.create_run()
        with Lookahead(robot, run.id, depth=128) as ahead:
            for well in ("A1", "B1", "C1"):
                ahead.enqueue("aspirate", {...})
                ahead.enqueue("dispense", {...})
            ahead.sync()          # everything so far ran, or the failure is raised here

    async with AsyncRobotClient("10.0.0.5") as robot:
        run = await robot.create_run()
        async with AsyncLookahead(robot, run.id) as ahead:
            await ahead.enqueue("home")
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, TypeVar

import anyio

from otlink.client import AsyncRobotClient, RobotClient
from otlink.client.steps import Request, Sleep
from otlink.errors import OtlinkError, RobotUnreachable
from otlink.models import Run
from otlink.runs.pipeline import AsyncPipe, SyncPipe
from otlink.runs.session import (
    DEFAULT_DEPTH,
    Answer,
    Discard,
    LookaheadSession,
    Reconnect,
    Send,
    SessionFlow,
    SessionStep,
)
from otlink.runs.sink import Origin

__all__ = ["DEFAULT_DEPTH", "AsyncLookahead", "Lookahead"]

T = TypeVar("T")


def _session(client: RobotClient | AsyncRobotClient, run_id: str, **knobs: Any) -> Any:
    host = client.url.split("://", 1)[-1]
    return LookaheadSession(run_id, client._options, host=host, **knobs)


class Lookahead:
    """Sends a fresh live run's commands ahead of their execution (it plays the run).

    ``depth`` commands go in one batch; ``grace`` is how long the robot may be away before
    the run is given up; ``poll_longest`` the longest pause between two looks at the robot.
    """

    def __init__(
        self,
        client: RobotClient,
        run_id: str,
        *,
        depth: int = DEFAULT_DEPTH,
        grace: float = 30.0,
        poll_longest: float = 0.25,
    ) -> None:
        self.client = client
        self.session: LookaheadSession = _session(
            client, run_id, depth=depth, grace=grace, poll_longest=poll_longest
        )
        self._pipe = SyncPipe(client.url, client._options)

    @property
    def failure(self) -> OtlinkError | None:
        """The robot failure already raised, if any."""
        return self.session.failure

    def start(self) -> None:
        """Play the run; returns once the robot has homed and waits for commands."""
        self._drive(self.session.start())

    def enqueue(
        self,
        command_type: str,
        params: Mapping[str, Any] | None = None,
        *,
        origin: Origin | None = None,
    ) -> str:
        """Queue a command (protocol intent) to go ahead; returns its key. ``origin`` (file,
        line) is reported with its failure. Raises the failure of an earlier command."""
        return self._drive(self.session.enqueue(command_type, params, origin))

    def sync(self) -> None:
        """Wait until the robot has run everything enqueued; raise the first failure."""
        self._drive(self.session.sync())

    def finish(self) -> Run:
        """Run everything and let the run end; returns it (``succeeded``) or raises."""
        return self._drive(self.session.finish())

    def close(self) -> None:
        """Close the pipelined connection (the run is left as it is)."""
        self._pipe.close()

    def __enter__(self) -> Lookahead:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and not self.session.finished:
                self.finish()
        finally:
            self.close()

    def _drive(self, flow: SessionFlow[T]) -> T:
        reply: Any = None
        error: BaseException | None = None
        while True:
            try:
                step = flow.throw(error) if error is not None else flow.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result
            try:
                reply, error = self._perform(step), None
            except RobotUnreachable as unreachable:
                reply, error = None, unreachable
            if isinstance(reply, BaseException):
                reply, error = None, reply

    def _perform(self, step: SessionStep) -> Any:
        if isinstance(step, Send):
            return self._pipe.send(step.request)
        if isinstance(step, Answer):
            return self._pipe.answer(step.ticket, step.within)
        if isinstance(step, Discard):
            return self._pipe.codec.discard(step.ticket)
        if isinstance(step, Reconnect):
            self._pipe.close()
            self._pipe = SyncPipe(self.client.url, self.client._options)
            return None
        assert isinstance(step, Request | Sleep)
        return self.client._perform(step)


class AsyncLookahead:
    """:class:`Lookahead` for an :class:`~otlink.client.AsyncRobotClient`, to ``await``."""

    def __init__(
        self,
        client: AsyncRobotClient,
        run_id: str,
        *,
        depth: int = DEFAULT_DEPTH,
        grace: float = 30.0,
        poll_longest: float = 0.25,
    ) -> None:
        self.client = client
        self.session: LookaheadSession = _session(
            client, run_id, depth=depth, grace=grace, poll_longest=poll_longest
        )
        self._pipe = AsyncPipe(client.url, client._options)

    @property
    def failure(self) -> OtlinkError | None:
        return self.session.failure

    async def start(self) -> None:
        await self._drive(self.session.start())

    async def enqueue(
        self,
        command_type: str,
        params: Mapping[str, Any] | None = None,
        *,
        origin: Origin | None = None,
    ) -> str:
        return await self._drive(self.session.enqueue(command_type, params, origin))

    async def sync(self) -> None:
        await self._drive(self.session.sync())

    async def finish(self) -> Run:
        return await self._drive(self.session.finish())

    async def aclose(self) -> None:
        await self._pipe.aclose()

    async def __aenter__(self) -> AsyncLookahead:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None and not self.session.finished:
                await self.finish()
        finally:
            await self.aclose()

    async def _drive(self, flow: SessionFlow[T]) -> T:
        reply: Any = None
        error: BaseException | None = None
        while True:
            try:
                step = flow.throw(error) if error is not None else flow.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result
            try:
                reply, error = await self._perform(step), None
            except RobotUnreachable as unreachable:
                reply, error = None, unreachable
            if isinstance(reply, BaseException):
                reply, error = None, reply

    async def _perform(self, step: SessionStep) -> Any:
        if isinstance(step, Send):
            return await self._pipe.send(step.request)
        if isinstance(step, Answer):
            return await self._pipe.answer(step.ticket, step.within)
        if isinstance(step, Discard):
            return self._pipe.codec.discard(step.ticket)
        if isinstance(step, Reconnect):
            await self._pipe.aclose()
            self._pipe = AsyncPipe(self.client.url, self.client._options)
            return None
        if isinstance(step, Sleep):
            await anyio.sleep(step.seconds)
            return None
        return await self.client._perform(step)
