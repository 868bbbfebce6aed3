"""Success bodies in robot-server's envelopes.

Modern routes answer ``{"data": ...}`` (plus ``links`` and, for collections, ``meta``) with null
fields left out. They return a ready-made response object, so, as on a robot, their success
responses carry no Opentrons-Version headers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel


def plain(value: Any) -> Any:
    """JSON-ready form of a pydantic model (nulls left out), a list of them, or plain data."""
    if isinstance(value, BaseModel):
        return value.model_dump(exclude_none=True, by_alias=True)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if item is not None}
    return value


@dataclass(frozen=True)
class RawJson:
    """Text that is JSON already, rendered where it stands in a body (a large analysis's
    commands, rendered once in its sandbox: rendering them again would hold the server)."""

    text: str


def _json_default(value: Any) -> Any:
    # robot-server writes times as isoformat does ("+00:00", not "Z"); clients have seen that.
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return plain(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(body: Any) -> str:
    raws: dict[str, str] = {}

    def default(value: Any) -> Any:
        if isinstance(value, RawJson):
            token = f"otlink-raw-json-{uuid.uuid4()}"  # unguessable: no body holds it
            raws[json.dumps(token)] = value.text
            return token
        return _json_default(value)

    text = json.dumps(body, default=default, separators=(", ", ": "))
    for token, raw in raws.items():
        text = text.replace(token, raw, 1)
    return text


def _render(status: int, body: dict[str, Any]) -> Response:
    return Response(
        content=to_json(body),
        status_code=status,
        media_type="application/json",
    )


def data(value: Any, *, status: int = 200, links: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"data": plain(value)}
    if links is not None:
        body["links"] = links
    return _render(status, body)


def collection(
    items: Sequence[Any],
    *,
    cursor: int = 0,
    total: int | None = None,
    links: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    body: dict[str, Any] = {
        "data": plain(list(items)),
        "meta": {"cursor": cursor, "totalLength": len(items) if total is None else total},
    }
    if links is not None:
        body["links"] = links
    return _render(status, body)


def empty(status: int = 200) -> Response:
    return _render(status, {})
