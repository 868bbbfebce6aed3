"""What a sandbox child does with a protocol: load it, or analyse it with opentrons' simulator.

Each job builds ``create_simulating_orchestrator`` (a homed hardware simulator with virtual pipettes
and modules, as robot-server's analyzer does) and returns plain, picklable results.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocol_engine import Command, ErrorOccurrence, StateSummary
from opentrons.protocol_engine.types import RunTimeParameter
from opentrons.protocol_reader import ProtocolSource
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocol_runner.create_simulating_orchestrator import (
    create_simulating_orchestrator,
)
from opentrons.protocol_runner.run_orchestrator import ParseMode
from opentrons_shared_data.errors import EnumeratedError, PythonException

from .run_store import utc_now


@dataclass
class Outcome:
    """A job's result: the parameters, the errors, and for a finished analysis its state."""

    parameters: list[RunTimeParameter]
    errors: list[ErrorOccurrence]
    summary: StateSummary | None = None
    commands: list[Command] | None = None


def internal_error(error: BaseException) -> ErrorOccurrence:
    """An error outside any command, as robot-server's analyzer records it."""
    enumerated = error if isinstance(error, EnumeratedError) else PythonException(error)  # type: ignore[arg-type]
    return ErrorOccurrence.from_failed(id="internal-error", createdAt=utc_now(), error=enumerated)


async def _loaded(
    source: ProtocolSource, values: Mapping[str, Any], paths: Mapping[str, Path]
) -> tuple[RunOrchestrator, ErrorOccurrence | None]:
    orchestrator = await create_simulating_orchestrator(
        robot_type=source.robot_type, protocol_config=source.config
    )
    try:
        await orchestrator.load(
            protocol_source=source,
            parse_mode=ParseMode.NORMAL,
            run_time_param_values=dict(values),
            run_time_param_paths=dict(paths),
        )
    except Exception as error:
        return orchestrator, internal_error(error)
    return orchestrator, None


async def load_parameters(
    source: ProtocolSource, values: Mapping[str, Any], paths: Mapping[str, Path]
) -> Outcome:
    """The protocol's run-time parameters with ``values``, or why it cannot be loaded."""
    orchestrator, error = await _loaded(source, values, paths)
    return Outcome(orchestrator.get_run_time_parameters(), [error] if error else [])


async def analyze(
    source: ProtocolSource, values: Mapping[str, Any], paths: Mapping[str, Path]
) -> Outcome:
    """The engine's simulation of the whole protocol."""
    orchestrator, error = await _loaded(source, values, paths)
    if error is not None:
        return Outcome(orchestrator.get_run_time_parameters(), [error])
    try:
        result = await orchestrator.run(deck_configuration=[])
    except Exception as failure:
        return Outcome(orchestrator.get_run_time_parameters(), [internal_error(failure)])
    summary = result.state_summary
    return Outcome(result.parameters, summary.errors, summary, result.commands)


JOBS: dict[str, Callable[..., Coroutine[Any, Any, Outcome]]] = {
    "load_parameters": load_parameters,
    "analyze": analyze,
}
