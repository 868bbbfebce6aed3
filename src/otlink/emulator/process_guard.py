"""Process-ending calls refused to protocol code, so a run cannot end the virtual OT-2.

A protocol's ``run()`` executes in a thread of the server (see :mod:`.protocol_threads`). From
there, ``os._exit(3)``, ``os.abort()``, a signal sent to the server's own process or group, or an
``exec`` would end or replace the whole server. :func:`install` wraps those functions (in ``os``
and in ``posix``, where ``os`` gets them) so that, called from a protocol thread, they raise
:class:`ProtocolEndedProcess` instead, and the run fails with that error; from any other thread
they behave as always. This is containment of Python calls, not a sandbox: native code (ctypes,
a C extension) can still end the process.

>>> install()
>>> os._exit  # doctest: +ELLIPSIS
<function ...>
"""

from __future__ import annotations

import _thread
import functools
import os
import posix
import signal
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .protocol_threads import ProtocolEndedProcess, in_protocol_thread

_INSTALLED = "__otlink_guarded__"


def _ends_this_process(pid: int) -> bool:
    # 0 is our group, -1 every process we may signal, -N the group N.
    return pid in (0, -1, os.getpid(), -os.getpgrp())


def _refuse_always(args: tuple[Any, ...]) -> bool:
    return True


def _refuse_kill(args: tuple[Any, ...]) -> bool:
    pid, sig = args[0], args[1]
    return sig != 0 and _ends_this_process(pid)  # signal 0 only asks whether pid runs


def _refuse_killpg(args: tuple[Any, ...]) -> bool:
    return args[1] != 0 and args[0] in (0, os.getpgrp())


_BY_NAME: dict[str, Callable[[tuple[Any, ...]], bool]] = {
    "_exit": _refuse_always,
    "abort": _refuse_always,
    "kill": _refuse_kill,
    "killpg": _refuse_killpg,
    "execv": _refuse_always,  # os.execl, execlp, execvp and the rest call these two
    "execve": _refuse_always,
}
# (module, function, whether this call, by its arguments, would end the server)
_GUARDED: tuple[tuple[ModuleType, str, Callable[[tuple[Any, ...]], bool]], ...] = (
    *((module, name, refuse) for module in (os, posix) for name, refuse in _BY_NAME.items()),
    (signal, "raise_signal", _refuse_always),
    (signal, "pthread_kill", _refuse_always),
    (_thread, "interrupt_main", _refuse_always),
)


def _shown(argument: Any) -> str:
    return f"signal.{argument.name}" if isinstance(argument, signal.Signals) else repr(argument)


def _guarded(module: ModuleType, name: str, refuse: Callable[[tuple[Any, ...]], bool]) -> Any:
    original = getattr(module, name)
    shown = f"{'os' if module is posix else module.__name__}.{name}"

    @functools.wraps(original)
    def guard(*args: Any) -> Any:
        if in_protocol_thread() and refuse(args):
            raise ProtocolEndedProcess(f"{shown}({', '.join(map(_shown, args))})")
        return original(*args)

    setattr(guard, _INSTALLED, True)
    return guard


def install() -> None:
    """Guard the process-ending functions (once per process; later calls do nothing)."""
    for module, name, refuse in _GUARDED:
        if not getattr(getattr(module, name), _INSTALLED, False):
            setattr(module, name, _guarded(module, name, refuse))
