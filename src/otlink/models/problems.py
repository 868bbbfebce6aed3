"""What the robot sends back when a request fails (HTTP 4xx/5xx).

Modern routes answer ``{"errors": [ErrorDetail, ...]}``; the legacy routes (``/health``,
``/robot/*``, ``/settings``, ``/pipettes``...) answer ``{"message": ..., "errorCode": ...}``.
"""

from __future__ import annotations

from typing import Any

from otlink.models.base import WireModel

__all__ = ["ErrorBody", "ErrorDetail", "LegacyErrorBody"]


class ErrorDetail(WireModel):
    """One problem: ``id`` such as ``"RunNotFound"``, a ``title``, the ``detail`` sentence,
    the robot's ``errorCode`` and, for validation problems, the ``source`` of the fault."""

    id: str = "UnknownError"
    title: str = ""
    detail: str = ""
    errorCode: str | None = None
    source: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None


class ErrorBody(WireModel):
    """``{"errors": [...]}`` from the modern routes."""

    errors: list[ErrorDetail]


class LegacyErrorBody(WireModel):
    """``{"message": ..., "errorCode": ...}`` from the legacy routes."""

    message: str
    errorCode: str | None = None
