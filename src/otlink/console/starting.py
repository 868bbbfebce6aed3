"""Starting a protocol from the console: upload it with its labware and data files, read the
robot's analysis, analyse again with the operator's run-time parameter values, then run it.

The files stay in memory (a :class:`Draft`) between the steps, because every new set of values
is a new upload for the robot, as in the Opentrons App.

Example::

    draft = await upload(client, "10.0.0.5-31950", ("transfer.py", source))
    draft = await reanalyse(client, draft, {"volume": "75"}, {})
    run = await start(client, draft)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from otlink.client import AsyncRobotClient
from otlink.client.parameter_values import (
    ParameterValueError,
    csv_parameter_names,
    typed_values,
)
from otlink.models import Analysis, AnalysisResult, CommandError, Protocol, Run

from .state import error_line

__all__ = ["Draft", "DraftStore", "ParameterValueError", "reanalyse", "start", "upload"]

#: How long the robot may take to analyse a protocol, in seconds.
ANALYSIS_TIMEOUT = 600.0
#: Protocols kept in memory for starting; older ones must be uploaded again.
KEPT_DRAFTS = 20

NamedFile = tuple[str, bytes]


@dataclass(frozen=True)
class Draft:
    """A protocol uploaded from this console, its files, and the robot's latest analysis of
    it with ``values`` and the CSV ``choices`` (parameter name -> data file name)."""

    robot_key: str
    main: NamedFile
    labware: tuple[NamedFile, ...]
    data: Mapping[str, bytes]
    protocol: Protocol
    analysis: Analysis
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.analysis.result == AnalysisResult.OK

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return self.analysis.runTimeParameters

    def source_line(self, error: CommandError) -> tuple[int, str] | None:
        """The protocol line an analysis error names, and its text."""
        number = error_line(error)
        lines = self.main[1].decode(errors="replace").splitlines()
        if number is None or not 0 < number <= len(lines):
            return None
        return number, lines[number - 1].strip()


class DraftStore:
    """The newest :data:`KEPT_DRAFTS` drafts, by protocol id."""

    def __init__(self) -> None:
        self._drafts: OrderedDict[str, Draft] = OrderedDict()

    def keep(self, draft: Draft) -> Draft:
        self._drafts[draft.protocol.id] = draft
        self._drafts.move_to_end(draft.protocol.id)
        while len(self._drafts) > KEPT_DRAFTS:
            self._drafts.popitem(last=False)
        return draft

    def get(self, protocol_id: str) -> Draft | None:
        return self._drafts.get(protocol_id)


async def upload(
    client: AsyncRobotClient,
    robot_key: str,
    main: NamedFile,
    labware: Sequence[NamedFile] = (),
    data: Sequence[NamedFile] = (),
) -> Draft:
    """Upload ``main`` with its ``labware`` and wait for the robot's analysis; ``data`` files
    are kept for the protocol's CSV parameters."""
    protocol = await client.upload_protocol(main, labware)
    analysis = await client.wait_for_analysis(protocol.id, timeout=ANALYSIS_TIMEOUT)
    return Draft(robot_key, main, tuple(labware), dict(data), protocol, analysis)


def _changed_values(draft: Draft, texts: Mapping[str, str]) -> dict[str, Any]:
    """The typed values of ``texts`` that differ from the parameters' defaults."""
    declared = [p for p in draft.parameters if p.get("type") != "csv_file"]
    typed = typed_values(
        {name: text for name, text in texts.items() if name not in csv_names(draft)}, declared
    )
    defaults = {str(p["variableName"]): p.get("default") for p in declared}
    return {name: value for name, value in typed.items() if value != defaults.get(name)}


def csv_names(draft: Draft) -> list[str]:
    return csv_parameter_names(draft.parameters)


async def reanalyse(
    client: AsyncRobotClient, draft: Draft, texts: Mapping[str, str], choices: Mapping[str, str]
) -> Draft:
    """The draft analysed with the parameter values typed in ``texts`` and the data files
    ``choices`` (parameter name -> data file name); the same draft if nothing changed.

    Raises ParameterValueError for a value that does not fit its parameter.
    """
    values = _changed_values(draft, texts)
    chosen = {name: file for name, file in choices.items() if file}
    missing = sorted(set(chosen.values()) - set(draft.data))
    if missing:
        raise ParameterValueError(f"no data file {', '.join(missing)} was uploaded")
    if values == dict(draft.values) and chosen == dict(draft.choices):
        return draft
    data_files = {name: (file, draft.data[file]) for name, file in chosen.items()}
    protocol = await client.upload_protocol(
        draft.main,
        draft.labware,
        data_files=data_files,
        run_time_parameter_values=values or None,
    )
    analysis = await client.wait_for_analysis(protocol.id, timeout=ANALYSIS_TIMEOUT)
    return replace(draft, protocol=protocol, analysis=analysis, values=values, choices=chosen)


async def start(client: AsyncRobotClient, draft: Draft) -> Run:
    """Create the run of an analysed draft with its values and files, and play it."""
    file_ids = {
        str(p["variableName"]): str(p["file"]["id"])
        for p in draft.parameters
        if p.get("type") == "csv_file" and isinstance(p.get("file"), Mapping)
    }
    run = await client.create_run(
        draft.protocol.id,
        run_time_parameter_values=dict(draft.values) or None,
        run_time_parameter_files=file_ids or None,
    )
    await client.play_run(run.id)
    return run
