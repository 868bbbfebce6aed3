"""An otlink server command (``otlink emulate``, ``otlink serve``) in a child process on a free
loopback port, as tests and benchmarks start them.

>>> server = ServerProcess(["emulate"], name="the emulator")  # doctest: +SKIP
>>> server.url, server.stop()  # doctest: +SKIP
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

__all__ = ["ServerProcess"]


class ServerProcess:
    """``python -m otlink COMMAND... --port PORT``; returns once it listens on ``host:port``."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        port: int,
        name: str,
        host: str = "127.0.0.1",
        start_timeout: float = 90,
        stop_timeout: float = 20,
    ) -> None:
        self.host, self.port, self.name = host, port, name
        self._stop_timeout = stop_timeout
        # Its output goes to a file: a pipe nobody reads fills up and stops the server.
        self._output = tempfile.TemporaryFile(mode="w+", prefix="otlink-server-")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "otlink", *command, "--port", str(port)],
            stdout=self._output,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._wait_until_listening(start_timeout)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.output()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} did not listen on {self.port} within {timeout} s")

    def stop(self) -> str:
        """Ctrl-C it, as a user would; return everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=self._stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output()

    def output(self) -> str:
        """Everything it has printed so far."""
        self._output.seek(0)
        return self._output.read()
