"""Protocol files as opentrons reads them: apiLevel, metadata, run-time parameters, ``run()``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocol_api import ProtocolContext
from opentrons.protocol_api._parameter_context import ParameterContext
from opentrons.protocols.api_support.types import APIVersion
from opentrons.protocols.execution.execute_python import exec_add_parameters, exec_run
from opentrons.protocols.parameters.exceptions import (
    IncompatibleParameterError,
    ParameterDefinitionError,
)
from opentrons.protocols.parameters.exceptions import (
    ParameterValueError as OpentronsParameterValueError,
)
from opentrons.protocols.parse import parse
from opentrons.protocols.types import MalformedPythonProtocolError, PythonProtocol

from otlink.client.parameter_values import typed_values
from otlink.errors import ParameterValueError, ProtocolFileError

_REFUSED_VALUES = (OpentronsParameterValueError, IncompatibleParameterError)


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
        self, values: Mapping[str, str] | None = None, csv_files: Mapping[str, Path] | None = None
    ) -> Any:
        """The run-time parameters with their defaults, overridden by ``values`` (given as text,
        as on a command line) and CSV parameters by ``csv_files``; None if it has none."""
        context = ParameterContext(api_version=self.api_level)
        defaults = self._add_parameters(context, None, None)
        if defaults is None:
            if values or csv_files:
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
        context = ParameterContext(api_version=self.api_level)
        try:
            return self._add_parameters(context, typed, dict(csv_files or {}))
        except _REFUSED_VALUES as refused:
            raise ParameterValueError(f"{self.path.name}: {refused}", file=str(self.path)) from None

    def _add_parameters(self, context: ParameterContext, values: Any, csv_files: Any) -> Any:
        try:
            return exec_add_parameters(self.parsed, context, values, csv_files)
        except ParameterDefinitionError as wrong:
            raise ProtocolFileError(
                f"{self.path.name}: a parameter in add_parameters() is defined wrongly: {wrong}",
                file=str(self.path),
                hint="fix the parameter's definition in add_parameters()",
            ) from None

    def run(self, context: ProtocolContext, parameters: Any = None) -> None:
        """Run the protocol's ``run(protocol)`` on ``context``. An error inside it is raised as
        opentrons' ExceptionInProtocolError, which names the protocol file's line."""
        exec_run(self.parsed, context, parameters)


def read_protocol(path: Path, labware: list[dict[str, Any]] | None = None) -> ProtocolFile:
    """Parse a Python protocol file, with its custom labware definitions."""
    if path.suffix != ".py":
        raise ProtocolFileError(
            f"{path.name}: only Python protocols (.py) run live",
            file=str(path),
            hint="run JSON protocols on the robot with otlink run --upload",
        )
    extra = {_uri(definition): definition for definition in labware or []}
    try:
        parsed = parse(path.read_bytes(), filename=str(path), extra_labware=extra)
    except MalformedPythonProtocolError as error:
        raise _unreadable(path, error.short_message, error.__cause__) from None
    except (SyntaxError, ValueError, RuntimeError) as error:
        raise _unreadable(path, str(error), error) from None
    if not isinstance(parsed, PythonProtocol) or parsed.api_level < APIVersion(2, 0):
        raise ProtocolFileError(
            f"{path.name} is not a Protocol API v2 protocol",
            file=str(path),
            hint='declare requirements = {"robotType": "OT-2", "apiLevel": "2.20"}',
        )
    return ProtocolFile(path, parsed)


def _unreadable(path: Path, message: str, cause: BaseException | None) -> ProtocolFileError:
    line = cause.lineno if isinstance(cause, SyntaxError) else None
    if "apiLevel" in message:
        hint = 'declare it: requirements = {"robotType": "OT-2", "apiLevel": "2.20"}'
    elif line is not None:
        hint = f"fix the Python syntax at line {line}"
    else:
        hint = None
    return ProtocolFileError(
        f"{path.name} cannot be read as a protocol: {message}",
        file=str(path),
        line=line,
        hint=hint,
    )


def _uri(definition: Mapping[str, Any]) -> str:
    return (
        f"{definition['namespace']}/{definition['parameters']['loadName']}/{definition['version']}"
    )
