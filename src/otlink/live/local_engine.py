"""The local simulating engine every live command runs on first: the pre-flight check."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from opentrons.hardware_control import API, ThreadManager
from opentrons.protocol_engine import Config, DeckType, ProtocolEngine, error_recovery_policy
from opentrons.protocol_engine.create_protocol_engine import create_protocol_engine_in_thread
from opentrons.protocol_engine.types import PostRunHardwareState
from opentrons.protocols.api_support.deck_type import (
    should_load_fixed_trash_labware_for_python_protocol,
)
from opentrons.protocols.api_support.types import APIVersion

from otlink.ot2 import OT2_DECK_CONFIGURATION, ROBOT_TYPE

# The local engine logs each failed command with a traceback; otlink raises it instead.
logging.getLogger("opentrons.protocol_engine.execution.command_executor").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class LocalEngine:
    """A ProtocolEngine on simulated OT-2 hardware, running in a thread of its own."""

    engine: ProtocolEngine
    loop: Any
    hardware: Any  # ThreadManager[API]: what the Protocol API's hardware calls go to

    @property
    def fixed_trash_id(self) -> str | None:
        """The id of the fixed-trash labware, which only protocols below 2.16 load."""
        trash: str | None = self.engine.state_view.labware.get_fixed_trash_id()
        return trash


def simulated_hardware() -> Any:
    """Simulated OT-2 hardware (a ThreadManager) with no pipettes: it takes whatever is loaded."""
    return ThreadManager(API.build_hardware_simulator)


HardwareFactory = Callable[[], Any]


@contextlib.contextmanager
def local_engine(
    api_version: APIVersion, hardware_factory: HardwareFactory = simulated_hardware
) -> Iterator[LocalEngine]:
    """Start the engine as a robot would for a Python protocol at ``api_version``.

    Its hardware is ``hardware_factory()``: by default simulated with no pipettes attached, so it
    takes whatever the protocol loads (whether that pipette is really on the robot is for the
    robot to say); a whole-protocol check gives it the robot's own pipettes.
    """
    hardware = hardware_factory()
    try:
        with create_protocol_engine_in_thread(
            hardware_api=hardware.wrapped(),
            # Delays and pauses happen on the robot; the check need not wait for them. Modules
            # are virtual, as in opentrons' analysis: whether one is attached is the robot's say.
            config=Config(
                robot_type=ROBOT_TYPE,
                deck_type=DeckType.OT2_STANDARD,
                ignore_pause=True,
                use_virtual_modules=True,
            ),
            deck_configuration=OT2_DECK_CONFIGURATION,
            file_provider=None,
            error_recovery_policy=error_recovery_policy.never_recover,
            drop_tips_after_run=False,
            post_run_hardware_state=PostRunHardwareState.STAY_ENGAGED_IN_PLACE,
            load_fixed_trash=should_load_fixed_trash_labware_for_python_protocol(api_version),
        ) as (engine, loop):
            yield LocalEngine(engine, loop, hardware)
    finally:
        hardware.clean_up()


def add_labware_definitions(local: LocalEngine, definitions: list[dict[str, Any]]) -> None:
    """Give the local engine custom labware definitions (JSON dicts), as the robot run has them."""
    from opentrons_shared_data.labware.labware_definition import (
        labware_definition_type_adapter,
    )

    async def add() -> None:
        for definition in definitions:
            local.engine.add_labware_definition(
                labware_definition_type_adapter.validate_python(definition)
            )

    asyncio.run_coroutine_threadsafe(add(), local.loop).result()
