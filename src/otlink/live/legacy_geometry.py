"""Where the robot puts a well, so a legacy point can be written relative to it.

The legacy core and the engine (what the robot runs) do not always agree on where a well is: on
a Thermocycler the legacy core puts a plate's wells 10.7 mm higher than the engine does. A
protocol below apiLevel 2.14 moves where its legacy core says, on a robot as in opentrons'
simulation; to make the robot's well-based command reach that same point, its offset is measured
from the engine's well. This keeps a local engine (no hardware moves, virtual modules) holding the
same labware and modules as the robot run, with the same ids, to ask.

Example::

    with engine_geometry(APIVersion(2, 13), definitions) as geometry:
        geometry.load("loadLabware", {...})
        geometry.well_origin("labware-1", "A1", "bottom")  # Point(x=..., y=..., z=...)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from opentrons.protocol_engine import WellLocation, WellOrigin
from opentrons.protocol_engine import commands as pe_commands
from opentrons.protocols.api_support.types import APIVersion
from opentrons.types import Point

from .local_engine import LocalEngine, add_labware_definitions, local_engine

_LOADS = {
    "loadLabware": pe_commands.LoadLabwareCreate,
    "loadModule": pe_commands.LoadModuleCreate,
}


class EngineGeometry:
    """The engine's idea of where wells are, for the labware and modules loaded so far."""

    def __init__(self, local: LocalEngine) -> None:
        self._local = local

    def load(self, command_type: str, params: Mapping[str, Any]) -> None:
        """Load labware or a module as the robot was told to (other commands are not needed)."""
        create = _LOADS[command_type].model_validate({"params": params})
        command = asyncio.run_coroutine_threadsafe(
            self._local.engine.add_and_execute_command(request=create), self._local.loop
        ).result()
        if command.error is not None:
            # The robot took it, so this cannot happen but by a bug: say so plainly.
            raise RuntimeError(f"local {command_type} failed: {command.error.detail}")

    def well_origin(self, labware_id: str, well_name: str, origin: str) -> Point:
        """The engine's point of ``origin`` (top, bottom, center) of a well, offsets aside."""
        location = WellLocation(origin=WellOrigin(origin))
        point: Point = self._local.engine.state_view.geometry.get_well_position(
            labware_id, well_name, location
        )
        return point


@contextlib.contextmanager
def engine_geometry(
    api_version: APIVersion, labware: list[dict[str, Any]]
) -> Iterator[EngineGeometry]:
    """An :class:`EngineGeometry` on a local engine of its own, knowing ``labware``."""
    with local_engine(api_version) as local:
        add_labware_definitions(local, labware)
        yield EngineGeometry(local)
