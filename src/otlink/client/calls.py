"""One request to the robot as a flow, with the retry policy that suits it.

A request is retried (with a doubling pause) when repeating it cannot do harm: always when
it never left this computer, and also after a broken connection or a 503 when it is
``idempotent`` (reads, and writes the robot de-duplicates itself). Everything else fails at
once, saying the request may have reached the robot. Retries stop at ``attempts``, or once
``timeout`` seconds have gone since the first try.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import httpx
from pydantic import BaseModel

from otlink.client.options import ClientOptions
from otlink.client.responses import check, read
from otlink.client.steps import Flow, Request, Sleep
from otlink.errors import RobotBusy, RobotUnreachable
from otlink.models import Body

__all__ = ["call", "call_data", "call_empty", "exhausted", "fetch"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def exhausted(
    error: RobotUnreachable, request: Request, tries: int, since: float
) -> RobotUnreachable:
    """The error to raise after ``tries`` failed tries of ``request`` that began at ``since``."""
    waited = time.monotonic() - since
    times = "once" if tries == 1 else f"{tries} times over {waited:.1f} s"
    return RobotUnreachable(
        error.host,
        f"tried {request.describe()} {times}",
        error.cause,
        maybe_sent=error.maybe_sent,
        attempts=tries,
    )


def call(
    options: ClientOptions,
    request: Request,
    parse: Callable[[httpx.Response], T],
    *,
    idempotent: bool,
) -> Flow[T]:
    """Send ``request`` (retrying as the module says) and ``parse`` the answer."""
    since = time.monotonic()
    tries = 0
    while True:
        tries += 1
        try:
            response = yield request
            return parse(response)
        except RobotUnreachable as error:
            if (error.maybe_sent and not idempotent) or _spent(options, tries, since):
                raise exhausted(error, request, tries, since) from error
        except RobotBusy:
            if not idempotent or _spent(options, tries, since):
                raise
        yield Sleep(options.backoff_delay(tries))


def _spent(options: ClientOptions, tries: int, since: float) -> bool:
    """No more tries: all made, or the next would start past ``options.timeout`` (a robot that
    accepts connections but never answers is reported after one timeout, not after each try)."""
    next_start = time.monotonic() + options.backoff_delay(tries) - since
    return tries >= options.attempts or next_start >= options.timeout


def fetch(
    options: ClientOptions, request: Request, model: type[M], *, idempotent: bool = True
) -> Flow[M]:
    """Send ``request`` and read its answer as ``model``."""
    return (yield from call(options, request, lambda r: read(r, model), idempotent=idempotent))


def call_data(
    options: ClientOptions, request: Request, body: type[Body[T]], *, idempotent: bool
) -> Flow[T]:
    """Send ``request`` and return the ``data`` of its ``{"data": ...}`` answer."""
    envelope = yield from fetch(options, request, body, idempotent=idempotent)
    return envelope.data


def call_empty(options: ClientOptions, request: Request, *, idempotent: bool) -> Flow[None]:
    """Send ``request`` whose answer carries nothing of use (e.g. ``DELETE``)."""
    yield from call(options, request, check, idempotent=idempotent)
