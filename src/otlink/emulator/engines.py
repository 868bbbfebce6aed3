"""Build opentrons RunOrchestrators the way robot-server does for an OT-2."""

from __future__ import annotations

import asyncio
from typing import Any

from opentrons.hardware_control import API
from opentrons.protocol_engine import Config, DeckType, ProtocolEngine, error_recovery_policy
from opentrons.protocol_engine.create_protocol_engine import create_protocol_engine
from opentrons.protocol_runner import RunOrchestrator

from otlink.ot2 import OT2_DECK_CONFIGURATION, ROBOT_TYPE

from .fault_hook import inject_faults
from .faults import FaultPlan
from .hardware import VirtualOT2Hardware
from .protocol_executor import contain

__all__ = ["OT2_DECK_CONFIGURATION", "ROBOT_TYPE", "build_orchestrator"]


async def build_orchestrator(
    hardware: API,
    *,
    run_id: str | None = None,
    protocol_config: Any = None,
    load_fixed_trash: bool = False,
    faults: FaultPlan | None = None,
    protocol_code_limit_s: float = 0,
) -> RunOrchestrator:
    """An orchestrator over a new engine; protocol runs get a runner for ``protocol_config``.

    OT-2 runs never enter error recovery: a failed protocol command fails the run. The
    protocol's code runs contained (see protocol_executor.py): its exits fail the run, and so
    does its own code running ``protocol_code_limit_s`` without an API call (0: no limit). With
    ``faults``, the commands its rules pick fail as hardware faults (see faults.py).
    """
    engine = await create_protocol_engine(
        hardware_api=hardware,
        config=Config(
            robot_type=ROBOT_TYPE,
            deck_type=DeckType.OT2_STANDARD,
            block_on_door_open=False,
        ),
        error_recovery_policy=error_recovery_policy.never_recover,
        load_fixed_trash=load_fixed_trash,
        deck_configuration=OT2_DECK_CONFIGURATION,
    )
    orchestrator = RunOrchestrator.build_orchestrator(
        run_id=run_id,
        protocol_engine=engine,
        hardware_api=hardware,
        protocol_config=protocol_config,
    )
    contain(orchestrator, code_limit_s=protocol_code_limit_s)
    if faults is not None:
        inject_faults(engine, faults, run_id or "")
    if isinstance(hardware, VirtualOT2Hardware) and hardware.fast:
        skip_waits(engine)
    return orchestrator


def skip_waits(engine: ProtocolEngine) -> None:
    """Make ``waitForDuration`` (a protocol's ``delay()``) end at once, as ``--fast`` asks.

    The command still runs through the engine, with its own start and end; a pause
    (``waitForResume``) is not a wait for time, and still waits for a resume. Simulated modules
    reach their temperatures, speeds and profile holds within a few polls already.
    """
    # opentrons (pinned <9) has no setting for this but ``ignore_pause``, which skips pauses too.
    run_control = engine._queue_worker._command_executor._run_control

    async def no_wait(seconds: float) -> None:
        await asyncio.sleep(0)

    run_control.wait_for_duration = no_wait
