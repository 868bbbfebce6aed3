"""The sans-IO core: an operation is a generator (a *flow*) that yields steps and gets back
what the I/O shell did with them.

A flow yields a :class:`Request` and receives the ``httpx.Response`` (or has the translated
:class:`~otlink.errors.RobotUnreachable` thrown in at that point), yields a :class:`Sleep`
to pause, and returns its result. A *stream* also yields :class:`Emit` items for the caller
to iterate over. All logic (retries, at-most-once, waiting, paging) lives in flows, written
once; :class:`~otlink.client.RobotClient` and :class:`~otlink.client.AsyncRobotClient` only
carry the steps out, blocking or with ``await``.

Example (what a flow looks like)::

    def health(options: ClientOptions) -> Flow[Health]:
        response = yield Request("GET", "/health")
        return read(response, Health)
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["Emit", "Flow", "Request", "Sleep", "Step", "Stepper", "Stream"]

T = TypeVar("T")
Y = TypeVar("Y")

#: One multipart file: ``(field, (file name, content, content type))``.
MultipartFile = tuple[str, tuple[str, bytes, str]]


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request to the robot, as data. ``path`` is relative to the robot's URL;
    ``read_timeout`` overrides the client's read timeout (for server-side waits)."""

    method: str
    path: str
    params: Mapping[str, str | int] | None = None
    json: Any = None
    files: Sequence[MultipartFile] | None = None
    data: Mapping[str, str] | None = None
    read_timeout: float | None = None

    def describe(self) -> str:
        """``"METHOD /path"``, for messages."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause the flow for ``seconds`` (blocking, or ``await``-ing, as the shell does).

    A deadline already past (a clock read twice) is a pause of zero, never a negative one.
    """

    seconds: float

    def __post_init__(self) -> None:
        if self.seconds < 0:
            object.__setattr__(self, "seconds", 0.0)


@dataclass(frozen=True, slots=True)
class Emit(Generic[T]):
    """Hand ``item`` to the caller of a stream."""

    item: T


Step = Request | Sleep
#: A flow that performs steps and returns a ``T``.
Flow = Generator[Step, Any, T]
#: A flow that performs steps and emits ``T`` items.
Stream = Generator[Request | Sleep | Emit[T], Any, None]


class Stepper(Generic[Y, T]):
    """Drives a flow for an I/O shell: ``next_step()`` gives the next step (``None`` once
    the flow has returned, its value in ``result``), ``resume(reply)`` hands back what the
    step produced: a response, ``None``, or an exception to raise inside the flow."""

    __slots__ = ("_flow", "_reply", "result")

    def __init__(self, flow: Generator[Y, Any, T]) -> None:
        self._flow = flow
        self._reply: Any = None

    def next_step(self) -> Y | None:
        reply, self._reply = self._reply, None
        try:
            if isinstance(reply, BaseException):
                return self._flow.throw(reply)
            return self._flow.send(reply)
        except StopIteration as finished:
            self.result: T = finished.value
            return None

    def resume(self, reply: Any) -> None:
        self._reply = reply
