"""The child side of the sandboxes: a zygote that forks one process per protocol, and its jobs.

The zygote (``python -m otlink.emulator.sandbox_child FD``) imports opentrons once, then waits on
the control socket ``FD``. For each sandbox the server sends it one end of a fresh socket pair;
it forks, answers the child's process id, and the child serves jobs on that socket: requests and
outcomes are length-prefixed pickles. Forking a process that has imported everything takes
milliseconds, where starting Python and opentrons takes seconds. What protocol code prints goes
nowhere (the zygote's output is discarded), so it cannot garble the channel.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import socket
import struct
import sys
from typing import Any

_HEADER = struct.Struct("!Q")
PID = struct.Struct("!q")


def _read_exactly(channel: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = channel.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _picklable(error: BaseException) -> Exception:
    if not isinstance(error, Exception):  # SystemExit, KeyboardInterrupt: not the server's own
        return RuntimeError(f"The protocol raised {type(error).__name__}{error.args!r}.")
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def serve_jobs(channel: socket.socket) -> None:
    """Run the jobs sent on ``channel`` until it closes."""
    from . import analysis_jobs

    while (header := _read_exactly(channel, _HEADER.size)) is not None:
        body = _read_exactly(channel, _HEADER.unpack(header)[0])
        if body is None:
            return
        job, args = pickle.loads(body)
        reply: tuple[str, Any]
        try:
            reply = ("ok", asyncio.run(analysis_jobs.JOBS[job](*args)))
        except BaseException as error:  # SystemExit from the protocol is its failure too
            reply = ("error", _picklable(error))
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        channel.sendall(_HEADER.pack(len(data)) + data)


def zygote(control: socket.socket) -> None:
    from . import (
        analysis_jobs,  # noqa: F401  (imported once, inherited by every fork)
        legacy_module_models,
    )

    legacy_module_models.install()

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server ends its children itself
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forks are reaped by the system
    control.sendall(PID.pack(os.getpid()))  # ready
    while True:
        try:
            message, fds, _flags, _address = socket.recv_fds(control, 1, 1)
        except OSError:
            return
        if not message or not fds:
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            os.setsid()  # a group of its own: a protocol's kill(0, ...) ends itself, not the zygote
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            scratch = os.path.join(os.getcwd(), str(os.getpid()))  # removed by the server
            os.mkdir(scratch)
            os.chdir(scratch)
            try:
                serve_jobs(socket.socket(fileno=fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])
        control.sendall(PID.pack(pid))


if __name__ == "__main__":
    zygote(socket.socket(fileno=int(sys.argv[1])))
