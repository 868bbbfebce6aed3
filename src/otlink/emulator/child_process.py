"""A virtual OT-2 in a child process on a free loopback port, as tests and benchmarks use it.

>>> robot = EmulatorProcess(args=("--left", "p1000_single_gen2"))  # doctest: +SKIP
>>> robot.url  # doctest: +SKIP
'http://127.0.0.1:43127'
>>> robot.stop()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from otlink.server_process import ServerProcess

from .server import free_port

__all__ = ["EmulatorProcess"]


class EmulatorProcess(ServerProcess):
    """``otlink emulate ARGS`` in a child process; ``url`` is where it answers.

    ``fast`` adds ``--fast`` (delays end at once).
    """

    def __init__(
        self,
        args: Sequence[str] = (),
        port: int | None = None,
        host: str = "127.0.0.1",
        fast: bool = False,
    ) -> None:
        self.args, self.fast = tuple(args), fast
        command = ["emulate", *(["--fast"] if fast else []), *args]
        super().__init__(command, port=port or free_port(host), host=host, name="the emulator")
