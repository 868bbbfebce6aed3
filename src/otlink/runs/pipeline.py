"""HTTP/1.1 pipelining on one connection, on h11: many requests per round trip, answered in
order (robot-server, like any HTTP/1.1 server, answers a connection's requests in order).

The wire work is sans-IO (:class:`Pipeline`: requests to bytes, bytes to ``httpx.Response``
objects, each checked whole by h11, so an answer cut short is an error, never a short body).
:class:`SyncPipe` and :class:`AsyncPipe` only move the bytes, with the client's timeouts:
``connect_timeout`` to connect, ``timeout`` (or a request's ``read_timeout``) for an answer.
Every failure is a :class:`~otlink.errors.RobotUnreachable` (``maybe_sent`` once a request
was written), and a broken pipe stays broken: the caller decides what to send again, on the
next pipe.

Example::

    pipe = SyncPipe("http://10.0.0.5:31950", ClientOptions())
    tickets = [pipe.send(Request("GET", "/health")) for _ in range(3)]
    print([pipe.answer(ticket).status_code for ticket in tickets])
    pipe.close()
"""

from __future__ import annotations

import collections
import contextlib
import json
import select
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import anyio
import h11
import httpx

from otlink.client import ClientOptions
from otlink.client.steps import Request
from otlink.errors import RobotUnreachable

__all__ = ["AsyncPipe", "Pipeline", "SyncPipe"]

_CHUNK = 65536
# A connection idle this long is not trusted with a request: servers end idle keep-alive
# connections (uvicorn after 5 s), and one ending as a request goes out would look like a fault.
_IDLE_REOPEN = 2.0


@dataclass(eq=False)
class _Pending:
    ticket: int
    request: Request
    deadline_after: float  # seconds an answer may take once everything before it is in


class Pipeline:
    """The sans-IO half: encodes requests, parses the answers in order."""

    def __init__(self, url: str, options: ClientOptions) -> None:
        self.base = httpx.URL(url)
        self.host = self.base.netloc.decode()
        self._options = options
        self._fixed = f"Opentrons-Version: {options.api_version}\r\nAccept: */*\r\n"
        self._requests: dict[tuple[str, str], httpx.Request] = {}
        self.pending: collections.deque[_Pending] = collections.deque()
        self.answers: dict[int, httpx.Response] = {}
        self._tickets = 0
        self._parser: h11.Connection | None = None
        self._buffer = b""
        self._discarded: set[int] = set()

    def discard(self, ticket: int) -> None:
        """Nobody will ask for the answer of ``ticket``: drop it when it comes."""
        if self.answers.pop(ticket, None) is None:
            self._discarded.add(ticket)

    def encode(self, request: Request) -> tuple[int, bytes]:
        """A ticket for the answer, and the bytes to write (JSON requests only: the pipelined
        ones; written by hand, as httpx would, without building an httpx request each time)."""
        if request.files or request.data:
            raise ValueError("only JSON requests are pipelined")
        target = request.path
        if request.params:
            target += "?" + urlencode(request.params)
        head = f"{request.method} {target} HTTP/1.1\r\nHost: {self.host}\r\n{self._fixed}"
        body = b""
        if request.json is not None:
            body = json.dumps(request.json, separators=(",", ":")).encode()
            head += "Content-Type: application/json\r\n"
        if body or request.method in ("POST", "PUT", "PATCH"):
            head += f"Content-Length: {len(body)}\r\n"
        self._tickets += 1
        wait = self._options.timeout if request.read_timeout is None else request.read_timeout
        self.pending.append(_Pending(self._tickets, request, wait))
        return self._tickets, (head + "\r\n").encode() + body

    def feed(self, data: bytes) -> None:
        """Bytes from the robot (``b""``: it closed the connection); complete answers go to
        ``answers``. Raises RobotUnreachable for an answer cut short or not HTTP."""
        self._buffer += data
        closed = not data
        while self.pending:
            head = self.pending[0]
            if self._parser is None:
                self._parser = h11.Connection(h11.CLIENT)
                # The parser must know the request (a HEAD answer has no body), not its bytes.
                self._parser.send(
                    h11.Request(method=head.request.method, target="/", headers=[("Host", "x")])
                )
                self._parser.send(h11.EndOfMessage())
            parser = self._parser
            if self._buffer or closed:
                parser.receive_data(self._buffer if self._buffer else b"")
                self._buffer = b""
            response = self._next_response(parser, head.request)
            if response is None:
                if closed:
                    raise self.broken("the robot closed the connection before answering")
                return
            self.pending.popleft()
            if head.ticket in self._discarded:
                self._discarded.discard(head.ticket)
            else:
                self.answers[head.ticket] = response
            self._buffer, _closed = parser.trailing_data
            self._parser = None

    def _next_response(self, parser: h11.Connection, request: Request) -> httpx.Response | None:
        try:
            while True:
                event = parser.next_event()
                if event is h11.NEED_DATA:
                    return None
                if isinstance(event, h11.Response):
                    self._status, self._head = event.status_code, list(event.headers)
                    self._body = bytearray()
                elif isinstance(event, h11.Data):
                    self._body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    response = httpx.Response(
                        self._status, headers=self._head, content=bytes(self._body)
                    )
                    response.request = self._described(request)
                    return response
                elif isinstance(event, h11.ConnectionClosed):
                    raise self.broken("the robot closed the connection mid-answer")
        except h11.RemoteProtocolError as error:
            raise self.broken(f"a broken answer ({error})") from error

    def _described(self, request: Request) -> httpx.Request:
        """The httpx request an answer names in messages (one per method and path)."""
        known = self._requests.get((request.method, request.path))
        if known is None:
            known = httpx.Request(request.method, self.base.join(request.path))
            self._requests[(request.method, request.path)] = known
        return known

    def broken(self, cause: str) -> RobotUnreachable:
        tried = self.pending[0].request.describe() if self.pending else "a pipelined request"
        return RobotUnreachable(self.host, tried, cause, maybe_sent=True)


class SyncPipe:
    """A blocking pipelined connection; opened on the first ``send``."""

    def __init__(self, url: str, options: ClientOptions) -> None:
        self.codec = Pipeline(url, options)
        self._options = options
        self._socket: socket.socket | None = None
        self._broken: RobotUnreachable | None = None
        self._used = 0.0

    def send(self, request: Request) -> int:
        """Write ``request`` now; returns the ticket of its answer. A connection with nothing
        owed on it that the robot has closed, or that was idle long enough that the robot may
        be closing it (a server ends idle keep-alive connections), is replaced first."""
        if self._broken is not None:
            raise self._broken
        if self._socket is not None and not self.codec.pending and self._stale(self._socket):
            self._socket.close()
            self._socket = None
        if self._socket is None:
            self._socket = self._connect(request)
        self._used = time.monotonic()
        ticket, data = self.codec.encode(request)
        try:
            self._socket.settimeout(self._options.timeout)
            self._socket.sendall(data)
        except OSError as error:
            raise self._break(f"{type(error).__name__}: {error}") from error
        return ticket

    def answer(self, ticket: int, within: float | None = None) -> httpx.Response | None:
        """The answer of ``ticket``, reading what comes before it; a read timeout breaks the
        pipe. With ``within``: None if it has not come within that many seconds."""
        until = None if within is None else time.monotonic() + within
        while ticket not in self.codec.answers:
            if self._broken is not None:
                raise self._broken
            assert self._socket is not None and self.codec.pending
            wait = self.codec.pending[0].deadline_after
            if until is not None:
                wait = until - time.monotonic()
                if wait <= 0:
                    return None
            self._socket.settimeout(wait)
            try:
                data = self._socket.recv(_CHUNK)
                self.codec.feed(data)
            except TimeoutError as error:
                if until is not None:
                    return None
                raise self._break("no answer within the read timeout") from error
            except OSError as error:
                raise self._break(f"{type(error).__name__}: {error}") from error
            except RobotUnreachable as error:
                raise self._break(error.cause) from error
        return self.codec.answers.pop(ticket)

    def _stale(self, connection: socket.socket) -> bool:
        if time.monotonic() - self._used > _IDLE_REOPEN:
            return True
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable)  # nothing is owed: only an end of the connection can be read

    def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
        if self._broken is None:
            self._broken = RobotUnreachable(self.codec.host, "a pipelined request", "closed")

    def _connect(self, request: Request) -> socket.socket:
        base = self.codec.base
        try:
            connection = socket.create_connection(
                (base.host, base.port or 80), timeout=self._options.connect_timeout
            )
        except OSError as error:
            raise RobotUnreachable(
                self.codec.host, request.describe(), f"{type(error).__name__}: {error}"
            ) from error
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def _break(self, cause: str) -> RobotUnreachable:
        self._broken = self.codec.broken(cause)
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
        return self._broken


class AsyncPipe:
    """The same pipelined connection for ``await`` (asyncio or trio, through anyio)."""

    def __init__(self, url: str, options: ClientOptions) -> None:
        self.codec = Pipeline(url, options)
        self._options = options
        self._stream: anyio.abc.SocketStream | None = None
        self._broken: RobotUnreachable | None = None

    async def send(self, request: Request) -> int:
        if self._broken is not None:
            raise self._broken
        if self._stream is None:
            self._stream = await self._connect(request)
        ticket, data = self.codec.encode(request)
        try:
            with anyio.fail_after(self._options.timeout):
                await self._stream.send(data)
        except (OSError, TimeoutError, anyio.BrokenResourceError) as error:
            raise await self._break(f"{type(error).__name__}: {error}") from error
        return ticket

    async def answer(self, ticket: int, within: float | None = None) -> httpx.Response | None:
        until = None if within is None else time.monotonic() + within
        while ticket not in self.codec.answers:
            if self._broken is not None:
                raise self._broken
            assert self._stream is not None and self.codec.pending
            try:
                data: bytes | None = None
                if until is None:
                    with anyio.fail_after(self.codec.pending[0].deadline_after):
                        data = await self._receive(self._stream)
                else:
                    with anyio.move_on_after(until - time.monotonic()):
                        data = await self._receive(self._stream)
                    if data is None:
                        return None
                self.codec.feed(data)
            except TimeoutError as error:
                raise await self._break("no answer within the read timeout") from error
            except (OSError, anyio.BrokenResourceError) as error:
                raise await self._break(f"{type(error).__name__}: {error}") from error
            except RobotUnreachable as error:
                raise await self._break(error.cause) from error
        return self.codec.answers.pop(ticket)

    @staticmethod
    async def _receive(stream: anyio.abc.SocketStream) -> bytes:
        try:
            return await stream.receive(_CHUNK)
        except anyio.EndOfStream:
            return b""

    async def aclose(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(OSError, anyio.BrokenResourceError):
                await self._stream.aclose()
            self._stream = None
        if self._broken is None:
            self._broken = RobotUnreachable(self.codec.host, "a pipelined request", "closed")

    async def _connect(self, request: Request) -> anyio.abc.SocketStream:
        base = self.codec.base
        try:
            with anyio.fail_after(self._options.connect_timeout):
                return await anyio.connect_tcp(base.host, base.port or 80)
        except (OSError, TimeoutError) as error:
            raise RobotUnreachable(
                self.codec.host, request.describe(), f"{type(error).__name__}: {error}"
            ) from error

    async def _break(self, cause: str) -> RobotUnreachable:
        self._broken = self.codec.broken(cause)
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(OSError, anyio.BrokenResourceError):
                await stream.aclose()
        return self._broken
