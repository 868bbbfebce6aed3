"""Errors in the robot-server's shapes, and the handlers that render them.

Modern routes answer ``{"errors": [{id, title, detail, errorCode, source?, meta?}]}``; legacy routes
(tagged ``v1`` on the robot: /health, /robot/*, /pipettes, /settings...) answer
``{"message", "errorCode"}``. Both carry the Opentrons-Version headers on every error response.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentrons_shared_data.errors import EnumeratedError, PythonException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .versioning import version_headers

_log = logging.getLogger(__name__)
LEGACY_TAG = "v1"
GENERAL_ERROR = "4000"
ROBOT_IN_USE = "4001"


class ApiError(Exception):
    """An error answered to the client as ``{"errors": [...]}`` with an HTTP status."""

    def __init__(
        self,
        status: int,
        error_id: str,
        title: str,
        detail: str,
        *,
        error_code: str = GENERAL_ERROR,
        source: dict[str, str] | None = None,
        wrapped: BaseException | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.body: dict[str, Any] = {"id": error_id, "title": title, "detail": detail}
        if source is not None:
            self.body["source"] = source
        if isinstance(wrapped, EnumeratedError):
            self.body["meta"] = _meta_of(wrapped)
            error_code = wrapped.code.value.code
        self.body["errorCode"] = error_code

    def content(self) -> dict[str, Any]:
        return {"errors": [self.body]}


class LegacyApiError(Exception):
    """An error of a legacy (v1) route: ``{"message", "errorCode"}``."""

    def __init__(self, status: int, message: str, error_code: str = GENERAL_ERROR) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code


def _meta_of(error: EnumeratedError) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "code": error.code.value.code,
        "message": error.message,
        "detail": {key: str(value) for key, value in error.detail.items()},
        "wrapping": [_meta_of(inner) for inner in error.wrapping],
    }


def not_found(error_id: str, title: str, detail: str) -> ApiError:
    return ApiError(404, error_id, title, detail)


def conflict(
    error_id: str,
    title: str,
    detail: str,
    *,
    error_code: str = GENERAL_ERROR,
    wrapped: BaseException | None = None,
) -> ApiError:
    return ApiError(409, error_id, title, detail, error_code=error_code, wrapped=wrapped)


def _is_legacy(request: Request) -> bool:
    route = request.scope.get("route")
    return LEGACY_TAG in getattr(route, "tags", ())


def _respond(status: int, content: dict[str, Any]) -> JSONResponse:
    return JSONResponse(status_code=status, content=content, headers=version_headers())


def _source_of(location: Sequence[str | int]) -> dict[str, str] | None:
    if len(location) < 2 and location[:1] != ("body",):
        return None
    kind, rest = location[0], [str(part) for part in location[1:]]
    if kind == "body":
        return {"pointer": "/" + "/".join(rest)}
    if kind == "query":
        return {"parameter": rest[0]}
    if kind == "header":
        return {"header": rest[0]}
    return None


# robot-server (pydantic 1) words validation problems its own way; clients match on them.
_PYDANTIC_1_MESSAGES = {
    "missing": "field required",
    "bool_parsing": "value could not be parsed to a boolean",
    "bool_type": "value could not be parsed to a boolean",
    "int_parsing": "value is not a valid integer",
    "int_type": "value is not a valid integer",
    "float_parsing": "value is not a valid float",
    "float_type": "value is not a valid float",
    "string_type": "str type expected",
    "list_type": "value is not a valid list",
    "dict_type": "value is not a valid dict",
    "model_type": "value is not a valid dict",
    "model_attributes_type": "value is not a valid dict",
}


def _message_of(error: dict[str, Any]) -> str:
    kind = error.get("type")
    if kind in _PYDANTIC_1_MESSAGES:
        return _PYDANTIC_1_MESSAGES[str(kind)]
    if kind in ("enum", "literal_error") and "expected" in error.get("ctx", {}):
        permitted = str(error["ctx"]["expected"]).replace(" or ", ", ")
        prefix = "value is not a valid enumeration member" if kind == "enum" else "unexpected value"
        return f"{prefix}; permitted: {permitted}"
    if kind == "union_tag_invalid":
        context = error.get("ctx", {})
        return (
            f"No match for discriminator {context.get('discriminator')} and value"
            f" {context.get('tag')!r} (allowed values: {context.get('expected_tags')})"
        )
    return str(error.get("msg", "invalid"))


async def _on_api_error(request: Request, error: ApiError) -> JSONResponse:
    return _respond(error.status, error.content())


async def _on_legacy_error(request: Request, error: LegacyApiError) -> JSONResponse:
    return _respond(error.status, {"message": error.message, "errorCode": error.error_code})


async def _on_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = error.errors()
    if _is_legacy(request):
        message = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {_message_of(problem)}"
            for problem in problems
        )
        return _respond(422, {"message": message, "errorCode": GENERAL_ERROR})
    errors = []
    for problem in problems:
        body: dict[str, Any] = {
            "id": "InvalidRequest",
            "title": "Invalid Request",
            "detail": _message_of(problem),
        }
        source = _source_of(tuple(problem["loc"]))
        if source is not None:
            body["source"] = source
        body["errorCode"] = GENERAL_ERROR
        errors.append(body)
    return _respond(422, {"errors": errors})


async def _on_framework_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if _is_legacy(request):
        return _respond(error.status_code, {"message": error.detail, "errorCode": GENERAL_ERROR})
    body = {"id": "BadRequest", "title": "Bad Request", "detail": error.detail}
    return _respond(error.status_code, {"errors": [{**body, "errorCode": GENERAL_ERROR}]})


async def _on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    enumerated = error if isinstance(error, EnumeratedError) else PythonException(error)
    if _is_legacy(request):
        content: dict[str, Any] = {
            "message": enumerated.message,
            "errorCode": enumerated.code.value.code,
        }
    else:
        content = {
            "errors": [
                {
                    "id": "UnexpectedError",
                    "title": "Unexpected Internal Error",
                    "detail": enumerated.message,
                    "meta": _meta_of(enumerated),
                    "errorCode": enumerated.code.value.code,
                }
            ]
        }
    return _respond(500, content)


class _UnexpectedErrors:
    """Answer an unexpected exception with robot-server's 500, and keep the connection.

    Starlette's own catch-all answers too, but then re-raises, and the server drops the
    client's keep-alive connection; this answers from inside it instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started:
                raise
            _log.exception("Unexpected error in %s %s", scope["method"], scope["path"])
            response = await _on_unexpected_error(Request(scope), error)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Render every error the way robot-server does."""
    app.add_exception_handler(ApiError, _on_api_error)  # type: ignore[arg-type]
    app.add_exception_handler(LegacyApiError, _on_legacy_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_framework_error)  # type: ignore[arg-type]
    app.add_middleware(_UnexpectedErrors)
