"""``AsyncRobotClient``: the asyncio (or trio) client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, TypeVar

import anyio
import httpx

from otlink.client.api import RobotApi
from otlink.client.operations import AsyncRunner
from otlink.client.options import ClientOptions
from otlink.client.steps import Emit, Flow, Request, Step, Stepper, Stream
from otlink.client.transport import client_settings, http_arguments, robot_url, translate

__all__ = ["AsyncRobotClient"]

T = TypeVar("T")


class AsyncRobotClient(RobotApi, AsyncRunner):
    """The same methods as ``RobotClient``, to ``await``; never blocks the event loop.

    Example::

        async with AsyncRobotClient("10.0.0.5") as robot:
            run = await robot.create_run()
            await robot.enqueue_command(run.id, "home")
            async for command in robot.iter_commands(run.id):
                print(command.commandType)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int | None = None,
        *,
        options: ClientOptions | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._options = options or ClientOptions()
        self.url = robot_url(host, port)
        self._http = httpx.AsyncClient(
            transport=transport, **client_settings(self.url, self._options)
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncRobotClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncRobotClient({self.url!r})"

    async def _perform(self, step: Step) -> Any:
        if isinstance(step, Request):
            try:
                return await self._http.request(
                    step.method, step.path, **http_arguments(step, self._options)
                )
            except httpx.TransportError as error:
                return translate(error, step, self.url)
        await anyio.sleep(step.seconds)
        return None

    async def _run(self, flow: Flow[T]) -> T:
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            stepper.resume(await self._perform(step))
        return stepper.result

    async def _iterate(self, flow: Stream[T]) -> AsyncIterator[T]:
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Emit):
                yield step.item
            else:
                stepper.resume(await self._perform(step))
