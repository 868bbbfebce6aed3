"""Reading the robot's answers: a body into a model, an error status into an
:class:`~otlink.errors.ApiError` of the right kind."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from otlink.errors import ApiError, NotFound, RobotBusy, RunConflict, UnexpectedResponse

__all__ = ["api_error", "check", "read"]

M = TypeVar("M", bound=BaseModel)

_ERROR_KINDS: dict[int, type[ApiError]] = {404: NotFound, 409: RunConflict, 503: RobotBusy}


def _describe(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url}"


def api_error(response: httpx.Response) -> ApiError:
    """The error for a 4xx/5xx answer, from the modern (``{"errors": [...]}``) or the legacy
    (``{"message", "errorCode"}``) error shape."""
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        body = None
    kind = _ERROR_KINDS.get(response.status_code, ApiError)
    request = _describe(response)
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        errors = [e for e in body["errors"] if isinstance(e, dict)]
        first = errors[0] if errors else {}
        return kind(
            response.status_code,
            request,
            error_id=first.get("id"),
            title=first.get("title"),
            detail="; ".join(str(e.get("detail", "")) for e in errors),
            error_code=first.get("errorCode"),
            errors=errors,
        )
    if isinstance(body, dict) and "message" in body:
        return kind(
            response.status_code,
            request,
            detail=str(body["message"]),
            error_code=body.get("errorCode"),
            errors=[body],
        )
    return kind(response.status_code, request, detail=response.text[:500])


def check(response: httpx.Response) -> None:
    """Raise the :class:`~otlink.errors.ApiError` of an error answer; pass a success."""
    if response.status_code >= 400:
        raise api_error(response)


def read(response: httpx.Response, model: type[M]) -> M:
    """The answer's body as ``model``, or the error it carries.

    Example::

        health = read(response, Health)
    """
    check(response)
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise UnexpectedResponse(
            _describe(response), response.status_code, response.text, str(error)
        ) from error
