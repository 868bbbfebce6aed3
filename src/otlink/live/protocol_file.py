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
from opentrons.protocols.parse import parse
from opentrons.protocols.types import PythonProtocol

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class ProtocolFileError(ValueError):
    """A protocol file that cannot be run as given; the message says what to change."""


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
        defaults = exec_add_parameters(self.parsed, context, None, None)
        if defaults is None:
            if values or csv_files:
                raise ProtocolFileError(f"{self.path.name} defines no run-time parameters.")
            return None
        definitions = context._parameters
        unknown = sorted(set(values or {}) - set(definitions))
        if unknown:
            raise ProtocolFileError(
                f"{self.path.name} has no parameter {', '.join(unknown)};"
                f" its parameters are {', '.join(sorted(definitions))}."
            )
        typed = {
            name: _typed(name, text, definitions[name].parameter_type)
            for name, text in (values or {}).items()
        }
        context = ParameterContext(api_version=self.api_level)
        return exec_add_parameters(self.parsed, context, typed, dict(csv_files or {}))

    def run(self, context: ProtocolContext, parameters: Any = None) -> None:
        """Run the protocol's ``run(protocol)`` on ``context``. An error inside it is raised as
        opentrons' ExceptionInProtocolError, which names the protocol file's line."""
        exec_run(self.parsed, context, parameters)


def read_protocol(path: Path, labware: list[dict[str, Any]] | None = None) -> ProtocolFile:
    """Parse a Python protocol file, with its custom labware definitions."""
    if path.suffix != ".py":
        raise ProtocolFileError(f"{path.name}: only Python protocols (.py) run live.")
    extra = {_uri(definition): definition for definition in labware or []}
    try:
        parsed = parse(path.read_bytes(), filename=str(path), extra_labware=extra)
    except (SyntaxError, ValueError, RuntimeError) as error:
        raise ProtocolFileError(f"{path.name} cannot be read as a protocol: {error}") from error
    if not isinstance(parsed, PythonProtocol) or parsed.api_level < APIVersion(2, 0):
        raise ProtocolFileError(f"{path.name} is not a Protocol API v2 protocol.")
    return ProtocolFile(path, parsed)


def _uri(definition: Mapping[str, Any]) -> str:
    return (
        f"{definition['namespace']}/{definition['parameters']['loadName']}/{definition['version']}"
    )


def _typed(name: str, text: str, kind: type) -> bool | int | float | str:
    try:
        if kind is bool:
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE
            raise ValueError(text)
        converted: int | float | str = kind(text)
        return converted
    except ValueError:
        raise ProtocolFileError(
            f"parameter {name} takes a {kind.__name__}, not {text!r}."
        ) from None
