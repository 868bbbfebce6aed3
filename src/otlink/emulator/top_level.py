"""A Python protocol's top level and ``add_parameters``, run for a run before opentrons loads it.

opentrons' runner executes the protocol module (to find its run-time parameters) on the server's
event loop while it creates the run, so a top level that computes for seconds would hold every
route for as long. The server runs this instead in a worker thread (see
:meth:`.protocol_executor.ContainedExecutor.run_top_level`) and hands the runner its result.

>>> top = run_top_level(source, {"volume": 20}, {})  # doctest: +SKIP
>>> top.parameters  # what the run's protocol gets as ``ctx.params``  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocol_api import ParameterContext
from opentrons.protocol_reader import ProtocolSource
from opentrons.protocol_runner.python_protocol_wrappers import PythonAndLegacyFileReader
from opentrons.protocols.execution.execute_python import exec_add_parameters
from opentrons.protocols.parse import PythonParseMode
from opentrons.protocols.types import PythonProtocol

# How the server loads a protocol for a run (robot-server's choice for stored protocols).
RUN_PARSE_MODE = PythonParseMode.ALLOW_LEGACY_METADATA_AND_REQUIREMENTS


@dataclass(frozen=True)
class TopLevel:
    """What running a protocol's top level gave: its parameter context, and their values."""

    context: ParameterContext
    parameters: Any  # opentrons' Parameters, or None without add_parameters


def run_top_level(
    source: ProtocolSource, values: dict[str, Any] | None, paths: dict[str, Path] | None
) -> TopLevel | None:
    """Run the top level of the Python protocol in ``source`` with these parameter values (None
    for a JSON protocol). Raises what opentrons' load would raise for the same protocol."""
    protocol = PythonAndLegacyFileReader.read(source, (), RUN_PARSE_MODE)
    if not isinstance(protocol, PythonProtocol):
        return None
    context = ParameterContext(api_version=protocol.api_level)
    parameters = exec_add_parameters(
        protocol=protocol,
        parameter_context=context,
        run_time_param_overrides=values,
        run_time_param_file_overrides=paths,
    )
    return TopLevel(context, parameters)
