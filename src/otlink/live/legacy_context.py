"""Live protocol contexts below apiLevel 2.14: opentrons' legacy core, mirrored onto a robot.

At these levels ``ProtocolContext`` runs on opentrons' legacy core, which moves hardware itself
and issues no engine commands. Here it moves simulated OT-2 hardware on the laptop (its own
checks, a missing tip or an over-volume, fail there first, as ``PreflightFailed``), and each
action it carried out is then posted to the robot as the robot's well-based command, with the
exact point the legacy core moved to written as the well's origin and offset: the robot's
labware offsets still apply. The robot's failure is raised in the protocol's own call.

Loads go to the robot as they happen locally, with ids otlink gives them. The fixed trash,
which the legacy core always has, is not labware in a robot's live run: actions in it go to the
robot's ``fixedTrash`` addressable area.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Any

from opentrons.calibration_storage.helpers import uri_from_definition
from opentrons.hardware_control.modules import types as module_types
from opentrons.protocol_api import ProtocolContext
from opentrons.protocol_api.core.legacy.deck import Deck as LegacyDeck
from opentrons.protocol_api.core.legacy.labware_offset_provider import (
    NullLabwareOffsetProvider,
)
from opentrons.protocol_api.core.legacy.legacy_protocol_core import LegacyProtocolCore
from opentrons.protocols.api_support.types import APIVersion
from opentrons.types import DeckSlotName

from .legacy_geometry import EngineGeometry, engine_geometry
from .legacy_instruments import adopt_instrument
from .legacy_mirror import LegacyMirror
from .legacy_modules import adopt_module
from .local_engine import HardwareFactory, simulated_hardware
from .module_readings import RobotModuleReadings
from .pauses import PauseHandler
from .robot_run import RobotRun

DECK_TYPE = "ot2_standard"


def legacy_core_context(
    context_class: type[ProtocolContext],
    api_version: APIVersion,
    robot: RobotRun,
    labware: list[dict[str, Any]],
    resources: ExitStack,
    on_pause: PauseHandler,
    hardware_factory: HardwareFactory = simulated_hardware,
) -> ProtocolContext:
    """A ProtocolContext on opentrons' legacy core whose every action runs locally, then on
    ``robot``. What it starts (the simulated hardware's thread, the engine that says where the
    robot has each well) is left on ``resources``.

    ``on_pause`` is called with a pause's message, and the protocol goes on once it returns
    (a live run on the robot cannot pause and resume: see :mod:`otlink.live.pauses`).
    """
    hardware = hardware_factory()
    resources.callback(hardware.clean_up)
    geometry = resources.enter_context(engine_geometry(api_version, labware))
    core = MirroredProtocolCore(
        sync_hardware=hardware.sync,
        api_version=api_version,
        labware_offset_provider=NullLabwareOffsetProvider(),
        deck_layout=LegacyDeck(deck_type=DECK_TYPE),
        extra_labware={uri_from_definition(definition): definition for definition in labware},
        mirror=LegacyMirror(robot),
        geometry=geometry,
        on_pause=on_pause,
    )
    return context_class(api_version=api_version, core=core, deck=core.get_deck())


class MirroredProtocolCore(LegacyProtocolCore):  # type: ignore[misc]
    """opentrons' ``LegacyProtocolCore``, with loads and protocol-level actions mirrored."""

    def __init__(
        self,
        *,
        mirror: LegacyMirror,
        geometry: EngineGeometry,
        on_pause: PauseHandler,
        **core: Any,
    ) -> None:
        super().__init__(**core)
        self._otlink_mirror = mirror
        self._otlink_geometry = geometry
        self._otlink_on_pause = on_pause

    def _load(self, command_type: str, params: dict[str, Any]) -> None:
        # The robot first (its failure is the protocol's); then where wells are is asked of it.
        self._otlink_mirror.post(command_type, params)
        self._otlink_geometry.load(command_type, params)

    def load_labware(
        self,
        load_name: str,
        location: Any,
        label: str | None,
        namespace: str | None,
        version: int | None,
    ) -> Any:
        mirror = self._otlink_mirror
        with mirror.local("loadLabware"):
            labware = super().load_labware(load_name, location, label, namespace, version)
        where = (
            {"slotName": location.id}
            if isinstance(location, DeckSlotName)
            else {"moduleId": mirror.id_of(location)}
        )
        load = labware.get_load_params()
        params: dict[str, Any] = {
            "location": where,
            "loadName": load.load_name,
            "namespace": load.namespace,
            "version": load.version,
            "labwareId": mirror.give_id(labware, "labware"),
        }
        if label:
            params["displayName"] = label
        self._load("loadLabware", params)
        return labware

    def load_module(self, model: Any, deck_slot: Any, configuration: str | None) -> Any:
        mirror = self._otlink_mirror
        with mirror.local("loadModule"):
            module = super().load_module(model, deck_slot, configuration)
        adopt_module(module, mirror)
        module_id = mirror.give_id(module, "module")
        module._sync_module_hardware = RobotModuleReadings(
            module._sync_module_hardware,
            mirror.robot,
            module_id,
            module_types.ModuleType.from_model(module.get_model()).value,
            reads_locally=lambda: not mirror.at_top_level,
        )
        self._load(
            "loadModule",
            {
                "model": module.get_requested_model().value,
                "location": {"slotName": module.get_deck_slot_id()},
                "moduleId": module_id,
            },
        )
        return module

    def load_instrument(self, instrument_name: Any, mount: Any, **options: Any) -> Any:
        mirror = self._otlink_mirror
        with mirror.local("loadPipette"):
            instrument = super().load_instrument(instrument_name, mount, **options)
        adopt_instrument(instrument, mirror, self.fixed_trash, self._otlink_geometry)
        mirror.post(
            "loadPipette",
            {
                "pipetteName": instrument_name.value,
                "mount": mount.name.lower(),
                "pipetteId": mirror.give_id(instrument, "pipette"),
            },
        )
        return instrument

    def home(self) -> None:
        with self._otlink_mirror.local("home"):
            super().home()
        self._otlink_mirror.post("home", {})

    def delay(self, seconds: float, msg: str | None) -> None:
        with self._otlink_mirror.local("waitForDuration"):
            super().delay(seconds, msg)  # simulated: it does not wait
        params: dict[str, Any] = {"seconds": seconds}
        if msg:
            params["message"] = msg
        self._otlink_mirror.post("waitForDuration", params)

    def comment(self, msg: str) -> None:
        super().comment(msg)
        self._otlink_mirror.post("comment", {"message": msg})

    def set_rail_lights(self, on: bool) -> None:
        with self._otlink_mirror.local("setRailLights"):
            super().set_rail_lights(on)
        self._otlink_mirror.post("setRailLights", {"on": on})

    def pause(self, msg: str | None) -> None:
        # Neither side pauses: a paused live run could never take the next command, and the
        # local hardware would hold the next move. The protocol waits here, for the handler,
        # once the robot has caught up.
        self._otlink_mirror.robot.sync()
        self._otlink_on_pause(msg or "The protocol paused.")


def _format_module_models_as_values() -> None:
    """Let the legacy core find module definitions on Python 3.11 and later.

    It names a definition file ``f"{model}"``; opentrons wrote that for Python 3.10, where a str
    enum formats as its value. From 3.11 it formats as ``Class.MEMBER``, and every legacy
    ``load_module`` fails (opentrons' own simulate too). This gives back the 3.10 behaviour.
    """
    if sys.version_info < (3, 11):
        return
    for model in (
        module_types.MagneticModuleModel,
        module_types.TemperatureModuleModel,
        module_types.ThermocyclerModuleModel,
        module_types.HeaterShakerModuleModel,
    ):
        model.__format__ = lambda self, spec: format(self.value, spec)  # type: ignore[method-assign]


_format_module_models_as_values()
