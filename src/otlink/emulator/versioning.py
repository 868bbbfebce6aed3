"""The Opentrons-Version header rules of robot-server's HTTP API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response
from fastapi.exceptions import RequestValidationError

API_VERSION = 4
MIN_API_VERSION = 2
VERSION_HEADER = "Opentrons-Version"
MIN_VERSION_HEADER = "Opentrons-Min-Version"


def version_headers(version: int = API_VERSION) -> dict[str, str]:
    return {VERSION_HEADER: str(version), MIN_VERSION_HEADER: str(MIN_API_VERSION)}


def requested_version(value: str) -> int:
    """The API version a request's header asks for, or the error the robot answers."""
    from .api_errors import ApiError

    if value == "*":
        return API_VERSION
    try:
        requested = int(value)
    except ValueError:
        # robot-server's header is ``Literal["*"] | int``: its pydantic reports both alternatives.
        location = ("header", "opentrons-version")
        raise RequestValidationError(
            [
                {
                    "type": "literal_error",
                    "loc": location,
                    "msg": "unexpected value; permitted: '*'",
                },
                {"type": "int_parsing", "loc": location, "msg": "value is not a valid integer"},
            ]
        ) from None
    version = min(API_VERSION, requested)
    if version < MIN_API_VERSION:
        raise ApiError(
            400,
            "OutdatedAPIVersion",
            "Requested HTTP API version no longer supported",
            f"The requested API version '{version}' is not supported."
            f" '{VERSION_HEADER}' must be at least '{MIN_API_VERSION}'."
            " Please upgrade your Opentrons App or other HTTP API client.",
        )
    return version


async def check_version_header(
    response: Response, opentrons_version: Annotated[str, Header()]
) -> None:
    """Require a usable Opentrons-Version header; answer with the version in effect."""
    response.headers.update(version_headers(requested_version(opentrons_version)))
