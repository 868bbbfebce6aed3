"""The ids robot-server gives attached modules, from what the hardware says about each one."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from opentrons.hardware_control import API


def module_id(device_info: Mapping[str, str]) -> str:
    """A hash of the module's serial number and hardware revision, as robot-server makes it.

    >>> module_id({"serial": "tempdeck-1", "model": "temp_deck_v20", "version": "v2.0"})[:8]
    'a6f0c4d7'
    """
    hasher = hashlib.blake2s(digest_size=20)
    hasher.update(device_info["serial"].encode())
    hasher.update(device_info["model"].encode())
    return hasher.hexdigest()


def modules_by_id(hardware: API) -> dict[str, Any]:
    """The hardware's attached modules, keyed by the id GET /modules shows for each."""
    return {module_id(module.device_info): module for module in hardware.attached_modules}
