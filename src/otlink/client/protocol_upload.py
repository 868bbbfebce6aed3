"""Upload a protocol and wait for the robot's analysis with the run-time parameter values given
as text: what ``otlink run --upload`` does before it creates the run, as one client method.

Run-time parameters are typed by the robot's first analysis (it declares each one's type);
when values are given, the protocol is analysed again with them, as the Opentrons App does.

Example::

    with RobotClient("10.0.0.5") as robot:
        analysed = robot.upload_and_analyse("transfer.py", parameters={"volume": "75"})
        run = robot.create_run(analysed.protocol.id,
                               run_time_parameter_values=analysed.values or None,
                               run_time_parameter_files=analysed.files or None)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from otlink.client.labware_files import labware_paths, load_labware_definitions
from otlink.client.options import ClientOptions
from otlink.client.parameter_values import csv_parameter_names, typed_values
from otlink.client.protocols import upload_protocol, wait_for_analysis
from otlink.client.steps import Flow
from otlink.errors import InputFileError, ParameterValueError
from otlink.models import Analysis, Protocol

__all__ = ["AnalysedProtocol", "upload_and_analyse"]


@dataclass
class AnalysedProtocol:
    """A protocol on the robot, its analysis, and the typed parameter values and data file ids
    to create its run with."""

    protocol: Protocol
    analysis: Analysis
    values: dict[str, Any]
    files: dict[str, str]

    @property
    def name(self) -> str:
        return self.protocol.name


def upload_and_analyse(
    options: ClientOptions,
    protocol: str | os.PathLike[str],
    *,
    labware: Iterable[str | os.PathLike[str]] = (),
    parameters: Mapping[str, str] | None = None,
    data: Mapping[str, str | os.PathLike[str]] | None = None,
    timeout: float | None = None,
) -> Flow[AnalysedProtocol]:
    """Upload ``protocol`` with its ``labware`` (files or folders of ``*.json``) and CSV ``data``
    files, and wait for the robot's analysis with ``parameters`` (text values, typed as the
    protocol declares them).

    Raises :class:`~otlink.errors.ParameterValueError` for a parameter the protocol lacks or a
    value that does not fit, :class:`~otlink.errors.InputFileError` for a missing file or one that
    is no labware definition. The
    analysis may still have failed: look at ``analysed.analysis.result``.

    Example::

        analysed = robot.upload_and_analyse("plate.py", data={"plate_map": "map.csv"})
        print(analysed.analysis.result, len(analysed.analysis.commands))
    """
    files = labware_paths(labware)
    data_files = {name: Path(file) for name, file in (data or {}).items()}
    for file in [Path(protocol), *files, *data_files.values()]:
        if not file.is_file():
            raise InputFileError(f"no such file: {file}", file=str(file))
    load_labware_definitions(files)  # a file that is no labware is named here, not as a 422
    uploaded = yield from upload_protocol(options, protocol, files, data_files=data_files)
    analysis = yield from wait_for_analysis(options, uploaded.id, timeout)
    declared = analysis.runTimeParameters
    unknown_files = sorted(set(data_files) - set(csv_parameter_names(declared)))
    if unknown_files:
        names = ", ".join(csv_parameter_names(declared)) or "none"
        raise ParameterValueError(
            f"the protocol has no CSV parameter {', '.join(unknown_files)}",
            hint=f"its CSV parameters: {names}",
        )
    values: dict[str, Any] = typed_values(parameters or {}, declared)
    if values:
        uploaded = yield from upload_protocol(
            options, protocol, files, data_files=data_files, run_time_parameter_values=values
        )
        analysis = yield from wait_for_analysis(options, uploaded.id, timeout)
    file_ids = {
        str(p["variableName"]): str(p["file"]["id"])
        for p in analysis.runTimeParameters
        if p.get("type") == "csv_file" and isinstance(p.get("file"), Mapping)
    }
    return AnalysedProtocol(uploaded, analysis, values, file_ids)
