"""Where the legacy core moved, as a robot command says it: a well and an offset.

The legacy core moves to absolute deck points (``Location``); the robot takes well-based
commands (``labwareId``, ``wellName``, ``wellLocation``) so that its labware offsets apply.
These functions turn one into the other, exactly: the robot's point with no labware offset
is the point the legacy core moved to. The fixed trash is not labware on the robot (a live run
has none): points in it become the ``fixedTrash`` addressable area plus an offset, measured from
the top of the trash's well, which is where that area's reference point is.

>>> from opentrons.types import Point
>>> _offset(Point(1.0, 2.0, 3.5), Point(1.0, 2.0, 1.5))
{'x': 0.0, 'y': 0.0, 'z': 2.0}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opentrons.types import Location, Point

from .legacy_geometry import EngineGeometry

TRASH_AREA = "fixedTrash"
_PRECISION = 6  # µm/1000: below any robot's resolution, above float noise


@dataclass(frozen=True)
class Target:
    """Where an action happens, as the robot is told: in a well, in the trash, or at a point."""

    labware_id: str | None = None
    well_name: str | None = None
    well_location: dict[str, Any] | None = None
    trash_offset: dict[str, float] | None = None
    coordinates: dict[str, float] | None = None

    @property
    def in_well(self) -> bool:
        return self.labware_id is not None

    @property
    def in_trash(self) -> bool:
        return self.trash_offset is not None

    def well_params(self) -> dict[str, Any]:
        return {
            "labwareId": self.labware_id,
            "wellName": self.well_name,
            "wellLocation": self.well_location,
        }

    def move_command(self, pipette_id: str, **options: Any) -> tuple[str, dict[str, Any]]:
        """The robot command that only moves the pipette here."""
        given = {name: value for name, value in options.items() if value is not None}
        if self.in_well:
            return "moveToWell", {"pipetteId": pipette_id, **self.well_params(), **given}
        if self.in_trash:
            return "moveToAddressableArea", {
                "pipetteId": pipette_id,
                "addressableAreaName": TRASH_AREA,
                "offset": self.trash_offset,
                **given,
            }
        return "moveToCoordinates", {
            "pipetteId": pipette_id,
            "coordinates": self.coordinates,
            **given,
        }


def well_location(
    point: Point, well: Any, robot_origin: Callable[[str], Point], origin: str | None = None
) -> dict[str, Any]:
    """``point`` in ``well`` (a legacy well core) as a robot well location.

    The origin is ``origin``, or else the nearest of the well's top, bottom and center, so
    ``bottom(2)`` stays ``origin: bottom``. The offset is measured from that origin where the
    robot has it (``robot_origin(name)``): the robot then goes to ``point`` itself, wherever the
    legacy core and the robot disagree on the well (a Thermocycler's plate), and a
    ``labware.set_offset()``, which moved the well only locally, is part of the offset. The
    robot's own labware offsets come on top.
    """
    origins = {
        "top": well.get_top(z_offset=0),
        "bottom": well.get_bottom(z_offset=0),
        "center": well.get_center(),
    }
    origin = origin or min(origins, key=lambda name: abs(point.z - origins[name].z))
    return {"origin": origin, "offset": _offset(point, robot_origin(origin))}


def well_of(location: Location, well_core: Any) -> Any:
    """The legacy well core an action happens in: the one given, or the location's own."""
    if well_core is not None:
        return well_core
    if location.labware.is_well:
        return location.labware.as_well()._core
    return None


def target(
    point: Point,
    well: Any,
    labware_id: str | None,
    geometry: EngineGeometry,
    origin: str | None = None,
) -> Target:
    """Where ``point`` is for the robot. ``labware_id`` is None for the fixed trash's well."""
    if well is None:
        return Target(coordinates=_rounded(point))
    if labware_id is None:
        return Target(trash_offset=_offset(point, well.get_top(z_offset=0)))
    name = well.get_name()
    return Target(
        labware_id=labware_id,
        well_name=name,
        well_location=well_location(
            point, well, lambda at: geometry.well_origin(labware_id, name, at), origin
        ),
    )


def _offset(point: Point, origin: Point) -> dict[str, float]:
    return _rounded(point - origin)


def _rounded(point: Point) -> dict[str, float]:
    # + 0.0 turns -0.0 into 0.0
    return {axis: round(getattr(point, axis), _PRECISION) + 0.0 for axis in ("x", "y", "z")}
