"""A virtual OT-2 in a child process on a free loopback port, as tests and benchmarks use it.

>>> robot = EmulatorProcess(args=("--left", "p1000_single_gen2"))  # doctest: +SKIP
>>> robot.url  # doctest: +SKIP
'http://127.0.0.1:43127'
>>> robot.stop()  # doctest: +SKIP
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from .server import free_port


@dataclass
class EmulatorProcess:
    """``otlink emulate`` in a child process; ``url`` is where it answers."""

    args: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    fast: bool = False  # ``--fast``: delays end at once

    def __post_init__(self) -> None:
        fast = ("--fast",) if self.fast else ()
        command = [
            sys.executable,
            "-m",
            "otlink",
            "emulate",
            "--port",
            str(self.port),
            *fast,
            *self.args,
        ]
        # Its output goes to a file: a pipe nobody reads fills up and stops the server.
        self._output = tempfile.TemporaryFile(mode="w+", prefix="otlink-emulator-")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._wait_until_listening(timeout=90)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the emulator exited early:\n{self.output()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the emulator did not listen on {self.port} within {timeout} s")

    def stop(self) -> str:
        """Ctrl-C it, as a user would; return everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output()

    def output(self) -> str:
        """Everything it has printed so far."""
        self._output.seek(0)
        return self._output.read()
