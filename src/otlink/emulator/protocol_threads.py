"""The Python threads that run a protocol's code inside the server, and what they may not do.

A protocol run executes the protocol's ``run()`` in a worker thread of this process, so that the
engine, and the robot's state it shares with every other route, stay the robot's own. Each such
thread is known while it runs protocol code (:func:`in_protocol_thread`), so that:

- a ``sys.exit()`` or ``KeyboardInterrupt`` raised by the protocol fails its run instead of
  reaching the server's event loop, which would end the server;
- the process-ending calls of :mod:`.process_guard` refuse to run there;
- a protocol that loops without calling the API, and so never sees its run's stop, can be
  interrupted (:func:`interrupt_protocol_threads` raises :class:`ProtocolInterrupted` in the
  thread at its next Python instruction, the way Ctrl-C interrupts a program).

>>> contain(orchestrator)  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from anyio import to_thread
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocol_runner.protocol_runner import PythonAndLegacyRunner
from opentrons.protocol_runner.python_protocol_wrappers import PythonProtocolExecutor
from opentrons.protocols.execution.execute import run_protocol

_T = TypeVar("_T")
_PROTOCOL_THREADS: set[int] = set()


class ProtocolInterrupted(Exception):
    """Raised inside a protocol's thread that did not stop when its run was stopped."""


class ProtocolEndedProcess(Exception):
    """A protocol tried to end the virtual OT-2's process; its run fails with this instead."""

    def __init__(self, call: str) -> None:
        super().__init__(
            f"The protocol called {call}; a protocol cannot end the virtual OT-2's process."
        )


def in_protocol_thread() -> bool:
    """Whether the calling thread is running a protocol's code right now."""
    return threading.get_ident() in _PROTOCOL_THREADS


@contextmanager
def _protocol_code() -> Iterator[None]:
    """Mark this thread as running protocol code; its exits become its own failure."""
    ident = threading.get_ident()
    nested = ident in _PROTOCOL_THREADS
    _PROTOCOL_THREADS.add(ident)
    try:
        yield
    except (SystemExit, KeyboardInterrupt) as error:
        raise ProtocolEndedProcess(f"raise {type(error).__name__}{error.args!r}") from None
    finally:
        if not nested:
            _PROTOCOL_THREADS.discard(ident)


def _contained(work: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    with _protocol_code():
        return work(*args, **kwargs)


class ContainedExecutor(PythonProtocolExecutor):
    """opentrons' executor of Python protocols, with the protocol's code marked and contained."""

    @staticmethod
    async def execute(protocol: Any, context: Any, run_time_parameters_with_overrides: Any) -> None:
        await to_thread.run_sync(
            _contained, run_protocol, protocol, context, run_time_parameters_with_overrides
        )

    @staticmethod
    def extract_run_parameters(*args: Any, **kwargs: Any) -> Any:
        # Runs the protocol's top level, on the event loop's thread (the sandbox ran it first).
        return _contained(PythonProtocolExecutor.extract_run_parameters, *args, **kwargs)


def contain(orchestrator: RunOrchestrator) -> None:
    """Run the Python protocol of ``orchestrator`` (if any) with a :class:`ContainedExecutor`."""
    runner = orchestrator._protocol_runner
    if isinstance(runner, PythonAndLegacyRunner):
        runner._protocol_executor = ContainedExecutor()


def interrupt_protocol_threads() -> int:
    """Raise :class:`ProtocolInterrupted` in every protocol thread; how many there were."""
    threads = list(_PROTOCOL_THREADS)
    for thread_id in threads:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread_id), ctypes.py_object(ProtocolInterrupted)
        )
    return len(threads)
