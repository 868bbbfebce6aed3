"""Starting a protocol from the console: upload it with its labware and data files, read the
robot's analysis, analyse again with the operator's run-time parameter values, then run it.

The uploaded files stay in a folder of their own (a :class:`Draft`) between the steps, because
every new set of values is a new upload for the robot (as in the Opentrons App); the client's
``upload_and_analyse`` does each upload.

Example::

    draft = await upload(client, "10.0.0.5-31950", ("transfer.py", source))
    draft = await reanalyse(client, draft, {"volume": "75"}, {})
    run = await start(client, draft)
"""

from __future__ import annotations

import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from otlink.client import AsyncRobotClient
from otlink.client.parameter_values import csv_parameter_names, typed_values
from otlink.client.protocol_upload import AnalysedProtocol
from otlink.errors import ParameterValueError
from otlink.models import Analysis, AnalysisResult, CommandError, Protocol, Run

from .state import error_line

__all__ = ["Draft", "DraftStore", "reanalyse", "start", "upload"]

#: How long the robot may take to analyse a protocol, in seconds.
ANALYSIS_TIMEOUT = 600.0
#: Protocols kept for starting; older ones (and their files) must be uploaded again.
KEPT_DRAFTS = 20

NamedFile = tuple[str, bytes]


@dataclass(frozen=True)
class Draft:
    """A protocol uploaded from this console: its files in ``folder``, and the robot's latest
    analysis with the parameter ``texts`` that differ from the defaults and the CSV
    ``choices`` (parameter name -> data file name)."""

    robot_key: str
    folder: Path
    main: Path
    analysed: AnalysedProtocol
    texts: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)

    @property
    def protocol(self) -> Protocol:
        return self.analysed.protocol

    @property
    def analysis(self) -> Analysis:
        return self.analysed.analysis

    @property
    def values(self) -> dict[str, Any]:
        """The typed values the analysis ran with (only those not at their default)."""
        return self.analysed.values

    @property
    def ok(self) -> bool:
        return self.analysis.result == AnalysisResult.OK

    @property
    def parameters(self) -> list[dict[str, Any]]:
        return self.analysis.runTimeParameters

    @property
    def data_files(self) -> list[str]:
        return sorted(path.name for path in (self.folder / "data").iterdir())

    def source_line(self, error: CommandError) -> tuple[int, str] | None:
        """The protocol line an analysis error names, and its text."""
        number = error_line(error)
        lines = self.main.read_text(errors="replace").splitlines()
        if number is None or not 0 < number <= len(lines):
            return None
        return number, lines[number - 1].strip()


class DraftStore:
    """The newest :data:`KEPT_DRAFTS` drafts, by protocol id, with their folders."""

    def __init__(self) -> None:
        self._drafts: OrderedDict[str, Draft] = OrderedDict()

    def keep(self, draft: Draft) -> Draft:
        self._drafts[draft.protocol.id] = draft
        self._drafts.move_to_end(draft.protocol.id)
        while len(self._drafts) > KEPT_DRAFTS:
            _, oldest = self._drafts.popitem(last=False)
            if all(kept.folder != oldest.folder for kept in self._drafts.values()):
                shutil.rmtree(oldest.folder, ignore_errors=True)
        return draft

    def get(self, protocol_id: str) -> Draft | None:
        return self._drafts.get(protocol_id)

    def clear(self) -> None:
        """Forget every draft and delete its files."""
        for folder in {draft.folder for draft in self._drafts.values()}:
            shutil.rmtree(folder, ignore_errors=True)
        self._drafts.clear()


def _save(folder: Path, files: Sequence[NamedFile]) -> None:
    folder.mkdir()
    for name, content in files:
        (folder / Path(name).name).write_bytes(content)  # the name only: no path from the page


async def upload(
    client: AsyncRobotClient,
    robot_key: str,
    main: NamedFile,
    labware: Sequence[NamedFile] = (),
    data: Sequence[NamedFile] = (),
) -> Draft:
    """Upload ``main`` with its ``labware`` and wait for the robot's analysis; ``data`` files
    are kept for the protocol's CSV parameters."""
    folder = Path(tempfile.mkdtemp(prefix="otlink-console-"))
    try:
        for part, files in (("main", [main]), ("labware", labware), ("data", data)):
            _save(folder / part, files)
        main_path = folder / "main" / Path(main[0]).name
        analysed = await client.upload_and_analyse(
            main_path, labware=_labware_folder(folder), timeout=ANALYSIS_TIMEOUT
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Draft(robot_key, folder, main_path, analysed)


def _labware_folder(folder: Path) -> list[Path]:
    """The draft's labware folder, if the user uploaded any labware (an empty folder is refused
    as a labware source)."""
    labware = folder / "labware"
    return [labware] if labware.is_dir() and any(labware.iterdir()) else []


def _changed_texts(draft: Draft, texts: Mapping[str, str]) -> dict[str, str]:
    """The ``texts`` whose typed values differ from the parameters' defaults (typing them
    checks them: a value that does not fit raises ParameterValueError)."""
    declared = [p for p in draft.parameters if p.get("type") != "csv_file"]
    given = {name: text for name, text in texts.items() if name not in csv_names(draft)}
    typed = typed_values(given, declared)
    defaults = {str(p["variableName"]): p.get("default") for p in declared}
    return {name: given[name] for name, value in typed.items() if value != defaults.get(name)}


def csv_names(draft: Draft) -> list[str]:
    return csv_parameter_names(draft.parameters)


async def reanalyse(
    client: AsyncRobotClient, draft: Draft, texts: Mapping[str, str], choices: Mapping[str, str]
) -> Draft:
    """The draft analysed with the parameter values in ``texts`` and the data files
    ``choices`` (parameter name -> data file name); the same draft if nothing changed.

    Raises ParameterValueError for a value that does not fit its parameter.
    """
    changed = _changed_texts(draft, texts)
    chosen = {name: file for name, file in choices.items() if file}
    missing = sorted(set(chosen.values()) - set(draft.data_files))
    if missing:
        raise ParameterValueError(f"no data file {', '.join(missing)} was uploaded")
    if changed == dict(draft.texts) and chosen == dict(draft.choices):
        return draft
    analysed = await client.upload_and_analyse(
        draft.main,
        labware=_labware_folder(draft.folder),
        parameters=changed,
        data={name: draft.folder / "data" / file for name, file in chosen.items()},
        timeout=ANALYSIS_TIMEOUT,
    )
    return replace(draft, analysed=analysed, texts=changed, choices=chosen)


async def start(client: AsyncRobotClient, draft: Draft) -> Run:
    """Create the run of an analysed draft with its values and files, and play it."""
    run = await client.create_run(
        draft.protocol.id,
        run_time_parameter_values=draft.analysed.values or None,
        run_time_parameter_files=draft.analysed.files or None,
    )
    await client.play_run(run.id)
    return run
