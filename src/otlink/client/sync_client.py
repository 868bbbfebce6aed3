"""``RobotClient``: the blocking client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar

import httpx

from otlink.client.api import RobotApi
from otlink.client.operations import SyncRunner
from otlink.client.options import ClientOptions
from otlink.client.steps import Emit, Flow, Request, Step, Stepper, Stream
from otlink.client.transport import client_settings, http_arguments, robot_url, translate

__all__ = ["RobotClient"]

T = TypeVar("T")


class RobotClient(RobotApi, SyncRunner):
    """A blocking client for one robot, with one keep-alive connection pool.

    ``host`` is an IP, a host name, ``host:port`` or a URL (port 31950 unless given).
    ``transport`` swaps httpx's network transport (e.g. ``httpx.MockTransport``).

    Example::

        with RobotClient("10.0.0.5") as robot:
            run = robot.create_run()
            robot.enqueue_command(run.id, "home")
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        *,
        options: ClientOptions | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._options = options or ClientOptions()
        self.url = robot_url(host, port)
        self._http = httpx.Client(transport=transport, **client_settings(self.url, self._options))

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> RobotClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RobotClient({self.url!r})"

    def _perform(self, step: Step) -> Any:
        if isinstance(step, Request):
            try:
                return self._http.request(
                    step.method, step.path, **http_arguments(step, self._options)
                )
            except httpx.TransportError as error:
                return translate(error, step, self.url)
        time.sleep(step.seconds)
        return None

    def _run(self, flow: Flow[T]) -> T:
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            stepper.resume(self._perform(step))
        return stepper.result

    def _iterate(self, flow: Stream[T]) -> Iterator[T]:
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Emit):
                yield step.item
            else:
                stepper.resume(self._perform(step))
