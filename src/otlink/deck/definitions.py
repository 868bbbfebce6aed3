"""The OT-2's deck, labware, module and pipette definitions, read from opentrons-shared-data.

Every position drawn comes from here: slot positions and sizes (deck definition v5), the deck's
outline and the trash (the outlines the Opentrons App draws, deck definition v3), labware
footprints and wells, module footprints and where their labware sits, pipette nozzle layouts.

>>> slot_rect("5")
Rect(x=132.5, y=90.5, width=128.0, height=86.0)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DECK_NAME = "ot2_standard"
TRASH_SLOT = "12"


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in deck coordinates (mm, y towards the back)."""

    x: float
    y: float
    width: float
    height: float


@functools.lru_cache(maxsize=1)
def _deck_v5() -> dict[str, Any]:
    from opentrons_shared_data.deck import load

    deck: dict[str, Any] = load(DECK_NAME, 5)
    return deck


@functools.lru_cache(maxsize=1)
def _deck_v3() -> dict[str, Any]:
    from opentrons_shared_data.deck import load

    deck: dict[str, Any] = load(DECK_NAME, 3)
    return deck


def deck_bounds() -> Rect:
    """The whole deck drawing's extent."""
    deck = _deck_v5()
    x, y, _ = deck["cornerOffsetFromOrigin"]
    width, height, _ = deck["dimensions"]
    return Rect(x, y, width, height)


def slot_names() -> list[str]:
    """The OT-2's slots, "1" to "11" (slot 12 is the trash)."""
    areas = _deck_v5()["locations"]["addressableAreas"]
    return [a["id"] for a in areas if a["areaType"] == "slot" and a["id"] != TRASH_SLOT]


def slot_rect(slot: str) -> Rect:
    """Where slot ``slot`` ("1".."12") is on the deck, from its cutout and addressable area."""
    deck = _deck_v5()
    area = next(a for a in deck["locations"]["addressableAreas"] if a["id"] == slot)
    cutout = next(c for c in deck["locations"]["cutouts"] if c["id"] == f"cutout{slot}")
    x, y, _ = (
        c + o for c, o in zip(cutout["position"], area["offsetFromCutoutFixture"], strict=True)
    )
    box = area["boundingBox"]
    return Rect(x, y, box["xDimension"], box["yDimension"])


def deck_outlines() -> list[dict[str, Any]]:
    """The deck's drawn layers (``fixedBase``, ``fixedTrash``, ...) as SVG element trees."""
    layers: list[dict[str, Any]] = _deck_v3()["layers"]
    return layers


@functools.lru_cache(maxsize=256)
def _shared_labware(load_name: str, version: int) -> dict[str, Any] | None:
    from opentrons_shared_data.labware import load_definition

    try:
        definition: dict[str, Any] = dict(load_definition(load_name, version))
    except (FileNotFoundError, OSError, KeyError):
        return None
    return definition


def labware_uri(definition: Mapping[str, Any]) -> str:
    """``namespace/loadName/version``, as robots and analyses name a labware definition."""
    return (
        f"{definition['namespace']}/{definition['parameters']['loadName']}/{definition['version']}"
    )


def find_labware(
    load_name: str,
    namespace: str | None,
    version: int | None,
    custom: Mapping[str, Mapping[str, Any]],
) -> Mapping[str, Any] | None:
    """A labware definition: one of ``custom`` (by URI), else opentrons-shared-data's."""
    for uri, definition in custom.items():
        name_space, name, number = uri.split("/")
        if name == load_name and namespace in (None, name_space) and version in (None, int(number)):
            return definition
    if namespace not in (None, "opentrons"):
        return None
    return _shared_labware(load_name, version or 1)


@functools.lru_cache(maxsize=32)
def module_definition(model: str) -> dict[str, Any]:
    """A module model's definition (``temperatureModuleV2``...)."""
    from opentrons_shared_data.module import load_definition

    definition: dict[str, Any] = dict(load_definition("3", model))
    return definition


def _flips(model: str, slot: str) -> tuple[float, float]:
    """How the module is turned in ``slot``: -1 on an axis where the deck mirrors it (the right
    column's modules face the other way), from the definition's slot transform."""
    transform = module_definition(model).get("slotTransforms", {}).get(DECK_NAME, {}).get(slot)
    if not transform:
        return 1.0, 1.0
    matrix = transform["labwareOffset"]
    return float(matrix[0][0]), float(matrix[1][1])


def _mirrored(rect: Rect, within: Rect, flips: tuple[float, float]) -> Rect:
    x, y = rect.x, rect.y
    if flips[0] < 0:
        x = 2 * within.x + within.width - rect.x - rect.width
    if flips[1] < 0:
        y = 2 * within.y + within.height - rect.y - rect.height
    return Rect(x, y, rect.width, rect.height)


def module_footprint(model: str, slot: str) -> Rect:
    """The module's body on the deck, in ``slot``."""
    definition = module_definition(model)
    slot_box = slot_rect(slot)
    corner = definition["cornerOffsetFromSlot"]
    size = definition["dimensions"]
    body = Rect(
        slot_box.x + corner["x"], slot_box.y + corner["y"], size["xDimension"], size["yDimension"]
    )
    return _mirrored(body, slot_box, _flips(model, slot))


def module_labware_origin(model: str, slot: str) -> tuple[float, float]:
    """Where labware on the module has its origin (front left), in deck coordinates."""
    definition = module_definition(model)
    offset = definition["labwareOffset"]
    flip_x, flip_y = _flips(model, slot)
    transform = definition.get("slotTransforms", {}).get(DECK_NAME, {}).get(slot)
    shift_x = transform["labwareOffset"][0][3] if transform else 0.0
    shift_y = transform["labwareOffset"][1][3] if transform else 0.0
    slot_box = slot_rect(slot)
    return (
        slot_box.x + flip_x * offset["x"] + shift_x,
        slot_box.y + flip_y * offset["y"] + shift_y,
    )


@functools.lru_cache(maxsize=64)
def nozzle_offsets(pipette_name: str) -> tuple[tuple[float, float], ...]:
    """Each nozzle's (x, y) from the primary one (A1), from the pipette's definition."""
    from opentrons_shared_data.pipette import load_data
    from opentrons_shared_data.pipette import pipette_load_name_conversions as names
    from opentrons_shared_data.pipette.types import PipetteOEMType

    model = names.convert_pipette_name(pipette_name)
    definition = load_data.load_definition(
        model.pipette_type, model.pipette_channels, model.pipette_version, PipetteOEMType.OT
    )
    nozzles = list(definition.nozzle_map.values())
    x0, y0 = nozzles[0][0], nozzles[0][1]
    return tuple((x - x0, y - y0) for x, y, _ in nozzles)


def pipette_display_name(pipette_name: str) -> str:
    from opentrons_shared_data.pipette import load_data
    from opentrons_shared_data.pipette import pipette_load_name_conversions as names
    from opentrons_shared_data.pipette.types import PipetteOEMType

    try:
        model = names.convert_pipette_name(pipette_name)
        definition = load_data.load_definition(
            model.pipette_type, model.pipette_channels, model.pipette_version, PipetteOEMType.OT
        )
    except (ValueError, KeyError, OSError):
        return pipette_name
    return str(definition.display_name)
