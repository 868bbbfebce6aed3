"""The legacy instrument core, mirrored: each pipette action runs locally, then on the robot.

The action's arguments are what the legacy core itself was given (the exact point, flow rate,
touch-tip radius and speed), so the robot command is the same action, well-based.
"""

from __future__ import annotations

from typing import Any

from opentrons.protocol_api.core.legacy.legacy_instrument_core import LegacyInstrumentCore
from opentrons.types import Location

from otlink.errors import PreflightFailed

from .legacy_geometry import EngineGeometry
from .legacy_mirror import LegacyMirror
from .legacy_translation import TRASH_AREA, Target, target, well_of
from .tip_sizes import explained


class MirroredInstrumentCore(LegacyInstrumentCore):  # type: ignore[misc]
    """A ``LegacyInstrumentCore`` that mirrors its actions; see :func:`adopt_instrument`."""

    _otlink_mirror: LegacyMirror
    _otlink_trash: Any  # the fixed trash's legacy labware core
    _otlink_geometry: EngineGeometry

    @property
    def _pipette_id(self) -> str:
        return self._otlink_mirror.id_of(self)

    def _target(
        self, location: Location, well_core: Any = None, origin: str | None = None
    ) -> Target:
        well = well_of(location, well_core)
        if well is None:
            return target(location.point, None, None, self._otlink_geometry)
        parent = well.geometry.parent
        labware_id = None if parent is self._otlink_trash else self._otlink_mirror.id_of(parent)
        return target(location.point, well, labware_id, self._otlink_geometry, origin)

    def _post(self, command_type: str, params: dict[str, Any]) -> None:
        self._otlink_mirror.post(command_type, {"pipetteId": self._pipette_id, **params})

    def _liquid(
        self, command_type: str, where: Target, in_place: bool, params: dict[str, Any]
    ) -> None:
        """A well-based aspirate/dispense/blowout; elsewhere a move and the in-place command."""
        if where.in_well:
            self._post(command_type, {**where.well_params(), **params})
            return
        if not in_place or where.in_trash:
            self._otlink_mirror.post(*where.move_command(self._pipette_id))
        in_place_type = "blowOutInPlace" if command_type == "blowout" else f"{command_type}InPlace"
        self._post(in_place_type, params)

    def aspirate(
        self,
        location: Location,
        well_core: Any,
        volume: float,
        rate: float,
        flow_rate: float,
        in_place: bool,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        with self._otlink_mirror.local("aspirate"):
            super().aspirate(
                location, well_core, volume, rate, flow_rate, in_place, *args, **kwargs
            )
        params = {"volume": volume, "flowRate": flow_rate}
        self._liquid("aspirate", self._target(location, well_core), in_place, params)

    def dispense(
        self,
        location: Any,
        well_core: Any,
        volume: float,
        rate: float,
        flow_rate: float,
        in_place: bool,
        push_out: float | None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        held = self.get_current_volume()
        with self._otlink_mirror.local("dispense"):
            super().dispense(
                location, well_core, volume, rate, flow_rate, in_place, push_out, *args, **kwargs
            )
        # The legacy core's hardware dispenses at most what the tip holds, and from an empty
        # tip nothing at all, having moved there (opentrons' plan_check_dispense): so does the
        # robot, told the volume that was really dispensed.
        dispensed = min(volume, held)
        where = self._target(location, well_core)
        if dispensed > 0:
            self._liquid("dispense", where, in_place, {"volume": dispensed, "flowRate": flow_rate})
        elif not in_place:
            self._otlink_mirror.post(*where.move_command(self._pipette_id))

    def blow_out(self, location: Any, well_core: Any, in_place: bool) -> None:
        with self._otlink_mirror.local("blowout"):
            super().blow_out(location, well_core, in_place)
        params = {"flowRate": self.get_blow_out_flow_rate()}
        self._liquid("blowout", self._target(location, well_core), in_place, params)

    def touch_tip(
        self,
        location: Location,
        well_core: Any,
        radius: float,
        z_offset: float,
        speed: float,
        mm_from_edge: float | None = None,
    ) -> None:
        with self._otlink_mirror.local("touchTip"):
            super().touch_tip(location, well_core, radius, z_offset, speed, mm_from_edge)
        # The edges are touched at the well's top + z_offset (below apiLevel 2.4 the core first
        # goes to the top itself): that height is the robot's touch-tip location.
        touched = location.point._replace(z=well_core.get_top(z_offset=z_offset).z)
        where = self._target(Location(touched, location.labware), well_core, origin="top")
        self._post("touchTip", {**where.well_params(), "radius": radius, "speed": speed})

    def pick_up_tip(
        self,
        location: Location,
        well_core: Any,
        presses: int | None,
        increment: float | None,
        prep_after: bool = True,
    ) -> None:
        try:
            with self._otlink_mirror.local("pickUpTip"):
                super().pick_up_tip(location, well_core, presses, increment, prep_after)
        except PreflightFailed as refused:
            tip_volume = well_core.get_max_volume()
            raise explained(refused, self.get_pipette_name(), tip_volume) from refused
        self._post("pickUpTip", self._target(location, well_core).well_params())

    def drop_tip(
        self,
        location: Location | None,
        well_core: Any,
        home_after: bool | None,
        alternate_drop_location: bool | None = False,
    ) -> None:
        with self._otlink_mirror.local("dropTip"):
            super().drop_tip(location, well_core, home_after, alternate_drop_location)
        # Without a location the core chose the drop height itself, and moved there.
        moved_to = self._protocol_interface.get_last_location()
        where = self._target(moved_to, well_core)
        home = {"homeAfter": home_after} if home_after is not None else {}
        if where.in_trash:
            area = {"addressableAreaName": TRASH_AREA, "offset": where.trash_offset}
            self._post("moveToAddressableAreaForDropTip", {**area, "alternateDropLocation": False})
            self._post("dropTipInPlace", home)
        else:
            self._post("dropTip", {**where.well_params(), **home})

    def move_to(
        self,
        location: Any,
        well_core: Any = None,
        force_direct: bool = False,
        minimum_z_height: float | None = None,
        speed: float | None = None,
        check_for_movement_conflicts: bool = False,
    ) -> None:
        arguments = (location, well_core, force_direct, minimum_z_height, speed)
        if not self._otlink_mirror.at_top_level:
            # A move inside another action: that action's robot command makes it.
            super().move_to(*arguments, check_for_movement_conflicts)
            return
        with self._otlink_mirror.local("moveToWell"):
            super().move_to(*arguments, check_for_movement_conflicts)
        where = self._target(location, well_core)
        self._otlink_mirror.post(
            *where.move_command(
                self._pipette_id,
                forceDirect=force_direct,
                minimumZHeight=minimum_z_height,
                speed=speed,
            )
        )

    def home(self) -> None:
        with self._otlink_mirror.local("home"):
            super().home()
        self._otlink_mirror.post("home", {"axes": self._axes("Z", "Plunger")})

    def home_plunger(self) -> None:
        if not self._otlink_mirror.at_top_level:
            super().home_plunger()
            return
        with self._otlink_mirror.local("home"):
            super().home_plunger()
        self._otlink_mirror.post("home", {"axes": self._axes("Plunger")})

    def _axes(self, *kinds: str) -> list[str]:
        mount = self.get_mount().name.lower()
        return [f"{mount}{kind}" for kind in kinds]


def adopt_instrument(
    core: LegacyInstrumentCore, mirror: LegacyMirror, trash: Any, geometry: EngineGeometry
) -> None:
    """Make a freshly loaded legacy instrument core a mirrored one.

    opentrons builds the core inside ``load_instrument``; changing its class (to a subclass
    that only adds behaviour) keeps that code opentrons' own instead of a copy of it.
    """
    core.__class__ = MirroredInstrumentCore
    core._otlink_mirror = mirror
    core._otlink_trash = trash
    core._otlink_geometry = geometry
