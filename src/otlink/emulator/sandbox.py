"""Protocol code run in child processes with a time limit, so it cannot stop the virtual OT-2.

A protocol is a program: loading it runs its top level, analysing it runs ``run()``. Either may
sleep, loop forever or end the process. Each protocol's jobs go to a :class:`Sandbox` of its own, a
child process forked from a :class:`Zygote` (a child Python that imported opentrons once, working
in a scratch directory); the server awaits the answers without blocking, and a child past its time
limit, or one that dies, is killed and the job fails with a :class:`SandboxStopped` that names what
happened.

>>> pool = SandboxPool(time_limit_s=60)  # doctest: +SKIP
>>> await pool.call("load_parameters", source, {}, {})  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import shutil
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import Any

_HEADER = struct.Struct("!Q")
PID = struct.Struct("!q")
DEFAULT_TIME_LIMIT_S = 60.0
MAX_CHILDREN = 2  # each holds its own opentrons (about 150 MB)
# The children run below the server's scheduling priority: on a busy machine, a protocol's
# analysis (one that spins, say) waits for the CPU, rather than the server's answers.
SANDBOX_NICENESS = 10


class SandboxStopped(Exception):
    """Protocol code was stopped: it ran past its time limit, or it ended its process."""


async def read_frame(reader: asyncio.StreamReader) -> Any:
    (length,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    return pickle.loads(await reader.readexactly(length))


def frame(value: Any) -> bytes:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


class Sandbox:
    """One forked child; it serves the jobs of one protocol, then is thrown away."""

    def __init__(
        self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, scratch: Path
    ) -> None:
        self.pid = pid
        self.scratch = scratch  # its working directory, where the protocol's files land
        self._reader = reader
        self._writer = writer

    async def call(self, job: str, *args: Any, time_limit_s: float) -> Any:
        """Run ``job`` in the child; its result, or the exception it raised there."""
        try:
            self._writer.write(frame((job, args)))
            await self._writer.drain()
            outcome, value = await asyncio.wait_for(read_frame(self._reader), time_limit_s)
        except asyncio.TimeoutError:
            self.kill()
            raise SandboxStopped(
                f"The protocol ran for more than {time_limit_s:g} s, so the virtual OT-2 stopped"
                " it (is something sleeping or looping forever?)."
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError, EOFError):
            raise SandboxStopped("The protocol ended the Python process running it.") from None
        if outcome == "error":
            if not isinstance(value, Exception):
                raise RuntimeError(repr(value))  # never a SystemExit of the server's own
            raise value
        return value

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    async def close(self) -> None:
        self.kill()
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()
        shutil.rmtree(self.scratch, ignore_errors=True)


class Zygote:
    """A child Python that has imported opentrons and forks a :class:`Sandbox` when asked."""

    def __init__(
        self, process: asyncio.subprocess.Process, control: socket.socket, scratch: Path
    ) -> None:
        self._process = process
        self._scratch = scratch
        self._control = control
        self._lock = asyncio.Lock()

    @classmethod
    async def start(cls, scratch: Path) -> Zygote:
        ours, theirs = socket.socketpair()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "otlink.emulator.sandbox_child",
            str(theirs.fileno()),
            pass_fds=(theirs.fileno(),),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=scratch,
            start_new_session=True,  # Ctrl-C in the terminal is the server's to handle
        )
        theirs.close()
        with contextlib.suppress(OSError):  # its forks inherit it
            os.setpriority(os.PRIO_PROCESS, process.pid, SANDBOX_NICENESS)
        ours.setblocking(False)
        zygote = cls(process, ours, scratch)
        try:
            await zygote._pid()  # it is ready once opentrons is imported
        except BaseException:  # cancelled by a server stopping before it was ready
            await zygote.close()
            raise
        return zygote

    async def _pid(self) -> int:
        loop = asyncio.get_running_loop()
        data = b""
        while len(data) < PID.size:
            chunk = await loop.sock_recv(self._control, PID.size - len(data))
            if not chunk:
                raise SandboxStopped("The virtual OT-2's protocol sandbox could not start.")
            data += chunk
        pid: int = PID.unpack(data)[0]
        return pid

    async def fork(self) -> Sandbox:
        ours, theirs = socket.socketpair()
        async with self._lock:
            socket.send_fds(self._control, [b"f"], [theirs.fileno()])
            theirs.close()
            pid = await self._pid()
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        return Sandbox(pid, reader, writer, self._scratch / str(pid))

    async def close(self) -> None:
        self._control.close()
        with contextlib.suppress(ProcessLookupError):
            self._process.kill()
        with contextlib.suppress(Exception):
            await self._process.wait()


class SandboxPool:
    """Hands out fresh sandboxes, at most :data:`MAX_CHILDREN` busy at once."""

    def __init__(self, scratch: Path, time_limit_s: float = DEFAULT_TIME_LIMIT_S) -> None:
        self.time_limit_s = time_limit_s
        self._scratch = scratch
        self._zygote: asyncio.Task[Zygote] | None = None
        self._slots = asyncio.Semaphore(MAX_CHILDREN)
        self._busy: set[Sandbox] = set()

    def warm_up(self) -> None:
        """Start the zygote now (at boot), so the first upload does not wait for it."""
        if self._zygote is None or (self._zygote.done() and self._zygote.exception()):
            self._zygote = asyncio.ensure_future(Zygote.start(self._scratch))

    async def acquire(self) -> Sandbox:
        """A started sandbox of its own; give it back with :meth:`release`."""
        await self._slots.acquire()
        try:
            try:
                box = await self._fork()
            except (OSError, SandboxStopped):  # the zygote died (a protocol killed it?): anew
                await self._forget_zygote()
                box = await self._fork()
        except BaseException:
            self._slots.release()
            raise
        self._busy.add(box)
        return box

    async def _forget_zygote(self) -> None:
        zygote, self._zygote = self._zygote, None
        if zygote is not None:
            with contextlib.suppress(BaseException):
                await (await zygote).close()

    async def _fork(self) -> Sandbox:
        self.warm_up()
        assert self._zygote is not None
        return await (await self._zygote).fork()

    async def release(self, box: Sandbox) -> None:
        """End a sandbox (it is never reused: the next protocol gets a clean process)."""
        self._busy.discard(box)
        self._slots.release()
        await box.close()

    async def call(self, job: str, *args: Any) -> Any:
        """One job in a sandbox of its own."""
        box = await self.acquire()
        try:
            return await box.call(job, *args, time_limit_s=self.time_limit_s)
        finally:
            await self.release(box)

    async def close(self) -> None:
        for box in list(self._busy):
            box.kill()
        if self._zygote is not None:
            if not self._zygote.done():
                self._zygote.cancel()  # still importing: not worth waiting for
            with contextlib.suppress(BaseException):
                await (await self._zygote).close()
