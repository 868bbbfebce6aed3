"""The run routes a live protocol calls for every command, found without FastAPI's router.

A live run posts each command, reads commands and the run back, and plays the run at each
lookahead hold: thousands of requests a protocol. FastAPI (0.16x) spends more CPU finding a route
among the app's routers and solving its dependencies (a version header, the robot) than these
routes spend themselves, about 0.3 ms a request on a laptop. :class:`HotRoutes` matches these few
paths by splitting them, checks the version header as the routers' dependency does, and calls the
very same route functions; their errors go to the app's own exception handlers, so every answer is
the one FastAPI would have given. Anything else, and any request it is not sure of (a body that is
not declared JSON), goes on to FastAPI.

>>> app.add_middleware(HotRoutes)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .command_posts import read_action, require_version
from .routes import run_commands, runs

Handler = Callable[[Request, list[str]], Awaitable[Response]]


async def _post_command(request: Request, parts: list[str]) -> Response:
    request.scope["path_params"] = {"runId": parts[2]}
    return await run_commands.create_run_command(request)  # it checks its own header


async def _get_command(request: Request, parts: list[str]) -> Response:
    require_version(request)
    return await run_commands.get_run_command(request.app.state.robot, parts[2], parts[4])


async def _get_run(request: Request, parts: list[str]) -> Response:
    require_version(request)
    return await runs.get_run(request.app.state.robot, parts[2])


async def _post_action(request: Request, parts: list[str]) -> Response:
    body = await read_action(request)  # it checks the header, in FastAPI's order
    return await runs.create_run_action(request.app.state.robot, parts[2], body)


def _declares_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bool(value.split(b";")[0].strip().lower() == b"application/json")
    return False


def _handler(scope: Scope, parts: list[str]) -> Handler | None:
    """The route of ``/runs/{runId}...`` paths (split at ``/``), or None for FastAPI's router."""
    if len(parts) < 3 or parts[1] != "runs" or not all(parts[2:]):
        return None
    method = scope["method"]
    if len(parts) == 3:
        return _get_run if method == "GET" else None
    if len(parts) == 4 and method == "POST":
        if parts[3] == "commands":
            return _post_command
        if parts[3] == "actions" and _declares_json(scope):
            return _post_action
    if len(parts) == 5 and parts[3] == "commands" and method == "GET":
        return _get_command
    return None


class HotRoutes:
    """ASGI middleware answering the routes above, every other request passed on to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = None
        if scope["type"] == "http":
            parts = scope["path"].split("/")
            handler = _handler(scope, parts)
        if handler is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await handler(request, parts)
        except Exception as error:
            response = await _handled(request, error)
        await response(scope, receive, send)


async def _handled(request: Request, error: Exception) -> Response:
    """The app's exception handler's answer to ``error``; unexpected errors raise on."""
    handlers: dict[Any, Any] = request.app.exception_handlers
    for kind in type(error).__mro__:
        if kind in handlers and kind is not Exception:
            response: Response = await handlers[kind](request, error)
            return response
    raise error
