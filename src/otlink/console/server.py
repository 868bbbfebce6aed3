"""Serving the console in the foreground until Ctrl-C, as ``otlink serve`` does.

Example::

    server = ConsoleServer(ConsoleSettings(robots=["10.0.0.5"]), port=8031)
    server.serve(on_ready=lambda: print(server.url))
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn

from .app import ConsoleSettings, create_app

__all__ = ["DEFAULT_PORT", "ConsoleServer"]

DEFAULT_PORT = 8031


@dataclass
class ConsoleServer:
    """The console for ``settings`` on ``host:port``."""

    settings: ConsoleSettings
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT

    def __post_init__(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings),
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="on",
            proxy_headers=False,
            # Open event streams would hold a plain shutdown forever.
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)

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
            asyncio.run(self._serve(on_ready))
        except KeyboardInterrupt:
            pass  # uvicorn re-raises the Ctrl-C it handled, once it has shut down
        except SystemExit:
            if self.started:
                raise  # uvicorn exits the process only when it cannot start

    async def _serve(self, on_ready: Callable[[], None] | None) -> None:
        async def announce() -> None:
            while not self._server.started:
                await asyncio.sleep(0.02)
            if on_ready is not None:
                on_ready()

        watcher = asyncio.ensure_future(announce())
        try:
            await self._server.serve()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
