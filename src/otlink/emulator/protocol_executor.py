"""opentrons' executor of Python protocols, with the protocol's code run as protocol code.

The server runs a protocol's ``run()``, and its top level when it creates the run, in worker
threads marked as protocol threads (:mod:`.protocol_threads`), and watches them: their own code
(not the Protocol API's) is timed against the run's limit, the interpreter switches threads more
often while it runs long, and a thread that its stop or limit does not end is abandoned.

>>> contain(orchestrator, code_limit_s=300)  # doctest: +SKIP
>>> await load_for_run(orchestrator, source, {"volume": 20}, {}, read)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import opentrons
from anyio import to_thread
from opentrons.protocol_engine import CommandStatus, EngineStatus
from opentrons.protocol_reader import ProtocolSource
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocol_runner.protocol_runner import PythonAndLegacyRunner
from opentrons.protocol_runner.python_protocol_wrappers import (
    PythonAndLegacyFileReader,
    PythonProtocolExecutor,
)
from opentrons.protocol_runner.run_orchestrator import ParseMode
from opentrons.protocols.execution.execute import run_protocol
from opentrons.protocols.types import PythonProtocol

from .protocol_threads import (
    ProtocolCodeLimitExceeded,
    ProtocolThread,
    current_line,
    interrupt,
    run_as_protocol_code,
    stopped,
)
from .top_level import ReadProtocol, TopLevel, run_top_level

_T = TypeVar("_T")
_log = logging.getLogger(__name__)
# How often the limit on protocol code is checked (its precision).
CHECK_INTERVAL_S = 0.25
# Command states in which the protocol waits for the robot, not for its own code.
_BUSY = (CommandStatus.QUEUED, CommandStatus.RUNNING)
# Once a protocol's own code has run this long (a pure-Python loop holds the GIL whenever it can),
# the server's threads take the GIL back after QUICK_SWITCH_S instead of CPython's 5 ms, so
# /health stays quick (bench/health_under_spin.py); only then: more switches cost the command path.
QUICK_SWITCH_AFTER_S = 1.0
QUICK_SWITCH_S = 0.001
# How long an interrupted protocol thread may take to end before the run stops waiting for it.
ABANDON_AFTER_S = 1.0
_OPENTRONS = os.path.dirname(opentrons.__file__) + os.sep
_EXECUTION = os.path.join(_OPENTRONS, "protocols", "execution") + os.sep  # calls run(), not API


class _QuickSwitching:
    """The interpreter's switch interval, lowered while any protocol's own code runs long."""

    def __init__(self) -> None:
        self._holders = 0
        self._saved = sys.getswitchinterval()

    def hold(self) -> None:
        if self._holders == 0:
            self._saved = sys.getswitchinterval()
            sys.setswitchinterval(min(self._saved, QUICK_SWITCH_S))
        self._holders += 1

    def release(self) -> None:
        self._holders -= 1
        if self._holders == 0:
            sys.setswitchinterval(self._saved)


_QUICK_SWITCHING = _QuickSwitching()


def _own_code() -> str:
    """The activity of a top level, before its run has an engine that works: its own code."""
    return ""


class ContainedExecutor(PythonProtocolExecutor):
    """opentrons' executor of Python protocols, with the protocol's code marked and contained.

    ``code_limit_s`` (0: none) bounds how long the protocol's own code may run between two
    Protocol API calls, in real time whatever ``--fast`` does to the robot's waits.
    """

    def __init__(self, orchestrator: RunOrchestrator, code_limit_s: float) -> None:
        self._orchestrator = orchestrator
        self._code_limit_s = code_limit_s
        self._top_level: TopLevel | None = None

    async def execute(
        self, protocol: Any, context: Any, run_time_parameters_with_overrides: Any
    ) -> None:
        filename = getattr(protocol.contents, "co_filename", None)
        await self._contained(
            filename,
            True,
            self._robot_activity,
            run_protocol,
            protocol,
            context,
            run_time_parameters_with_overrides,
        )

    async def run_top_level(
        self, protocol: PythonProtocol, values: dict[str, Any] | None, paths: dict[str, Any] | None
    ) -> None:
        """Run the protocol's top level for the coming load, in a worker thread: opentrons runs
        it on the event loop, where a top level that computes would hold every route.

        The sandbox ran it first, its sleeps and all, and the run runs it again in its thread:
        here its sleeps end at once. It gets the run's limit on protocol code.
        """
        self._top_level = await self._contained(
            protocol.filename, False, _own_code, run_top_level, protocol, values, paths
        )

    def extract_run_parameters(self, parameter_context: Any, **_: Any) -> Any:
        """What :meth:`run_top_level` found, for opentrons' load (in place of running it again)."""
        top = self._top_level
        if top is None:
            raise RuntimeError("The protocol's top level runs (run_top_level) before its load.")
        vars(parameter_context).update(vars(top.context))  # the runner reports this one's
        return top.parameters

    async def _contained(
        self,
        filename: str | None,
        sleeps: bool,
        activity: Callable[[], str | None],
        work: Callable[..., _T],
        *args: Any,
    ) -> _T:
        """``work(*args)`` as protocol code in a worker thread, watched (see :meth:`_check`).

        A thread that an interruption does not reach (blocked in a call no exception enters,
        such as ``threading.Event().wait()``) is abandoned after ABANDON_AFTER_S: this fails
        with the interruption's error, and the thread is left to end on its own.
        """
        loop = asyncio.get_running_loop()
        started: asyncio.Future[ProtocolThread] = loop.create_future()
        job = asyncio.ensure_future(
            to_thread.run_sync(
                run_as_protocol_code,
                started,
                loop,
                filename,
                sleeps,
                work,
                *args,
                abandon_on_cancel=True,
            )
        )
        watch = asyncio.ensure_future(self._watch(started, job, activity))
        try:
            return await job
        except asyncio.CancelledError:
            thread = started.result() if started.done() else None
            if thread is None or not thread.abandoned:
                raise
            _log.warning("A protocol's thread did not end when interrupted; it was abandoned.")
            failure = thread.failure or stopped
            raise failure(current_line(thread.ident, filename)) from None
        finally:
            watch.cancel()

    async def _watch(
        self,
        started: asyncio.Future[ProtocolThread],
        job: asyncio.Future[Any],
        activity: Callable[[], str | None],
    ) -> None:
        """Watch the protocol's thread while it runs (see :meth:`_check`), switching quickly once
        its own code has run a while, and abandoning it if an interruption does not end it."""
        thread = await started
        loop = asyncio.get_running_loop()
        since, seen = loop.time(), activity()
        quick = False
        try:
            while True:
                await asyncio.sleep(CHECK_INTERVAL_S)
                since, seen = self._check(thread, since, seen, activity)
                own_code_s = loop.time() - since
                if (own_code_s >= QUICK_SWITCH_AFTER_S) != quick:
                    quick = not quick
                    (_QUICK_SWITCHING.hold if quick else _QUICK_SWITCHING.release)()
                interrupted = thread.interrupted_at
                if interrupted is not None and time.monotonic() - interrupted >= ABANDON_AFTER_S:
                    thread.abandoned = True
                    job.cancel()
        finally:
            if quick:
                _QUICK_SWITCHING.release()

    def _check(
        self,
        thread: ProtocolThread,
        since: float,
        seen: str | None,
        activity: Callable[[], str | None],
    ) -> tuple[float, str | None]:
        """Interrupt ``thread`` if it must be; when its own code began, and what the robot did."""
        now = asyncio.get_running_loop().time()
        limit = self._code_limit_s
        orchestrator = self._orchestrator
        stopping = orchestrator.get_run_status() == EngineStatus.STOP_REQUESTED
        if (stopping or orchestrator.run_has_stopped()) and thread.sleeping:
            # A stop reaches a protocol at its next API call: a sleep ends for it now.
            interrupt(thread, stopped)
        now_doing = None if _in_api(thread.ident) else activity()
        if now_doing is None or now_doing != seen:
            return now, now_doing
        if limit and now - since >= limit:
            interrupt(thread, lambda line: ProtocolCodeLimitExceeded(limit, line))
        return since, seen

    def _robot_activity(self) -> str | None:
        """The last command, or None while the robot works or waits (the clock stops then)."""
        orchestrator = self._orchestrator
        if orchestrator.get_run_status() != EngineStatus.RUNNING:
            return None  # paused, stopping, awaiting recovery: not the protocol's own time
        current = orchestrator.get_current_command()
        if current is None:
            return ""
        if orchestrator.get_command(current.command_id).status in _BUSY:
            return None
        return str(current.command_id)


def contain(orchestrator: RunOrchestrator, *, code_limit_s: float = 0) -> None:
    """Run the Python protocol of ``orchestrator`` (if any) with a :class:`ContainedExecutor`."""
    runner = orchestrator._protocol_runner
    if isinstance(runner, PythonAndLegacyRunner):
        runner._protocol_executor = ContainedExecutor(orchestrator, code_limit_s)


async def load_for_run(
    orchestrator: RunOrchestrator,
    source: ProtocolSource,
    values: dict[str, Any] | None,
    paths: dict[str, Any] | None,
    read: ReadProtocol | None,
) -> None:
    """Load ``source`` for a run of ``orchestrator`` (which :func:`contain` saw); a Python
    protocol ``read`` in a sandbox is not parsed again, and its top level runs in a worker
    thread first (:meth:`ContainedExecutor.run_top_level`)."""
    runner = orchestrator._protocol_runner
    executor = getattr(runner, "_protocol_executor", None)
    if read is not None and isinstance(executor, ContainedExecutor):
        protocol = read.for_run()
        await executor.run_top_level(protocol, values, paths)
        runner._protocol_file_reader = _ReadAlready(protocol)  # type: ignore[union-attr]
    await orchestrator.load(
        source,
        run_time_param_values=values,
        run_time_param_paths=paths,
        parse_mode=ParseMode.ALLOW_LEGACY_METADATA_AND_REQUIREMENTS,
    )


class _ReadAlready(PythonAndLegacyFileReader):
    """opentrons' reader of Python protocols, for a protocol that a sandbox read already."""

    def __init__(self, protocol: PythonProtocol) -> None:
        self._protocol = protocol

    def read(self, *_: Any, **__: Any) -> PythonProtocol:  # type: ignore[override]
        return self._protocol


def _in_api(ident: int) -> bool:
    """Whether the thread is inside a Protocol API call now (one that sends no command, say)."""
    frame = sys._current_frames().get(ident)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_OPENTRONS):
            return not filename.startswith(_EXECUTION)
        frame = frame.f_back
    return False
