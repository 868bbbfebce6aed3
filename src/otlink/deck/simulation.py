"""A protocol simulated here, as ``opentrons analyze`` does: the commands it will send.

The engine runs the protocol on simulated hardware with virtual pipettes and modules (as a
robot's analysis does), so the commands carry the engine's own results: labware definitions,
ids, the wells each step reaches.

Example::

    simulation = simulate_protocol(Path("transfer.py"))
    deck = DeckState.from_commands(simulation.commands, liquids=simulation.liquids)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SimulationError(Exception):
    """The protocol could not be read or set up (bad file, bad parameter value...)."""


@dataclass(frozen=True)
class Simulation:
    """The simulated run: its commands and liquids (as JSON dicts) and its errors."""

    commands: list[dict[str, Any]]
    liquids: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    parameters: list[dict[str, Any]]

    @property
    def error(self) -> str | None:
        """The run's first error in words (``None`` when it went to the end)."""
        if not self.errors:
            return None
        error = self.errors[0]
        return str(error.get("detail") or error.get("errorType") or "error")


def simulate_protocol(
    path: Path,
    *,
    labware: Iterable[Mapping[str, Any]] = (),
    parameters: Mapping[str, Any] | None = None,
    data_files: Mapping[str, Path] | None = None,
) -> Simulation:
    """Simulate ``path`` with custom ``labware`` definitions, run-time ``parameters`` (typed
    values) and CSV ``data_files`` for its CSV parameters."""
    with tempfile.TemporaryDirectory(prefix="otlink-deck-") as folder:
        files = [path]
        for number, definition in enumerate(labware):
            file = Path(folder, f"labware-{number}.json")
            file.write_text(json.dumps(definition))
            files.append(file)
        with _quiet_engine():
            return asyncio.run(_simulate(files, dict(parameters or {}), dict(data_files or {})))


@contextlib.contextmanager
def _quiet_engine() -> Iterator[None]:
    """The engine logs a failing protocol's traceback; the caller reports the error instead."""
    logger = logging.getLogger("opentrons")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def declared_parameters(path: Path) -> list[dict[str, Any]]:
    """The run-time parameters ``path`` declares (``variableName``, ``type``, ``default``...),
    to type values given as text (see :func:`otlink.cli.parameter_values.typed_values`)."""

    async def declared() -> list[dict[str, Any]]:
        orchestrator = await _loaded([path], {}, {})
        return [p.model_dump(mode="json") for p in orchestrator.get_run_time_parameters()]

    with _quiet_engine():
        return asyncio.run(declared())


async def _loaded(
    files: list[Path], parameters: dict[str, Any], data_files: dict[str, Path]
) -> Any:
    from opentrons.protocol_reader import ProtocolFilesInvalidError, ProtocolReader
    from opentrons.protocol_runner.create_simulating_orchestrator import (
        create_simulating_orchestrator,
    )
    from opentrons.protocol_runner.run_orchestrator import ParseMode

    try:
        source = await ProtocolReader().read_saved(files=files, directory=None)
    except ProtocolFilesInvalidError as error:
        raise SimulationError(f"{files[0].name} cannot be read as a protocol: {error}") from error
    orchestrator = await create_simulating_orchestrator(
        robot_type=source.robot_type, protocol_config=source.config
    )
    try:
        await orchestrator.load(
            protocol_source=source,
            run_time_param_values=parameters,
            run_time_param_paths=data_files,
            parse_mode=ParseMode.NORMAL,
        )
    except Exception as error:  # the engine's own setup errors: bad parameters, bad code
        raise SimulationError(f"{files[0].name}: {error}") from error
    return orchestrator


async def _simulate(
    files: list[Path], parameters: dict[str, Any], data_files: dict[str, Path]
) -> Simulation:
    orchestrator = await _loaded(files, parameters, data_files)
    result = await orchestrator.run(deck_configuration=[])
    summary = result.state_summary
    return Simulation(
        commands=[c.model_dump(mode="json", exclude_none=True) for c in result.commands],
        liquids=[liquid.model_dump(mode="json") for liquid in summary.liquids],
        errors=[error.model_dump(mode="json") for error in summary.errors],
        parameters=[p.model_dump(mode="json") for p in result.parameters],
    )
