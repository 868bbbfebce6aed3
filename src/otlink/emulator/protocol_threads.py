"""The Python threads that run a protocol's code inside the server, and what they may not do.

A protocol run executes the protocol's ``run()`` in a worker thread of this process, so that the
engine, and the robot's state it shares with every other route, stay the robot's own. Each such
thread is known while it runs protocol code (:func:`in_protocol_thread`), so that:

- a ``sys.exit()`` or ``KeyboardInterrupt`` raised by the protocol fails its run instead of
  reaching the server's event loop, which would end the server;
- the process-ending calls of :mod:`.process_guard` refuse to run there;
- a protocol that never calls the API again, and so never sees its run's stop, can still be
  stopped: :func:`interrupt_protocol_threads` raises an exception in the thread at its next
  Python instruction (the way Ctrl-C interrupts a program), and wakes a ``time.sleep`` (which
  :func:`install` makes interruptible in protocol threads) at once;
- the protocol's top level, which opentrons would run on the server's event loop when it creates
  the run, runs in a worker thread instead (:meth:`ContainedExecutor.run_top_level`), where its
  sleeps end at once (the sandbox ran it, sleeps and all, and the run runs it again);
- protocol code that runs longer than the run's limit without calling the Protocol API (a
  loop, a long sleep) fails the run with :class:`ProtocolCodeLimitExceeded`.

>>> contain(orchestrator, code_limit_s=300)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, SupportsIndex, TypeVar

import opentrons
from anyio import to_thread
from opentrons.protocol_engine import CommandStatus, EngineStatus
from opentrons.protocol_reader import ProtocolSource
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocol_runner.protocol_runner import PythonAndLegacyRunner
from opentrons.protocol_runner.python_protocol_wrappers import PythonProtocolExecutor
from opentrons.protocol_runner.run_orchestrator import ParseMode
from opentrons.protocols.execution.execute import run_protocol

from .top_level import TopLevel, run_top_level

_T = TypeVar("_T")
# How often the limit on protocol code is checked (its precision).
CHECK_INTERVAL_S = 0.25
# Command states in which the protocol waits for the robot, not for its own code.
_BUSY = (CommandStatus.QUEUED, CommandStatus.RUNNING)
# Once a protocol's own code has run this long (a pure-Python loop holds the GIL whenever it can),
# the server's threads take the GIL back after QUICK_SWITCH_S instead of CPython's 5 ms, so
# /health stays quick (bench/health_under_spin.py); only then: more switches cost the command path.
QUICK_SWITCH_AFTER_S = 1.0
QUICK_SWITCH_S = 0.001
_OPENTRONS = os.path.dirname(opentrons.__file__) + os.sep
_EXECUTION = os.path.join(_OPENTRONS, "protocols", "execution") + os.sep  # calls run(), not API


class ProtocolInterrupted(Exception):
    """Raised inside a protocol's thread that did not stop when its run was stopped."""


class ProtocolCodeLimitExceeded(Exception):
    """The protocol's own code ran longer than the limit without a Protocol API call."""

    def __init__(self, limit_s: float, line: int | None = None) -> None:
        where = f" (line {line})" if line is not None else ""
        super().__init__(
            f"The protocol's own code ran {limit_s:g} s without a Protocol API call{where}:"
            " a loop or a sleep that does not end? The virtual OT-2 stopped it. A protocol that"
            " computes or sleeps this long may run with `otlink emulate --protocol-code-limit"
            " SECONDS` (0: no limit)."
        )


class ProtocolEndedProcess(Exception):
    """A protocol tried to end the virtual OT-2's process; its run fails with this instead."""

    def __init__(self, call: str) -> None:
        super().__init__(
            f"The protocol called {call}; a protocol cannot end the virtual OT-2's process."
        )


class _Interruption(BaseException):
    """Delivered into a protocol thread; a BaseException so that ``except Exception`` lets it by."""


@dataclass
class _ProtocolThread:
    """One thread running protocol code, and what an interruption of it becomes."""

    ident: int
    wake: threading.Event = field(default_factory=threading.Event)
    sleeping: bool = False
    # False on the server's event loop, which a protocol's time.sleep must not stop.
    sleeps: bool = True
    failure: Callable[[int | None], Exception] | None = None


_PROTOCOL_THREADS: dict[int, _ProtocolThread] = {}
_sleep = time.sleep


def in_protocol_thread() -> bool:
    """Whether the calling thread is running a protocol's code right now."""
    return threading.get_ident() in _PROTOCOL_THREADS


def _set_async_exc(ident: int, exception: type[BaseException] | None) -> None:
    # None (NULL) clears an exception set earlier and not yet raised.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), None if exception is None else ctypes.py_object(exception)
    )


def _stopped(line: int | None) -> Exception:
    return ProtocolInterrupted("The run was stopped while the protocol's own code ran.")


def _interrupt(thread: _ProtocolThread, failure: Callable[[int | None], Exception]) -> None:
    if thread.failure is None:
        thread.failure = failure
    thread.wake.set()
    _set_async_exc(thread.ident, _Interruption)


def interruptible_sleep(seconds: float | SupportsIndex) -> None:
    """``time.sleep``; in a protocol thread, a sleep that its run's stop or limit ends at once."""
    thread = _PROTOCOL_THREADS.get(threading.get_ident())
    if thread is None or not isinstance(seconds, (int, float)) or seconds < 0:
        return _sleep(seconds)  # time.sleep's own errors for a bad length
    if not thread.sleeps:
        return None
    thread.sleeping = True
    try:
        woken = thread.wake.wait(seconds)
    finally:
        thread.sleeping = False
    if woken:
        _set_async_exc(thread.ident, None)  # raised here instead, once
        raise _Interruption
    return None


def install() -> None:
    """Make ``time.sleep`` interruptible in protocol threads (elsewhere it is unchanged)."""
    time.sleep = interruptible_sleep


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


def _protocol_line(error: BaseException, filename: str | None) -> int | None:
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None


@contextmanager
def _protocol_code(filename: str | None = None) -> Iterator[_ProtocolThread]:
    """Mark this thread as running protocol code; its exits become its own failure."""
    ident = threading.get_ident()
    outer = _PROTOCOL_THREADS.get(ident)
    thread = outer or _ProtocolThread(ident)
    _PROTOCOL_THREADS[ident] = thread
    try:
        yield thread
    except _Interruption as interruption:
        raise (thread.failure or _stopped)(_protocol_line(interruption, filename)) from None
    except (SystemExit, KeyboardInterrupt) as error:
        raise ProtocolEndedProcess(f"raise {type(error).__name__}{error.args!r}") from None
    finally:
        if outer is None:
            del _PROTOCOL_THREADS[ident]


def _contained(
    started: asyncio.Future[_ProtocolThread],
    loop: asyncio.AbstractEventLoop,
    filename: str | None,
    work: Callable[..., _T],
    *args: Any,
) -> _T:
    with _protocol_code(filename) as thread:
        loop.call_soon_threadsafe(_settle, started, thread)
        return work(*args)


def _sleepless(
    source: ProtocolSource, values: dict[str, Any] | None, paths: dict[str, Any] | None
) -> TopLevel | None:
    _PROTOCOL_THREADS[threading.get_ident()].sleeps = False
    return run_top_level(source, values, paths)


def _settle(started: asyncio.Future[_ProtocolThread], thread: _ProtocolThread) -> None:
    if not started.done():
        started.set_result(thread)


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
        loop = asyncio.get_running_loop()
        started: asyncio.Future[_ProtocolThread] = loop.create_future()
        filename = getattr(protocol.contents, "co_filename", None)
        watch = asyncio.ensure_future(self._watch(started))
        try:
            await to_thread.run_sync(
                _contained,
                started,
                loop,
                filename,
                run_protocol,
                protocol,
                context,
                run_time_parameters_with_overrides,
            )
        finally:
            watch.cancel()

    async def run_top_level(
        self, source: ProtocolSource, values: dict[str, Any] | None, paths: dict[str, Any] | None
    ) -> None:
        """Run the protocol's top level for the coming load, in a worker thread: opentrons runs
        it on the event loop, where a top level that computes would hold every route.

        The sandbox ran it first, its sleeps and all, and the run runs it again in its thread:
        here its sleeps end at once. It gets the run's limit on protocol code.
        """
        loop = asyncio.get_running_loop()
        started: asyncio.Future[_ProtocolThread] = loop.create_future()
        watch = asyncio.ensure_future(self._watch_top_level(started))
        try:
            self._top_level = await to_thread.run_sync(
                _contained, started, loop, source.main_file.name, _sleepless, source, values, paths
            )
        finally:
            watch.cancel()

    def extract_run_parameters(self, parameter_context: Any, **_: Any) -> Any:
        """What :meth:`run_top_level` found, for opentrons' load (in place of running it again)."""
        top = self._top_level
        if top is None:
            raise RuntimeError("The protocol's top level runs (run_top_level) before its load.")
        vars(parameter_context).update(vars(top.context))  # the runner reports this one's
        return top.parameters

    async def _watch_top_level(self, started: asyncio.Future[_ProtocolThread]) -> None:
        """Switch quickly once the top level has run a while, and stop it at the limit."""
        thread = await started
        limit = self._code_limit_s
        quick_at = QUICK_SWITCH_AFTER_S if not limit else min(QUICK_SWITCH_AFTER_S, limit)
        await asyncio.sleep(quick_at)
        _QUICK_SWITCHING.hold()
        try:
            if limit:
                await asyncio.sleep(limit - quick_at)
                _interrupt(thread, lambda line: ProtocolCodeLimitExceeded(limit, line))
            await asyncio.get_running_loop().create_future()  # until the top level ends
        finally:
            _QUICK_SWITCHING.release()

    async def _watch(self, started: asyncio.Future[_ProtocolThread]) -> None:
        """Watch the protocol's thread while it runs (see :meth:`_check`), switching quickly once
        its own code has run a while."""
        thread = await started
        loop = asyncio.get_running_loop()
        since, seen = loop.time(), self._robot_activity()
        quick = False
        try:
            while True:
                await asyncio.sleep(CHECK_INTERVAL_S)
                since, seen = self._check(thread, since, seen)
                own_code_s = loop.time() - since
                if (own_code_s >= QUICK_SWITCH_AFTER_S) != quick:
                    quick = not quick
                    (_QUICK_SWITCHING.hold if quick else _QUICK_SWITCHING.release)()
        finally:
            if quick:
                _QUICK_SWITCHING.release()

    def _check(
        self, thread: _ProtocolThread, since: float, seen: str | None
    ) -> tuple[float, str | None]:
        """Interrupt ``thread`` if it must be; when its own code began, and what the robot did."""
        now = asyncio.get_running_loop().time()
        limit = self._code_limit_s
        orchestrator = self._orchestrator
        stopping = orchestrator.get_run_status() == EngineStatus.STOP_REQUESTED
        if (stopping or orchestrator.run_has_stopped()) and thread.sleeping:
            # A stop reaches a protocol at its next API call: a sleep ends for it now.
            _interrupt(thread, _stopped)
        activity = None if _in_api(thread.ident) else self._robot_activity()
        if activity is None or activity != seen:
            return now, activity
        if limit and now - since >= limit:
            _interrupt(thread, lambda line: ProtocolCodeLimitExceeded(limit, line))
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


def _in_api(ident: int) -> bool:
    """Whether the thread is inside a Protocol API call now (one that sends no command, say)."""
    frame = sys._current_frames().get(ident)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_OPENTRONS):
            return not filename.startswith(_EXECUTION)
        frame = frame.f_back
    return False


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
) -> None:
    """Load ``source`` for a run of ``orchestrator`` (which :func:`contain` saw), a Python
    protocol's top level run first in a worker thread (:meth:`ContainedExecutor.run_top_level`)."""
    executor = getattr(orchestrator._protocol_runner, "_protocol_executor", None)
    if isinstance(executor, ContainedExecutor):
        await executor.run_top_level(source, values, paths)
    await orchestrator.load(
        source,
        run_time_param_values=values,
        run_time_param_paths=paths,
        parse_mode=ParseMode.ALLOW_LEGACY_METADATA_AND_REQUIREMENTS,
    )


def interrupt_protocol_threads() -> int:
    """Interrupt every protocol thread (a stopped run's); how many there were."""
    threads = list(_PROTOCOL_THREADS.values())
    for thread in threads:
        _interrupt(thread, _stopped)
    return len(threads)
