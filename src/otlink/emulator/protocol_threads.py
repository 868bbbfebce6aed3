"""Ending a protocol run's Python thread that will not end by itself.

A protocol run executes the protocol's ``run()`` in a worker thread of this process, so that the
engine, and the robot's state it shares with every other route, stay the robot's own. A protocol
that loops without calling the API never sees a stop: after a grace period the stop raises
:class:`ProtocolInterrupted` inside that thread (at its next Python instruction), the way Ctrl-C
interrupts a program, and the run ends ``stopped``.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import PurePath
from types import FrameType

_RUNNER = ("run_protocol", PurePath("protocols", "execution", "execute.py"))


class ProtocolInterrupted(Exception):
    """Raised inside a protocol's thread that did not stop when its run was stopped."""


def protocol_thread_ids() -> list[int]:
    """Threads executing a protocol's code right now."""
    found = []
    for thread_id, frame in sys._current_frames().items():
        walker: FrameType | None = frame
        while walker is not None:
            code = walker.f_code
            if code.co_name == _RUNNER[0] and code.co_filename.endswith(str(_RUNNER[1])):
                found.append(thread_id)
                break
            walker = walker.f_back
    return found


def interrupt_protocol_threads() -> int:
    """Raise :class:`ProtocolInterrupted` in every protocol thread; how many there were."""
    threads = protocol_thread_ids()
    for thread_id in threads:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread_id), ctypes.py_object(ProtocolInterrupted)
        )
    return len(threads)
