"""Labware offsets and custom labware definitions, for runs and maintenance runs alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otlink.client.calls import call_data
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, Request
from otlink.models import Body, LabwareOffset, LabwareOffsetCreate, WireModel

__all__ = ["OffsetInput", "add_definition", "add_offset", "offset_wire"]

#: An offset as a model or as the dict the robot takes.
OffsetInput = LabwareOffsetCreate | Mapping[str, Any]


class _DefinitionUri(WireModel):
    definitionUri: str


# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_LabwareOffsetBody = Body[LabwareOffset]
_DefinitionUriBody = Body[_DefinitionUri]


def offset_wire(offset: OffsetInput) -> dict[str, Any]:
    """The JSON of an offset, checked against :class:`~otlink.models.LabwareOffsetCreate`."""
    model = (
        offset
        if isinstance(offset, LabwareOffsetCreate)
        else LabwareOffsetCreate.model_validate(offset)
    )
    return model.to_wire()


def add_offset(options: ClientOptions, run_path: str, offset: OffsetInput) -> Flow[LabwareOffset]:
    """Add a labware offset to the run at ``run_path``."""
    request = Request("POST", f"{run_path}/labware_offsets", json={"data": offset_wire(offset)})
    return (yield from call_data(options, request, _LabwareOffsetBody, idempotent=False))


def add_definition(
    options: ClientOptions, run_path: str, definition: Mapping[str, Any]
) -> Flow[str]:
    """Add a custom labware definition to the run at ``run_path``; returns its URI.

    Adding the same definition again is harmless, so a lost answer is retried.
    """
    request = Request("POST", f"{run_path}/labware_definitions", json={"data": dict(definition)})
    result = yield from call_data(options, request, _DefinitionUriBody, idempotent=True)
    return result.definitionUri
