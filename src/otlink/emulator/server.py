"""Serve a virtual OT-2 over HTTP: in the foreground (``otlink emulate``) or in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn

from .access import AccessPolicy
from .app import create_app
from .robot_settings import RobotSettings

if TYPE_CHECKING:
    from .advertise import Advertisement

DEFAULT_PORT = 31950
LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _quiet_opentrons(verbose: bool) -> None:
    # opentrons logs boot chatter (missing calibration files) that a simulator always has.
    logging.getLogger("opentrons").setLevel(logging.INFO if verbose else logging.ERROR)


def _run(main: Coroutine[Any, Any, None], loop_factory: LoopFactory | None) -> None:
    """``asyncio.run`` on the event loop uvicorn picks (uvloop when installed)."""
    if sys.version_info >= (3, 11):
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            runner.run(main)
        return
    loop = (loop_factory or asyncio.new_event_loop)()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main)
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@dataclass
class EmulatorServer:
    """A virtual OT-2 listening on ``host:port``.

    >>> server = EmulatorServer(RobotSettings(), port=free_port())
    >>> server.start_in_thread()  # doctest: +SKIP
    >>> server.url  # doctest: +SKIP
    'http://127.0.0.1:...'
    """

    settings: RobotSettings
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    verbose: bool = False
    advertise: bool = False
    cors_origins: tuple[str, ...] = ()
    owns_process: bool = False  # it works in its workspace (never in a thread of a caller's)

    def __post_init__(self) -> None:
        _quiet_opentrons(self.verbose)
        config = uvicorn.Config(
            create_app(self.settings, self.access, owns_process=self.owns_process),
            host=self.host,
            port=self.port,
            log_level="info" if self.verbose else "warning",
            access_log=self.verbose,
            lifespan="on",
            proxy_headers=False,
            timeout_graceful_shutdown=5,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._advertisement: Advertisement | None = None

    @property
    def access(self) -> AccessPolicy:
        """Who it answers: loopback callers, plus the ``cors_origins`` web pages."""
        return AccessPolicy(
            bound_host=self.host,
            cors_origins=self.cors_origins,
            extra_host_names=frozenset({f"{self.settings.name}.local"}),
        )

    @property
    def started(self) -> bool:
        """Whether it came up (uvicorn returns quietly when it cannot bind its port)."""
        return bool(self._server.started)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until Ctrl-C; the engine is shut down cleanly first.

        Returns quietly after Ctrl-C or SIGTERM, and when the port cannot be bound (see
        ``started``).
        """
        try:
            _run(self._serve(on_ready), self._server.config.get_loop_factory())
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
        except SystemExit:
            if self.started:
                raise  # uvicorn exits the process only when it cannot start

    async def _serve(self, on_ready: Callable[[], None] | None) -> None:
        watcher = asyncio.ensure_future(self._announce_when_started(on_ready))
        try:
            await self._server.serve()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if self._advertisement is not None:
                await self._advertisement.stop()

    async def _announce_when_started(self, on_ready: Callable[[], None] | None) -> None:
        while not self._server.started:
            await asyncio.sleep(0.02)
        if on_ready is not None:
            on_ready()
        if self.advertise:
            from .advertise import Advertisement  # zeroconf only when asked for

            self._advertisement = Advertisement(self.settings.name, self.host, self.port)
            try:
                await self._advertisement.start()
            except OSError as error:  # no multicast here: the robot still serves, unannounced
                logging.getLogger(__name__).warning("Cannot announce over mDNS: %s", error)

    def start_in_thread(self, timeout: float = 60.0) -> None:
        """Serve from a background thread; return once it answers."""
        ready = threading.Event()
        self._server.config.install_signal_handlers = False  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self.serve, args=(ready.set,), name=f"otlink-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError(f"The virtual OT-2 did not start within {timeout:.0f} s.")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
