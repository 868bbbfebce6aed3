"""The boundary with httpx, shared by both I/O shells: how a client is configured, how a
:class:`~otlink.client.steps.Request` becomes httpx arguments, and how httpx's errors are
translated, once, into :class:`~otlink.errors.RobotUnreachable`."""

from __future__ import annotations

from typing import Any

import httpx

from otlink.client.options import ClientOptions
from otlink.client.steps import Request
from otlink.errors import RobotUnreachable

__all__ = ["DEFAULT_PORT", "client_settings", "http_arguments", "robot_url", "translate"]

#: The port robot-server listens on.
DEFAULT_PORT = 31950

# Errors raised before a single byte of the request could have reached the robot.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def robot_url(host: str, port: int | None = None) -> str:
    """The robot's base URL from a host name, an IP, ``host:port`` or a full URL.

    Example::

        robot_url("10.0.0.5")                 # "http://10.0.0.5:31950"
        robot_url("http://127.0.0.1:8000")    # "http://127.0.0.1:8000"
    """
    url = host if "://" in host else f"http://{host}"
    parsed = httpx.URL(url)
    if port is not None or parsed.port is None:
        parsed = parsed.copy_with(port=port or DEFAULT_PORT)
    return str(parsed).rstrip("/")


def client_settings(url: str, options: ClientOptions) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client``/``httpx.AsyncClient``: one keep-alive pool
    for the robot, the version header, and the timeouts."""
    return {
        "base_url": url,
        "headers": {"Opentrons-Version": options.api_version},
        "timeout": httpx.Timeout(options.timeout, connect=options.connect_timeout),
        "limits": httpx.Limits(max_connections=20, max_keepalive_connections=10),
    }


def http_arguments(request: Request, options: ClientOptions) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for ``request``."""
    arguments: dict[str, Any] = {}
    if request.params is not None:
        arguments["params"] = request.params
    if request.json is not None:
        arguments["json"] = request.json
    if request.files is not None:
        arguments["files"] = request.files
    if request.data is not None:
        arguments["data"] = request.data
    if request.read_timeout is not None:
        arguments["timeout"] = httpx.Timeout(
            options.timeout, connect=options.connect_timeout, read=request.read_timeout
        )
    return arguments


def translate(error: httpx.TransportError, request: Request, url: str) -> RobotUnreachable:
    """The otlink error for an httpx transport error met while sending ``request``."""
    host = httpx.URL(url).netloc.decode()
    cause = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return RobotUnreachable(
        host, request.describe(), cause, maybe_sent=not isinstance(error, _NOT_SENT)
    )
