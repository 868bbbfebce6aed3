"""Reading the requests of the hot path, without FastAPI's per-parameter machinery.

Posting commands (and, with lookahead, playing the run at each hold) is what clients do thousands
of times per protocol, so these routes read their query, header and body themselves, with the
engine's own pydantic models, and report problems exactly as FastAPI would (a
RequestValidationError, rendered by api_errors).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from opentrons.protocol_engine.commands import CommandCreate
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from .request_models import Envelope, RunActionCreate
from .versioning import requested_version

if TYPE_CHECKING:
    from .virtual_robot import VirtualRobot

_BODY: TypeAdapter[Any] = TypeAdapter(Envelope[CommandCreate])  # type: ignore[valid-type]
_ACTION: TypeAdapter[Envelope[RunActionCreate]] = TypeAdapter(Envelope[RunActionCreate])
_MISSING_VERSION = {"type": "missing", "loc": ("header", "opentrons-version"), "msg": "missing"}
_MISSING_BODY = {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}


class _CommandQuery(BaseModel):
    waitUntilComplete: bool = False
    timeout: int | None = Field(default=None, gt=0)
    failedCommandId: str | None = None


@dataclass(frozen=True)
class CommandPost:
    request: Any
    wait_until_complete: bool
    timeout_ms: int | None
    failed_command_id: str | None


def _located(error: ValidationError, where: str) -> RequestValidationError:
    problems = []
    for problem in error.errors():
        located = dict(problem)
        located["loc"] = (where, *problem["loc"])
        problems.append(located)
    return RequestValidationError(problems)


async def read_command_post(request: Request) -> tuple[VirtualRobot, str, CommandPost]:
    """The robot, run id and checked command, query and header of ``POST .../{runId}/commands``."""
    require_version(request)
    try:
        query = _CommandQuery.model_validate(dict(request.query_params))
    except ValidationError as error:
        raise _located(error, "query") from None
    try:
        body = _BODY.validate_python(await _json_body(request))
    except ValidationError as error:
        raise _located(error, "body") from None
    post = CommandPost(body.data, query.waitUntilComplete, query.timeout, query.failedCommandId)
    return request.app.state.robot, request.path_params["runId"], post


def require_version(request: Request) -> None:
    """Check the Opentrons-Version header as the versioned routers' dependency does."""
    version = request.headers.get("opentrons-version")
    if version is None:
        raise RequestValidationError([_MISSING_VERSION])
    requested_version(version)


async def read_action(request: Request) -> Envelope[RunActionCreate]:
    """The body of ``POST /runs/{runId}/actions`` (declared JSON), in FastAPI's order: a body
    that is not JSON first, then the header, then the body's fields (with a missing header)."""
    raw = await request.body()
    body = await _json_body(request) if raw else None
    problems: list[dict[str, Any]] = []
    version = request.headers.get("opentrons-version")
    if version is None:
        problems.append(_MISSING_VERSION)
    else:
        requested_version(version)
    action = None
    if not raw:
        problems.append(_MISSING_BODY)
    else:
        try:
            action = _ACTION.validate_python(body)
        except ValidationError as error:
            problems += _located(error, "body").errors()
    if problems or action is None:
        raise RequestValidationError(problems)
    return action


async def _json_body(request: Request) -> Any:
    """The body as JSON, failing the way FastAPI does for a body it cannot read."""
    raw = await request.body()
    if not raw:
        raise RequestValidationError([_MISSING_BODY])
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", error.pos), "msg": "JSON decode error"}]
        ) from None
    except ValueError:  # not text at all
        raise HTTPException(400, "There was an error parsing the body") from None
