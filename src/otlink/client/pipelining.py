"""HTTP/1.1 pipelining on one connection: many requests per round trip, answered in order.

httpx sends a request only once the previous answer is in, and several connections let the robot
take requests out of order. A :class:`PipelinedConnection` writes requests back to back on one
socket, the moment they are made, and a reader thread hands the answers to their
:class:`Reply` in the order they were sent (robot-server, like any HTTP/1.1 server, answers a
connection's requests in order). The requests are the client's own
:class:`~otlink.client.steps.Request` objects, and the answers are ``httpx.Response`` objects, so
the client's sans-IO parsing (:func:`otlink.client.responses.read`) reads them unchanged.

A broken connection fails every unanswered reply with
:class:`~otlink.errors.RobotUnreachable` (``maybe_sent=True``), and every later ``send`` at once
(``maybe_sent=False``) until :meth:`PipelinedConnection.reconnect`: requests never go out of
order on a second connection. The caller decides what to send again (for commands: only what
the robot does not list by key).

Example::

    with PipelinedConnection("http://10.0.0.5:31950", {"Opentrons-Version": "4"}) as pipe:
        replies = [pipe.send(Request("GET", "/health")) for _ in range(3)]
        print([reply.response().status_code for reply in replies])
"""

from __future__ import annotations

import collections
import contextlib
import socket
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import BinaryIO

import httpx

from otlink.client.steps import Request
from otlink.errors import RobotUnreachable

__all__ = ["PipelinedConnection", "Reply"]


class Reply:
    """The answer to one pipelined request, once it has come."""

    __slots__ = ("_done", "_error", "_response", "request")

    def __init__(self, request: Request) -> None:
        self.request = request
        self._done = threading.Event()
        self._response: httpx.Response | None = None
        self._error: RobotUnreachable | None = None

    @property
    def done(self) -> bool:
        """True once the answer (or the connection's failure) is in."""
        return self._done.is_set()

    def response(self, timeout: float | None = None) -> httpx.Response:
        """The answer; raises RobotUnreachable if the connection broke before it came."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"no answer to {self.request.describe()} within {timeout} s")
        if self._error is not None:
            raise self._error
        assert self._response is not None
        return self._response

    def _settle(self, response: httpx.Response | None, error: RobotUnreachable | None) -> None:
        self._response, self._error = response, error
        self._done.set()


class PipelinedConnection:
    """One keep-alive connection to the robot on which requests are pipelined.

    ``send`` never waits for an answer; ``Reply.response()`` does. Thread-safe for senders.
    """

    def __init__(
        self, url: str, headers: Mapping[str, str], *, connect_timeout: float = 5.0
    ) -> None:
        self._base = httpx.URL(url)
        self._headers = dict(headers)
        self._connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._waiting: collections.deque[Reply] = collections.deque()
        self._socket: socket.socket | None = None
        self._reader: threading.Thread | None = None
        self._generation = 0
        self._broken: str | None = None

    @property
    def host(self) -> str:
        return self._base.netloc.decode()

    def send(self, request: Request) -> Reply:
        """Write ``request`` now; its answer comes to the returned Reply."""
        reply = Reply(request)
        data = self._encode(request)
        with self._lock:
            if self._broken is not None:
                reply._settle(None, RobotUnreachable(self.host, request.describe(), self._broken))
                return reply
            if self._socket is None:
                self._connect()
            assert self._socket is not None
            self._waiting.append(reply)
            try:
                self._socket.sendall(data)
            except OSError as error:
                self._break(error)
        return reply

    def reconnect(self) -> None:
        """Send again after a broken connection (on a new one, opened by the next ``send``)."""
        with self._lock:
            self._broken = None

    def close(self) -> None:
        """Close the socket; unanswered replies fail."""
        with self._lock:
            if self._socket is not None:
                self._break(ConnectionAbortedError("closed by otlink"))

    def __enter__(self) -> PipelinedConnection:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _encode(self, request: Request) -> bytes:
        built = httpx.Request(
            request.method,
            self._base.join(request.path),
            params=request.params,
            json=request.json,
            headers=self._headers,
        )
        body = built.read()
        target = built.url.raw_path.decode("ascii")
        lines = [f"{request.method} {target} HTTP/1.1"]
        lines += [f"{name.decode()}: {value.decode()}" for name, value in built.headers.raw]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    def _connect(self) -> None:
        port = self._base.port or 80
        try:
            connection = socket.create_connection(
                (self._base.host, port), timeout=self._connect_timeout
            )
        except OSError as error:
            raise RobotUnreachable(
                self.host, "opened a pipelined connection", f"{type(error).__name__}: {error}"
            ) from error
        connection.settimeout(None)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket = connection
        self._generation += 1
        self._reader = threading.Thread(
            target=self._read_answers,
            args=(connection, self._generation),
            name="otlink-pipeline-reader",
            daemon=True,
        )
        self._reader.start()

    def _break(self, error: BaseException) -> None:
        # Called with the lock held: every unanswered request may or may not have arrived.
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
            self._socket.close()
            self._socket = None
        cause = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        self._broken = f"the connection broke earlier ({cause})"
        while self._waiting:
            reply = self._waiting.popleft()
            reply._settle(
                None,
                RobotUnreachable(self.host, reply.request.describe(), cause, maybe_sent=True),
            )

    def _read_answers(self, connection: socket.socket, generation: int) -> None:
        stream = connection.makefile("rb")
        try:
            while True:
                response = _read_response(stream)
                with self._lock:
                    if generation != self._generation or not self._waiting:
                        return
                    reply = self._waiting.popleft()
                response.request = httpx.Request(
                    reply.request.method, self._base.join(reply.request.path)
                )
                reply._settle(response, None)
        except (OSError, ValueError) as error:
            with self._lock:
                if generation == self._generation:
                    self._break(error)


def _read_response(stream: BinaryIO) -> httpx.Response:
    readline, read = stream.readline, stream.read
    status_line = readline(65537)
    if not status_line:
        raise ConnectionResetError("the robot closed the connection")
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ValueError(f"not an HTTP answer: {status_line[:80]!r}")
    headers: list[tuple[str, str]] = []
    while (line := readline(65537)) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    fields = {name.lower(): value for name, value in headers}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while (size := int(readline(65537).split(b";")[0], 16)) > 0:
            body += read(size)
            readline(65537)
        while readline(65537) not in (b"\r\n", b"\n", b""):
            pass
    else:
        body = read(int(fields.get("content-length", "0")))
    return httpx.Response(int(parts[1]), headers=headers, content=body)
