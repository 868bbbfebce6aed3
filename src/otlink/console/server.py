"""Serving the console in the foreground until Ctrl-C, as ``otlink serve`` does.

Example::

    server = ConsoleServer(ConsoleSettings(robots=["10.0.0.5"]), port=8031)
    server.serve(on_ready=lambda: print(server.url))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from otlink.asgi_server import AsgiServer

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
        # Open event streams would hold a plain shutdown forever: 2 s, then they are cut.
        self._server = AsgiServer(
            create_app(self.settings), host=self.host, port=self.port, graceful_shutdown_s=2
        )

    @property
    def started(self) -> bool:
        """Whether it came up (uvicorn returns quietly when it cannot bind its port)."""
        return self._server.started

    @property
    def url(self) -> str:
        return self._server.url

    def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until Ctrl-C or SIGTERM; returns at once when the port cannot be bound."""
        self._server.serve(on_ready)
