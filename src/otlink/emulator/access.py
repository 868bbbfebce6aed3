"""Who may talk to the virtual OT-2: loopback callers by default, never a foreign web page.

A protocol is a program, and the virtual robot runs it as the user who started it. A robot-server is
open to any origin (its network is the lab's); on a laptop that would let any web page the user
visits upload and run code. So, unless told otherwise:

- a request whose ``Origin`` is not a loopback origin (or one given with ``--cors-origin``) is
  refused before it reaches a route, preflight or not (a "simple" cross-site POST would otherwise
  run before the browser hides its answer);
- a request whose ``Host`` is a name other than a loopback name or this machine's own is refused:
  that is what a DNS-rebinding page sends.

``--cors-origin '*'`` restores robot-server's openness (any origin, any Host).

>>> policy = AccessPolicy(bound_host="127.0.0.1")
>>> policy.origin_allowed("http://localhost:3000"), policy.origin_allowed("https://evil.example")
(True, False)
>>> policy.host_allowed("127.0.0.1:31950"), policy.host_allowed("evil.example:31950")
(True, False)
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .body_limit import send_refusal

ANY_ORIGIN = "*"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
MAX_REMEMBERED_HOSTS = 64  # a rebinding page may send many names: those are decided each time


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    name = name.lower().rstrip(".")
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name part of a Host header: ``[::1]:80`` -> ``::1``, ``a:80`` -> ``a``."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


@dataclass(frozen=True)
class AccessPolicy:
    """Which origins and Host names the server answers."""

    bound_host: str = "127.0.0.1"
    cors_origins: tuple[str, ...] = ()
    extra_host_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def open_to_all(self) -> bool:
        """robot-server's behaviour: any origin, any Host."""
        return ANY_ORIGIN in self.cors_origins

    @property
    def exposed(self) -> bool:
        """Whether others than this machine's users can reach it (a warning is due)."""
        return self.open_to_all or not _is_loopback(self.bound_host)

    @cached_property
    def _origins(self) -> frozenset[str]:
        return frozenset(origin.rstrip("/").lower() for origin in self.cors_origins)

    @cached_property
    def _own_names(self) -> frozenset[str]:
        names = {self.bound_host.lower(), *(n.lower() for n in self.extra_host_names)}
        machine = socket.gethostname().lower()
        names |= {machine, f"{machine}.local"}
        return frozenset(names)

    def origin_allowed(self, origin: str) -> bool:
        if self.open_to_all or origin.rstrip("/").lower() in self._origins:
            return True
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and _is_loopback(parts.hostname or "")

    def host_allowed(self, host_header: str) -> bool:
        if self.open_to_all:
            return True
        name = _host_name(host_header).lower().rstrip(".")
        if _is_loopback(name) or name in self._own_names:
            return True
        # An address typed as digits cannot be a rebinding name: bound to every interface, any
        # of this machine's addresses may be the one a caller used.
        return self.bound_host in WILDCARD_HOSTS and _is_ip(name)


class AccessGuard:
    """ASGI middleware enforcing an :class:`AccessPolicy` and answering CORS for allowed origins.

    It replaces Starlette's CORSMiddleware: one pass over the headers per request, nothing added
    to answers of callers that send no ``Origin`` (every non-browser client).
    """

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy
        # Host headers seen, and whether they are allowed: a client sends the same one each time,
        # and parsing it as an address costs more than the rest of this guard.
        self._hosts: dict[bytes, bool] = {}

    def _host_allowed(self, host: bytes) -> bool:
        allowed = self._hosts.get(host)
        if allowed is None:
            allowed = self.policy.host_allowed(host.decode("latin-1"))
            if len(self._hosts) < MAX_REMEMBERED_HOSTS:
                self._hosts[host] = allowed
        return allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = origin = preflight = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                preflight = value
        policy = self.policy
        if host is not None and not self._host_allowed(host):
            await send_refusal(
                send,
                403,
                "HostNotAllowed",
                "Host Not Allowed",
                f"This virtual OT-2 does not answer for the host name {host.decode('latin-1')!r}"
                " (only its own address and loopback names). Use its address, or start it with"
                " --cors-origin '*' to answer every name, as a robot does.",
            )
            return
        if origin is None:
            await self.app(scope, receive, send)
            return
        origin_text = origin.decode("latin-1")
        if not policy.origin_allowed(origin_text):
            await send_refusal(
                send,
                403,
                "OriginNotAllowed",
                "Origin Not Allowed",
                f"Requests from web pages at {origin_text!r} are refused: a protocol is a program"
                " run as you. Allow that origin with --cors-origin.",
            )
            return
        allow = [(b"access-control-allow-origin", origin), (b"vary", b"Origin")]
        allow.append((b"access-control-allow-credentials", b"true"))
        if scope["method"] == "OPTIONS" and preflight is not None:
            requested = dict(scope["headers"]).get(b"access-control-request-headers", b"")
            headers = [
                *allow,
                (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
                (b"access-control-max-age", b"600"),
                (b"content-length", b"2"),
                (b"content-type", b"text/plain; charset=utf-8"),
            ]
            if requested:
                headers.append((b"access-control-allow-headers", requested))
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"OK"})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    header
                    for header in message.get("headers", [])
                    if header[0].lower() != b"access-control-allow-origin"
                ]
                message = {**message, "headers": [*kept, *allow]}
            await send(message)

        await self.app(scope, receive, send_with_cors)
