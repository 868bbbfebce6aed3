"""An ASGI app served by uvicorn in the foreground until Ctrl-C, or from a background thread.

The virtual OT-2 (``otlink emulate``) and the operator console (``otlink serve``) are both served
this way; each adds what it does once it listens through ``on_started``.

>>> server = AsgiServer(app, port=8031)  # doctest: +SKIP
>>> server.serve(on_ready=lambda: print(server.url))  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import uvicorn

__all__ = ["AsgiServer", "free_port"]

Hook = Callable[[], Awaitable[None]]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class AsgiServer:
    """``app`` on ``host:port``.

    ``http`` is uvicorn's HTTP protocol (a name, or a protocol class). ``on_started`` runs once
    the server listens, ``on_stopped`` once it has stopped (even when
    ``on_started`` was cut short): the emulator's mDNS announcement starts and ends this way.
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int,
        verbose: bool = False,
        graceful_shutdown_s: float = 5,
        http: Any = "auto",
        on_started: Hook | None = None,
        on_stopped: Hook | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self._on_started = on_started
        self._on_stopped = on_stopped
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="info" if verbose else "warning",
            access_log=verbose,
            lifespan="on",
            http=http,
            proxy_headers=False,
            timeout_graceful_shutdown=int(graceful_shutdown_s),
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def started(self) -> bool:
        """Whether it came up (uvicorn returns quietly when it cannot bind its port)."""
        return bool(self._server.started)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until Ctrl-C or SIGTERM; returns at once when the port cannot be bound."""
        try:
            _run(self._serve(on_ready), self._server.config.get_loop_factory())
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
        except SystemExit:
            if self.started:
                raise  # uvicorn exits the process only when it cannot start

    def start_in_thread(self, timeout: float = 60.0) -> None:
        """Serve from a background thread; return once it answers."""
        ready = threading.Event()
        self._server.config.install_signal_handlers = False  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self.serve, args=(ready.set,), name=f"otlink-server-{self.port}", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError(f"The server did not start within {timeout:.0f} s.")

    def stop(self) -> None:
        """End a server started with :meth:`start_in_thread`."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)

    async def _serve(self, on_ready: Callable[[], None] | None) -> None:
        async def announce() -> None:
            while not self._server.started:
                await asyncio.sleep(0.02)
            if on_ready is not None:
                on_ready()
            if self._on_started is not None:
                await self._on_started()

        watcher = asyncio.ensure_future(announce())
        try:
            await self._server.serve()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if self._on_stopped is not None:
                await self._on_stopped()


def _run(main: Coroutine[Any, Any, None], loop_factory: Any) -> None:
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
