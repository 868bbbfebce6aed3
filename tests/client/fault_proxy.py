"""A loopback TCP proxy in front of a virtual OT-2 that breaks connections on purpose.

It reads each HTTP/1.1 request whole, asks ``plan(method, path)`` what to do with it, and:

* ``PASS``: forwards it and the answer;
* ``DROP_REQUEST``: closes the connection without forwarding (the robot never sees it);
* ``DROP_IN_FLIGHT``: forwards it and closes at once, not waiting for the robot;
* ``DROP_RESPONSE``: forwards it, waits for the whole answer, and throws the answer away;
* ``WITHHOLD``: forwards it, and never passes on the answer (the connection stays open);
* ``TRUNCATE``: forwards it, and passes on only the first half of the answer, then closes;
* ``REFUSE``: answers 422 itself, as the robot refuses a command (the robot never sees it);
* a number: waits that many seconds, then passes.

``stop()`` makes the robot unreachable (connections refused); ``start()`` brings it back on
the same port; ``outage(seconds)`` does both, the second later; setting ``upstream`` to another
robot's address is a robot restarted.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Literal

Action = (
    Literal[
        "PASS", "DROP_REQUEST", "DROP_IN_FLIGHT", "DROP_RESPONSE", "WITHHOLD", "TRUNCATE", "REFUSE"
    ]
    | float
)
_REFUSAL = (
    b'{"errors": [{"id": "InvalidRequest", "title": "Refused by the fault proxy",'
    b' "detail": "refused on purpose", "errorCode": "4000"}]}'
)
Plan = Callable[[str, str], Action]


def _read_message(sock: socket.socket, buffer: bytearray) -> bytes | None:
    """One HTTP message (head and a Content-Length body) from ``sock``; ``None`` at EOF."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    head_end = buffer.index(b"\r\n\r\n") + 4
    length = 0
    for line in bytes(buffer[:head_end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buffer) < head_end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    message = bytes(buffer[: head_end + length])
    del buffer[: head_end + length]
    return message


class FaultProxy:
    """``url`` leads to ``upstream`` (``host``, ``port``) through the faults of ``plan``."""

    def __init__(self, upstream: tuple[str, int], plan: Plan | None = None) -> None:
        self.upstream = upstream
        self.plan: Plan = plan or (lambda method, path: "PASS")
        self.drops = 0
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self._connections.clear()

    def outage(self, seconds: float) -> None:
        """Cut every connection and refuse new ones for ``seconds`` (in the background)."""
        self.stop()
        timer = threading.Timer(seconds, self.start)
        timer.daemon = True
        timer.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        from_client, from_upstream = bytearray(), bytearray()
        try:
            while (request := _read_message(client, from_client)) is not None:
                method, path = request.split(b" ", 2)[:2]
                action = self.plan(method.decode(), path.decode())
                if action == "DROP_REQUEST":
                    self.drops += 1
                    return
                if action == "REFUSE":
                    head = b"HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/json"
                    length = f"\r\ncontent-length: {len(_REFUSAL)}\r\n\r\n".encode()
                    client.sendall(head + length + _REFUSAL)
                    continue
                if isinstance(action, float | int):
                    time.sleep(action)
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                upstream.sendall(request)
                if action == "DROP_IN_FLIGHT":
                    self.drops += 1
                    return
                response = _read_message(upstream, from_upstream)
                if response is None or action == "DROP_RESPONSE":
                    self.drops += action == "DROP_RESPONSE"
                    return
                if action == "WITHHOLD":
                    self.drops += 1
                    while client.recv(65536):  # until the client gives up and closes
                        pass
                    return
                if action == "TRUNCATE":
                    self.drops += 1
                    client.sendall(response[: len(response) // 2])
                    return
                client.sendall(response)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()
            with self._lock:
                self._connections.discard(client)
