"""The base of every wire model, and the envelopes the robot wraps its answers in.

Every model keeps fields it does not know (``extra="allow"``): a robot with newer software
that adds fields still parses, and the new fields stay readable as attributes and in
``model_dump()``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Body", "MultiBody", "MultiBodyMeta", "Tolerant", "WireEnum", "WireModel"]

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


class WireEnum(str, Enum):
    """A string enum that prints as its wire value (``"succeeded"``, not ``Status.SUCCEEDED``)."""

    def __str__(self) -> str:
        return str(self.value)


#: A known value becomes the enum member; a value that a newer robot adds stays a plain string.
Tolerant = Annotated[E | str, Field(union_mode="left_to_right")]


class WireModel(BaseModel):
    """A JSON object as the robot sends it: field names as on the wire, unknown fields kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict to send to the robot (unset optional fields left out).

        Example::

            LabwareOffsetCreate(definitionUri="opentrons/x/1", location=..., vector=...).to_wire()
        """
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


class Body(WireModel, Generic[T]):
    """``{"data": ..., "links": ...}``: one resource."""

    data: T
    links: dict[str, Any] | None = None


class MultiBodyMeta(WireModel):
    """Paging of a collection: where this page starts and how many items exist in all."""

    cursor: int = 0
    totalLength: int = 0


class MultiBody(WireModel, Generic[T]):
    """``{"data": [...], "meta": {...}, "links": ...}``: a collection, or a page of one."""

    data: list[T]
    meta: MultiBodyMeta | None = None
    links: dict[str, Any] | None = None
