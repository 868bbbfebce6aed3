"""Refuse request bodies a robot never gets, before the routes read them, in robot-server's shape.

Two limits, by what a body is:

- a form upload (``multipart/form-data``: protocols, data files) may be up to
  :data:`MAX_UPLOAD_BYTES`, and is streamed to the route as it arrives;
- any other body is JSON for the routes, at most :data:`MAX_JSON_BYTES` (the largest labware
  definition is a few hundred kB), nested at most :data:`MAX_JSON_DEPTH` deep. It is read whole
  here, so that a body nested thousands of levels deep is refused before any parser recurses
  into it.

A body over its limit answers 413 (declared or streamed); one nested too deep answers 422.

>>> nesting_depth(b'{"data": {"params": [1, {"a": "[[[["}]}}')
4
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .versioning import version_headers

MAX_UPLOAD_BYTES = 32 * 1024 * 1024
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_JSON_DEPTH = 64
# A whole string (skipped: its brackets are text), or one bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]+|\\.)*"|[\[\]{}]')


def nesting_depth(body: bytes) -> int:
    """How deep ``[`` and ``{`` nest in a JSON text, brackets inside strings not counted."""
    depth = deepest = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _kind_and_length(scope: Scope) -> tuple[bool, bytes | None]:
    """Whether the body is a form upload, and its declared length: one pass over the headers."""
    upload, declared = False, None
    for name, value in scope["headers"]:
        if name == b"content-type":
            upload = value[:19].lower() == b"multipart/form-data"
        elif name == b"content-length":
            declared = value
    return upload, declared


class BodySizeLimit:
    """ASGI middleware enforcing the limits above."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload, declared = _kind_and_length(scope)
        limit = MAX_UPLOAD_BYTES if upload else MAX_JSON_BYTES
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse_size(send, limit)
            return
        if upload:
            await self._stream_upload(scope, receive, send, limit)
        else:
            await self._read_json(scope, receive, send)

    async def _read_json(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BYTES:
                await _refuse_size(send, MAX_JSON_BYTES)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        # Counting brackets is cheap; only a body with more of them than the limit is scanned.
        if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH:
            depth = nesting_depth(body)
            if depth > MAX_JSON_DEPTH:
                await send_refusal(
                    send,
                    422,
                    "InvalidRequest",
                    "Invalid Request",
                    f"The JSON body nests {depth} levels deep; at most {MAX_JSON_DEPTH} are"
                    " accepted.",
                )
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _stream_upload(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer now and tell the app the client left, so it stops reading.
                    refused = True
                    await _refuse_size(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)


async def _refuse_size(send: Send, limit: int) -> None:
    await send_refusal(
        send,
        413,
        "RequestEntityTooLarge",
        "Request Entity Too Large",
        f"The request body is larger than {limit} bytes.",
    )


async def send_refusal(send: Send, status: int, error_id: str, title: str, detail: str) -> None:
    """Answer an error in robot-server's shape, before any route has seen the request."""
    body = json.dumps(
        {"errors": [{"id": error_id, "title": title, "detail": detail, "errorCode": "4000"}]}
    ).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    headers += [(k.lower().encode(), v.encode()) for k, v in version_headers().items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
