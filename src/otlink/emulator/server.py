"""Serve a virtual OT-2 over HTTP: in the foreground (``otlink emulate``) or in a thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from otlink.asgi_server import AsgiServer, free_port

from .access import AccessPolicy
from .app import create_app
from .http_protocol import CoalescingHttpToolsProtocol
from .robot_settings import RobotSettings

if TYPE_CHECKING:
    from .advertise import Advertisement

__all__ = ["DEFAULT_PORT", "EmulatorServer", "free_port"]

DEFAULT_PORT = 31950


def _quiet_opentrons(verbose: bool) -> None:
    # opentrons logs boot chatter (missing calibration files) that a simulator always has.
    logging.getLogger("opentrons").setLevel(logging.INFO if verbose else logging.ERROR)


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
        self._server = AsgiServer(
            create_app(self.settings, self.access, owns_process=self.owns_process),
            host=self.host,
            port=self.port,
            verbose=self.verbose,
            http=CoalescingHttpToolsProtocol,  # one write per answer
            on_started=self._announce if self.advertise else None,
            on_stopped=self._withdraw,
        )
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
        return self._server.started

    @property
    def url(self) -> str:
        return self._server.url

    def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until Ctrl-C or SIGTERM (the engine shut down cleanly first); returns quietly
        then, and when the port cannot be bound (see ``started``)."""
        self._server.serve(on_ready)

    def start_in_thread(self, timeout: float = 60.0) -> None:
        """Serve from a background thread; return once it answers."""
        self._server.start_in_thread(timeout)

    def stop(self) -> None:
        """End a virtual OT-2 started with :meth:`start_in_thread`."""
        self._server.stop()

    async def _announce(self) -> None:
        from .advertise import Advertisement  # zeroconf only when asked for

        self._advertisement = Advertisement(self.settings.name, self.host, self.port)
        try:
            await self._advertisement.start()
        except OSError as error:  # no multicast here: the robot still serves, unannounced
            logging.getLogger(__name__).warning("Cannot announce over mDNS: %s", error)

    async def _withdraw(self) -> None:
        if self._advertisement is not None:  # also when stopped while still announcing
            await self._advertisement.stop()
