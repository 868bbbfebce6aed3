"""One poller per robot, however many pages are open: :class:`RobotWatch` asks the robot about
its current run at most once a second and publishes a new :class:`RobotState`; pages wait on
the :class:`RobotHub` for the next one.

Each poll is one ``GET /runs?pageLength=1`` (the status poll), plus, while a run is active or
has just changed, one ``GET /runs/{id}/commands?pageLength=1`` for its progress. What changes
slowly (health, pipettes, modules and their temperatures, lights) is read every
``INVENTORY_EVERY`` polls, and an action (pause, lights...) brings the next poll forward, never
closer than a second to the last one.

Example::

    hub = RobotHub()
    hub.add("10.0.0.5")
    async with hub.running():
        state = await hub.next_change(0)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from otlink.client import AsyncRobotClient, ClientOptions
from otlink.client.transport import robot_url
from otlink.errors import OtlinkError
from otlink.models import AnalysisStatus, CommandSummary, Run

from .state import RobotState, RunProgress

__all__ = ["INVENTORY_EVERY", "POLL_INTERVAL", "RobotHub", "RobotWatch", "robot_key"]

#: The shortest time between two status polls of one robot, in seconds.
POLL_INTERVAL = 1.0
#: Health, pipettes, modules and lights are read every this many polls.
INVENTORY_EVERY = 5
#: The longest pause between polls of a robot that does not answer.
UNREACHABLE_INTERVAL = 5.0
# One try per request: the next poll is the retry.
_POLL_OPTIONS = ClientOptions(timeout=10.0, connect_timeout=3.0, attempts=1)


def robot_key(url: str) -> str:
    """The robot's name in the console's addresses: ``10.0.0.5-31950``."""
    return urlsplit(url).netloc.replace(":", "-").replace("[", "").replace("]", "")


class RobotWatch:
    """Polls one robot and keeps its latest :class:`RobotState`; ``client`` also carries the
    actions the console sends to it."""

    def __init__(self, url: str, hub: RobotHub, via: str = "configured") -> None:
        self.client = AsyncRobotClient(url, options=_POLL_OPTIONS)
        self.state = RobotState(key=robot_key(self.client.url), url=self.client.url, via=via)
        self._hub = hub
        self._wake = asyncio.Event()
        self._last_poll = 0.0
        self._planned: dict[str, tuple[list[CommandSummary], str]] = {}
        self._progress_of: tuple[str, str] | None = None

    def poke(self) -> None:
        """Poll again soon (after an action), but not sooner than ``POLL_INTERVAL``."""
        self._wake.set()

    async def run_forever(self) -> None:
        polls = 0
        while True:
            self._last_poll = time.monotonic()
            state = await self._poll(polls)
            polls += 1
            self.state = state
            self._hub.publish()
            pause = POLL_INTERVAL if state.reachable else UNREACHABLE_INTERVAL
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
            self._wake.clear()
            # A poke ends the wait early; the interval still holds from the last poll.
            await asyncio.sleep(max(0.0, self._last_poll + POLL_INTERVAL - time.monotonic()))

    async def _poll(self, polls: int) -> RobotState:
        state = self.state
        try:
            if polls % INVENTORY_EVERY == 0 or not state.reachable:
                state = await self._inventory(state)
            runs = await self.client.list_runs(page_length=1)
            run = runs[-1] if runs else None
            return await self._with_run(replace(state, reachable=True, problem=None), run)
        except OtlinkError as error:
            return replace(state, reachable=False, problem=str(error).splitlines()[0])

    async def _inventory(self, state: RobotState) -> RobotState:
        health = await self.client.health()
        pipettes = await self.client.get_pipettes()
        modules = await self.client.list_modules()
        lights = await self.client.get_lights()
        return replace(
            state, health=health, pipettes=pipettes, modules=tuple(modules), lights=lights.on
        )

    async def _with_run(self, state: RobotState, run: Run | None) -> RobotState:
        if run is None or not run.current:
            return replace(state, run=None, progress=None, protocol_name=None)
        seen = (run.id, str(run.status))
        if run.is_done and seen == self._progress_of and state.progress is not None:
            return replace(state, run=run)  # nothing moves in an ended run
        page = await self.client.list_commands(run.id, page_length=1)
        planned, name = await self._plan(run)
        self._progress_of = seen
        progress = RunProgress.read(run, page, planned)
        return replace(state, run=run, progress=progress, protocol_name=name)

    async def _plan(self, run: Run) -> tuple[list[CommandSummary] | None, str | None]:
        """The commands the analysis of the run's protocol planned, and its name (read once
        per protocol)."""
        if run.protocolId is None:
            return None, None
        if run.protocolId not in self._planned:
            protocol = await self.client.get_protocol(run.protocolId)
            summaries = protocol.analysisSummaries
            if not summaries or summaries[-1].status != AnalysisStatus.COMPLETED:
                return None, protocol.name
            analysis = await self.client.get_analysis(run.protocolId, summaries[-1].id)
            self._planned[run.protocolId] = (list(analysis.commands), protocol.name)
        planned, name = self._planned[run.protocolId]
        return planned, name


class RobotHub:
    """Every robot the console shows, one :class:`RobotWatch` each; pages wait for changes
    with :meth:`next_change`."""

    def __init__(self) -> None:
        self.watches: dict[str, RobotWatch] = {}
        self.version = 0
        self._changed = asyncio.Event()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._running = False

    def add(self, host: str, via: str = "configured") -> RobotWatch:
        """Watch the robot at ``host`` (an address, ``host:port`` or URL); once per robot."""
        key = robot_key(robot_url(host))
        if key not in self.watches:
            self.watches[key] = RobotWatch(host, self, via)
            if self._running:
                self._start(key)
        return self.watches[key]

    def states(self) -> list[RobotState]:
        return [watch.state for watch in self.watches.values()]

    def publish(self) -> None:
        """Wake every page waiting in :meth:`next_change`."""
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def next_change(self, seen: int, timeout: float = 15.0) -> int:
        """Wait until something changed after version ``seen`` (or ``timeout`` passed);
        returns the version now."""
        if self.version == seen:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
        return self.version

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[RobotHub]:
        """Poll every robot (and those added later) until the block ends."""
        self._running = True
        for key in self.watches:
            self._start(key)
        try:
            yield self
        finally:
            self._running = False
            await self._stop(list(self._tasks.values()))
            for watch in self.watches.values():
                await watch.client.aclose()

    def _start(self, key: str) -> None:
        self._tasks[key] = asyncio.ensure_future(self.watches[key].run_forever())

    @staticmethod
    async def _stop(tasks: Sequence[asyncio.Task[None]]) -> None:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
