"""Protocol files as opentrons reads them: apiLevel, metadata, run-time parameters, ``run()``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocol_api import ProtocolContext
from opentrons.protocol_api._parameter_context import ParameterContext
from opentrons.protocols.api_support.types import APIVersion
from opentrons.protocols.execution.errors import ExceptionInProtocolError
from opentrons.protocols.execution.execute_python import exec_add_parameters, exec_run
from opentrons.protocols.parameters.exceptions import IncompatibleParameterError
from opentrons.protocols.parameters.exceptions import (
    ParameterValueError as OpentronsParameterValueError,
)
from opentrons.protocols.parse import parse
from opentrons.protocols.types import (
    ApiDeprecationError,
    MalformedPythonProtocolError,
    PythonProtocol,
)

from otlink.client.parameter_values import csv_parameter_names, typed_values
from otlink.client.protocol_mistakes import (
    DECLARE,
    add_parameters_failed,
    api_v1,
    loading_failed,
    malformed,
    refuse_wrong_signatures,
)
from otlink.errors import InputFileError, ParameterValueError, ProtocolFileError
from otlink.input_files import input_file

_REFUSED_VALUES = (OpentronsParameterValueError, IncompatibleParameterError)

DataFiles = Mapping[str, str | os.PathLike[str]]


@dataclass(frozen=True)
class ProtocolFile:
    """A parsed Python protocol.

    >>> protocol = read_protocol(Path("transfer.py"))  # doctest: +SKIP
    >>> protocol.api_level, protocol.name  # doctest: +SKIP
    (APIVersion(major=2, minor=20), 'Plate transfer')
    """

    path: Path
    parsed: PythonProtocol

    @property
    def api_level(self) -> APIVersion:
        level: APIVersion = self.parsed.api_level
        return level

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self.parsed.metadata or {})

    @property
    def name(self) -> str:
        return str(self.metadata.get("protocolName") or self.path.stem)

    def parameters(
        self, values: Mapping[str, str] | None = None, data: DataFiles | None = None
    ) -> Any:
        """The run-time parameters with their defaults, overridden by ``values`` (given as text,
        as on a command line), CSV parameters read from the files in ``data``; None if it has
        none. With ``data`` given (even empty), every CSV parameter needs its file, as for a run
        on a robot. Each call gives fresh ones: a CSV file that one run read is whole again.

        >>> protocol.parameters({"volume": "50"}, data={"plate_map": "map.csv"})  # doctest: +SKIP
        """
        context = ParameterContext(api_version=self.api_level)
        defaults = self._add_parameters(context, None, None)
        if defaults is None:
            if values or data:
                raise ParameterValueError(
                    f"{self.path.name} defines no run-time parameters",
                    hint="leave out --param and --data",
                )
            return None
        declared = [
            definition.as_protocol_engine_type().model_dump(mode="json")
            for definition in context._parameters.values()
        ]
        typed = typed_values(values or {}, declared)
        files = None if data is None else _data_files(data, csv_parameter_names(declared))
        context = ParameterContext(api_version=self.api_level)
        try:
            return self._add_parameters(context, typed, files)
        except _REFUSED_VALUES as refused:
            raise ParameterValueError(f"{self.path.name}: {refused}", file=str(self.path)) from None

    def _add_parameters(self, context: ParameterContext, values: Any, files: Any) -> Any:
        try:
            return exec_add_parameters(self.parsed, context, values, files)
        except _REFUSED_VALUES:
            raise
        except ExceptionInProtocolError as error:  # raised in add_parameters(), at its line
            raise add_parameters_failed(self.path, error, error.line) from None
        except MalformedPythonProtocolError as error:
            raise malformed(self.path, error.short_message, None) from None
        except Exception as error:  # the file's own top-level code, run as it is loaded
            raise loading_failed(self.path, error) from None

    def run(self, context: ProtocolContext, parameters: Any = None) -> None:
        """Run the protocol's ``run(protocol)`` on ``context``. An error inside it is raised as
        opentrons' ExceptionInProtocolError, which names the protocol file's line."""
        try:
            exec_run(self.parsed, context, parameters)
        except MalformedPythonProtocolError as error:  # a run() that changed since it was read
            raise malformed(self.path, error.short_message, None) from None


def read_protocol(path: Path, labware: list[dict[str, Any]] | None = None) -> ProtocolFile:
    """Parse a Python protocol file, with its custom labware definitions.

    Whatever makes the file unreadable as a protocol (its syntax, its metadata or requirements,
    a ``run`` missing or taking other arguments) is raised as ProtocolFileError with the line
    and the fix; no file to read (missing, a folder, empty), as InputFileError."""
    input_file(path, "protocol file", inside=".py")
    if path.suffix != ".py":
        raise ProtocolFileError(
            f"{path.name}: only Python protocols (.py) run live",
            file=str(path),
            hint="run JSON protocols on the robot with otlink run --upload",
        )
    try:
        source = path.read_bytes()
    except OSError as error:
        raise InputFileError(
            f"cannot read {path}: {error.strerror or error}",
            file=str(path),
            hint="give the path of a protocol file you can read",
        ) from None
    extra = {_uri(definition): definition for definition in labware or []}
    try:
        parsed = parse(source, filename=str(path), extra_labware=extra)
    except MalformedPythonProtocolError as error:
        raise malformed(path, error.short_message, error.__cause__) from None
    except ApiDeprecationError as error:
        raise api_v1(path, error.version) from None
    except (SyntaxError, ValueError, RuntimeError) as error:
        raise malformed(path, str(error), error) from None
    if not isinstance(parsed, PythonProtocol) or parsed.api_level < APIVersion(2, 0):
        raise ProtocolFileError(
            f"{path.name} is not a Protocol API v2 protocol",
            file=str(path),
            hint=f"declare {DECLARE}",
        )
    refuse_wrong_signatures(path, source)
    return ProtocolFile(path, parsed)


def _data_files(given: DataFiles, declared: list[str]) -> dict[str, Path]:
    """The data files for the protocol's CSV parameters: one for each, each there to read."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ParameterValueError(
            f"the protocol has no CSV parameter {', '.join(unknown)}",
            hint=f"its CSV parameters: {', '.join(declared) or 'none'}",
        )
    missing = [name for name in declared if name not in given]
    if missing:
        raise ParameterValueError(
            f"CSV parameter {missing[0]} needs a data file",
            hint=f"give one: --data {missing[0]}=FILE.csv (in Python: data={{...}})",
        )
    return {
        name: input_file(Path(file), "CSV data file", inside=".csv") for name, file in given.items()
    }


def _uri(definition: Mapping[str, Any]) -> str:
    return (
        f"{definition['namespace']}/{definition['parameters']['loadName']}/{definition['version']}"
    )
