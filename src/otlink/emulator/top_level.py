"""A Python protocol for a run: read in a sandbox, its top level run by the server in a thread.

When opentrons creates a run of a Python protocol, its runner parses the file and executes the
module (to find its run-time parameters) on the server's event loop: a large file holds every
route for about a second per megabyte while it parses, and a top level that computes holds them
for as long as it computes. So a sandbox child reads the protocol (:class:`ReadProtocol`), and
the server runs its top level in a worker thread (:func:`run_top_level`, see
:meth:`.protocol_executor.ContainedExecutor.run_top_level`) and hands the runner both results.

>>> top = run_top_level(read.for_run(), {"volume": 20}, {})  # doctest: +SKIP
>>> top.parameters  # what the run's protocol gets as ``ctx.params``  # doctest: +SKIP
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opentrons.protocol_api import ParameterContext
from opentrons.protocols.execution.execute_python import exec_add_parameters
from opentrons.protocols.parse import PythonParseMode
from opentrons.protocols.types import PythonProtocol

# How the server loads a protocol for a run (robot-server's choice for stored protocols).
RUN_PARSE_MODE = PythonParseMode.ALLOW_LEGACY_METADATA_AND_REQUIREMENTS


@dataclass(frozen=True)
class ReadProtocol:
    """A Python protocol read for a run, its compiled code marshalled (code does not pickle)."""

    protocol: PythonProtocol  # its ``contents`` left out
    code: bytes

    @classmethod
    def of(cls, protocol: PythonProtocol) -> ReadProtocol:
        return cls(replace(protocol, contents=None), marshal.dumps(protocol.contents))

    def for_run(self) -> PythonProtocol:
        """The protocol as opentrons' reader gave it (same interpreter: the code loads back)."""
        return replace(self.protocol, contents=marshal.loads(self.code))


@dataclass(frozen=True)
class TopLevel:
    """What running a protocol's top level gave: its parameter context, and their values."""

    context: ParameterContext
    parameters: Any  # opentrons' Parameters, or None without add_parameters


def run_top_level(
    protocol: PythonProtocol, values: dict[str, Any] | None, paths: dict[str, Path] | None
) -> TopLevel:
    """Run the top level of ``protocol`` and its ``add_parameters`` with these values. Raises
    what opentrons' load would raise for the same protocol."""
    context = ParameterContext(api_version=protocol.api_level)
    parameters = exec_add_parameters(
        protocol=protocol,
        parameter_context=context,
        run_time_param_overrides=values,
        run_time_param_file_overrides=paths,
    )
    return TopLevel(context, parameters)
