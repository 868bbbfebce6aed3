"""Labware names from opentrons-shared-data, when it is installed (``otlink[live]``): display
names for progress lines, and every load name, for suggestions. The light install has none,
and these fall back to what the robot sent.

Example::

    display_name("opentrons/nest_12_reservoir_15ml/1", "nest_12_reservoir_15ml")
    # "NEST 12 Well Reservoir 15 mL"
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=256)
def display_name(definition_uri: str, load_name: str) -> str:
    """The definition's display name (``NEST 12 Well Reservoir 15 mL``), else ``load_name``."""
    namespace, _, rest = definition_uri.partition("/")
    name, _, version = rest.partition("/")
    if namespace != "opentrons" or not version.isdigit():
        return load_name
    try:
        from opentrons_shared_data.labware import load_definition

        definition = load_definition(name, int(version))
    except (ImportError, OSError, ValueError, KeyError):
        return load_name
    return str(definition.get("metadata", {}).get("displayName") or load_name)


@functools.lru_cache(maxsize=1)
def load_names() -> list[str]:
    """Every labware load name opentrons knows (none without opentrons-shared-data)."""
    try:
        from opentrons_shared_data.labware import list_definitions
    except ImportError:
        return []
    return sorted({str(load_name) for load_name, _, _ in list_definitions()})
