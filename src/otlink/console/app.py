"""The console's web application: pages rendered on the server, pushed updates, and the
guard in front of them all.

Example::

    app = create_app(ConsoleSettings(robots=["10.0.0.5", "10.0.0.6"]))
    uvicorn.run(app, host="127.0.0.1", port=8031)
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from otlink.errors import OtlinkError

from . import events, pages, start_pages
from .discovering import discover_forever
from .guard import COOKIE, Guard
from .rendering import render
from .starting import DraftStore
from .watch import RobotHub

__all__ = ["ConsoleSettings", "create_app"]

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class ConsoleSettings:
    """What ``otlink serve`` was told: the robots to show, whether to look for more on the
    network, and the token a visitor needs (``None``: loopback only, no token)."""

    robots: Sequence[str] = ()
    discover: bool = False
    token: str | None = None


def create_app(settings: ConsoleSettings) -> FastAPI:
    """The console for ``settings``; its robots are polled while the app runs."""
    hub = RobotHub()
    for robot in settings.robots:
        hub.add(robot)

    drafts = DraftStore()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with hub.running(), contextlib.AsyncExitStack() as stack:
            stack.callback(drafts.clear)  # the uploaded files go when the console stops
            if settings.discover:
                stack.enter_context(discover_forever(hub))
            yield

    app = FastAPI(
        title="otlink console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.hub = hub
    app.state.guard = Guard(settings.token)
    app.state.drafts = drafts
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(start_pages.router)
    app.include_router(events.router)

    @app.middleware("http")
    async def guard_requests(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        guard: Guard = request.app.state.guard
        problem = guard.problem(request)
        if problem is not None:
            status, sentence = problem
            return render(request, "error.html", {"message": sentence}, status_code=status)
        if "token" in request.query_params and guard.token is not None:
            # The token leaves the address bar (and the history) for a cookie.
            response: Response = RedirectResponse(request.url.path, status_code=303)
            response.set_cookie(COOKIE, guard.token, httponly=True, samesite="strict")
            return response
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            " frame-ancestors 'none'"
        )
        return response

    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        return render(request, "error.html", {"message": error.detail}, error.status_code)

    @app.exception_handler(OtlinkError)
    async def robot_problem(request: Request, error: OtlinkError) -> HTMLResponse:
        message = str(error).splitlines()[0]
        return render(request, "error.html", {"message": message}, status_code=502)

    return app
