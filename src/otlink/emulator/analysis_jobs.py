"""What a sandbox child does with a protocol: read it, load it, or analyse it.

Reading a Python protocol parses it, which holds the interpreter for about a second per megabyte
of code, so the server never does it itself: an upload is read and saved here (:func:`save`), and
a run gets its protocol read here, its top level run once and its compiled code marshalled
(:func:`read_for_run`). Loading and analysing build ``create_simulating_orchestrator`` (a homed
hardware simulator with virtual pipettes and modules, as robot-server's analyzer does). Every
result is plain and picklable.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocol_engine import ErrorOccurrence, StateSummary
from opentrons.protocol_engine.types import RunTimeParameter
from opentrons.protocol_reader import (
    ProtocolFilesInvalidError,
    ProtocolReader,
    ProtocolSource,
    PythonProtocolConfig,
    extract_labware_definitions,
)
from opentrons.protocol_reader.file_reader_writer import BufferedFile
from opentrons.protocol_runner import RunOrchestrator
from opentrons.protocol_runner.create_simulating_orchestrator import (
    create_simulating_orchestrator,
)
from opentrons.protocol_runner.python_protocol_wrappers import PythonAndLegacyFileReader
from opentrons.protocol_runner.run_orchestrator import ParseMode
from opentrons.protocols.types import PythonProtocol
from opentrons_shared_data.errors import EnumeratedError, PythonException

from .responses import RawJson, plain, to_json
from .run_store import utc_now
from .top_level import RUN_PARSE_MODE, ReadProtocol, run_top_level


@dataclass
class Outcome:
    """A job's result: the parameters, the errors, and for a finished analysis its state."""

    parameters: list[RunTimeParameter]
    errors: list[ErrorOccurrence]
    summary: StateSummary | None = None
    commands: RawJson | None = None  # rendered here, once (see responses.RawJson)


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
    commands = RawJson(to_json(plain(result.commands)))
    return Outcome(result.parameters, summary.errors, summary, commands)


class FilesInvalid(Exception):
    """Uploaded files that are not a protocol, with opentrons' reason (its errors do not pickle)."""


async def save(files: Sequence[BufferedFile], directory: Path, content_hash: str) -> ProtocolSource:
    """Check uploaded ``files`` as a protocol (opentrons' ProtocolReader) and save them."""
    try:
        return await ProtocolReader().save(
            files=files, directory=directory, content_hash=content_hash
        )
    except ProtocolFilesInvalidError as error:
        raise FilesInvalid(str(error)) from None


async def read_for_run(
    source: ProtocolSource, values: Mapping[str, Any], paths: Mapping[str, Path]
) -> ReadProtocol | None:
    """Read ``source`` for the server's run, and run its top level here first, within the time
    limit; None for a JSON protocol, or one that does not read (the server's own load then
    reports why, as it reports what the top level raises)."""
    if not isinstance(source.config, PythonProtocolConfig):
        return None
    labware = await extract_labware_definitions(source)
    try:
        protocol = PythonAndLegacyFileReader.read(source, labware, RUN_PARSE_MODE)
    except Exception:
        return None
    if not isinstance(protocol, PythonProtocol):
        return None
    with contextlib.suppress(Exception):
        run_top_level(protocol, dict(values), dict(paths))
    return ReadProtocol.of(protocol)


JOBS: dict[str, Callable[..., Coroutine[Any, Any, Any]]] = {
    "load_parameters": load_parameters,
    "analyze": analyze,
    "save": save,
    "read_for_run": read_for_run,
}
