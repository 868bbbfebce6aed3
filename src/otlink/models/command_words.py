"""A command in a few words, for progress lines, logs and the console: ``aspirate 100 µL A1``.

>>> describe("aspirate", {"volume": 100, "wellName": "A1"})
'aspirate 100 µL A1'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["describe"]

_WHERE = ("wellName", "addressableAreaName", "slotName", "message", "seconds", "celsius", "height")


def describe(command_type: str, params: Mapping[str, Any]) -> str:
    """A command in a few words: ``aspirate 100 µL A1``, ``comment 'add buffer'``."""
    words = [command_type]
    if "volume" in params:
        words.append(f"{params['volume']:g} µL")
    for name in _WHERE:
        if name in params:
            value = params[name]
            words.append(repr(value) if name == "message" else str(value))
    location = params.get("location")
    if isinstance(location, Mapping) and "slotName" in location:
        words.append(f"slot {location['slotName']}")
    if "loadName" in params:
        words.append(str(params["loadName"]))
    if "pipetteName" in params:
        words.append(str(params["pipetteName"]))
    return " ".join(words)
