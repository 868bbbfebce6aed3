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
  :func:`install` makes interruptible in protocol threads) at once (a thread blocked in a call
  that no exception enters is abandoned by its watcher);
- a thread may run code whose sleeps end at once (the top level again, at the run's creation);
- protocol code that runs longer than the run's limit without calling the Protocol API (a
  loop, a long sleep) fails the run with :class:`ProtocolCodeLimitExceeded`.

:mod:`.protocol_executor` runs a protocol's code in such threads and watches them.

>>> started = loop.create_future()  # doctest: +SKIP
>>> run_as_protocol_code(started, loop, "protocol.py", True, run, context)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import ctypes
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, SupportsIndex, TypeVar

_T = TypeVar("_T")


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
class ProtocolThread:
    """One thread running protocol code, and what an interruption of it becomes."""

    ident: int
    wake: threading.Event = field(default_factory=threading.Event)
    sleeping: bool = False
    # False for a top level run again as its run is created: the sandbox ran its sleeps.
    sleeps: bool = True
    failure: Callable[[int | None], Exception] | None = None
    interrupted_at: float | None = None  # time.monotonic() of the first interruption
    abandoned: bool = False  # its run stopped waiting for it (see protocol_executor.py)


_PROTOCOL_THREADS: dict[int, ProtocolThread] = {}
_sleep = time.sleep


def in_protocol_thread() -> bool:
    """Whether the calling thread is running a protocol's code right now."""
    return threading.get_ident() in _PROTOCOL_THREADS


def _set_async_exc(ident: int, exception: type[BaseException] | None) -> None:
    # None (NULL) clears an exception set earlier and not yet raised.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), None if exception is None else ctypes.py_object(exception)
    )


def stopped(line: int | None) -> Exception:
    return ProtocolInterrupted("The run was stopped while the protocol's own code ran.")


def interrupt(thread: ProtocolThread, failure: Callable[[int | None], Exception]) -> None:
    if thread.failure is None:
        thread.failure = failure
        thread.interrupted_at = time.monotonic()
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


def _protocol_line(error: BaseException, filename: str | None) -> int | None:
    lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    return lines[-1] if lines else None


@contextmanager
def _protocol_code(filename: str | None = None) -> Iterator[ProtocolThread]:
    """Mark this thread as running protocol code; its exits become its own failure."""
    ident = threading.get_ident()
    outer = _PROTOCOL_THREADS.get(ident)
    thread = outer or ProtocolThread(ident)
    _PROTOCOL_THREADS[ident] = thread
    try:
        yield thread
    except _Interruption as interruption:
        raise (thread.failure or stopped)(_protocol_line(interruption, filename)) from None
    except (SystemExit, KeyboardInterrupt) as error:
        raise ProtocolEndedProcess(f"raise {type(error).__name__}{error.args!r}") from None
    finally:
        if outer is None:
            del _PROTOCOL_THREADS[ident]


def run_as_protocol_code(
    started: asyncio.Future[ProtocolThread],
    loop: asyncio.AbstractEventLoop,
    filename: str | None,
    sleeps: bool,
    work: Callable[..., _T],
    *args: Any,
) -> _T:
    """``work(*args)`` in this (worker) thread, marked as protocol code of ``filename``; the
    thread is handed to ``started`` (on ``loop``) as it begins. Without ``sleeps``, the code's
    ``time.sleep`` calls end at once."""
    with _protocol_code(filename) as thread:
        thread.sleeps = sleeps
        loop.call_soon_threadsafe(_settle, started, thread)
        return work(*args)


def current_line(ident: int, filename: str | None) -> int | None:
    """The protocol line that thread ``ident`` is at now (in a call that does not return)."""
    frame = sys._current_frames().get(ident)
    while frame is not None and frame.f_code.co_filename != filename:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else None


def _settle(started: asyncio.Future[ProtocolThread], thread: ProtocolThread) -> None:
    if not started.done():
        started.set_result(thread)


def interrupt_protocol_threads() -> int:
    """Interrupt every protocol thread (a stopped run's); how many there were."""
    threads = list(_PROTOCOL_THREADS.values())
    for thread in threads:
        interrupt(thread, stopped)
    return len(threads)
