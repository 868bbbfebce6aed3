"""Protocol analyses: the engine's own simulation of a protocol, run in the background.

Each analysis loads the protocol into ``create_simulating_orchestrator`` (a homed hardware simulator
with virtual pipettes and modules, as robot-server's analyzer does) and runs it to the end, in a
child process with a time limit (see sandbox.py): a protocol that hangs, loops or exits fails its
own analysis, with an error saying so, and the server goes on answering. It is
``pending`` until then, and ``completed`` afterwards with a result: ``ok``, ``not-ok`` (the engine's
fatal error is in ``errors``) or ``parameter-value-required``. A protocol that cannot even be loaded
with the given run-time parameter values is completed at once as ``not-ok``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opentrons.protocol_engine import ErrorOccurrence
from opentrons.protocol_engine.protocol_engine import code_in_error_tree
from opentrons.protocol_engine.types import CSVParameter, RunTimeParameter
from opentrons.protocol_reader import ProtocolSource
from opentrons_shared_data.errors import ErrorCodes, GeneralError

from . import responses
from .analysis_jobs import Outcome, internal_error
from .api_errors import ApiError, not_found
from .sandbox import Sandbox, SandboxPool, SandboxStopped

_log = logging.getLogger(__name__)
MAX_COMPLETED_ANALYSES = 5  # per protocol, as robot-server keeps


def analysis_not_found(analysis_id: str) -> ApiError:
    return not_found(
        "AnalysisNotFound", "Protocol Analysis Not Found", f'Analysis "{analysis_id}" not found.'
    )


def last_analysis_pending(analysis_id: str) -> ApiError:
    return ApiError(
        503,
        "LastAnalysisPending",
        "Last Analysis Still Pending.",
        f'Analysis "{analysis_id}" is still pending.',
    )


@dataclass
class Analysis:
    """One analysis of one protocol; ``body`` is what GET .../analyses/{id} answers."""

    id: str
    protocol_id: str
    body: dict[str, Any]
    # The parameter values it was made with, to tell whether a new request needs a new analysis.
    # Empty when the protocol could not be loaded (robot-server then stores none either).
    values: dict[str, Any] = field(default_factory=dict)
    document: str | None = None

    @property
    def pending(self) -> bool:
        return bool(self.body["status"] == "pending")

    @property
    def file_ids(self) -> set[str]:
        """The data files its CSV parameters read."""
        return {
            parameter.file.id
            for parameter in self.body.get("runTimeParameters", [])
            if isinstance(parameter, CSVParameter) and parameter.file is not None
        }

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.body["status"]}

    def as_document(self) -> str:
        """The completed analysis as one pre-rendered JSON document (rendered once)."""
        if self.document is None:
            self.document = responses.to_json(responses.plain(self.body))
        return self.document


def _values_of(parameters: list[RunTimeParameter]) -> dict[str, Any]:
    return {
        parameter.variableName: (
            (parameter.file.id if parameter.file else None)
            if isinstance(parameter, CSVParameter)
            else parameter.value
        )
        for parameter in parameters
    }


def _result_of(errors: list[ErrorOccurrence]) -> str:
    if not errors:
        return "ok"
    if any(
        code_in_error_tree(root_error=error, code=ErrorCodes.RUNTIME_PARAMETER_VALUE_REQUIRED)
        for error in errors
    ):
        return "parameter-value-required"
    return "not-ok"


def completed_body(
    analysis_id: str, robot_type: str, outcome: Outcome, parameters: list[RunTimeParameter]
) -> dict[str, Any]:
    """A completed analysis in robot-server's field order; without a state summary, empty."""
    summary = outcome.summary
    return {
        "id": analysis_id,
        "status": "completed",
        "result": _result_of(outcome.errors),
        "robotType": robot_type,
        "runTimeParameters": parameters,
        "commands": outcome.commands or [],
        "labware": summary.labware if summary else [],
        "pipettes": summary.pipettes if summary else [],
        "modules": summary.modules if summary else [],
        "liquids": summary.liquids if summary else [],
        "errors": outcome.errors,
    }


class AnalysisStore:
    """Every protocol's analyses, oldest first, and the background tasks computing them."""

    def __init__(self, sandboxes: SandboxPool) -> None:
        self._sandboxes = sandboxes
        self._by_protocol: dict[str, list[Analysis]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # --- reading ---------------------------------------------------------------------------

    def of_protocol(self, protocol_id: str) -> list[Analysis]:
        """Completed analyses first (oldest first), then the pending one, as robot-server orders."""
        analyses = self._by_protocol.get(protocol_id, [])
        return [a for a in analyses if not a.pending] + [a for a in analyses if a.pending]

    def summaries(self, protocol_id: str) -> list[dict[str, Any]]:
        return [analysis.summary() for analysis in self.of_protocol(protocol_id)]

    def get(self, analysis_id: str) -> Analysis:
        # Like robot-server, an analysis is found by its id alone, whichever protocol owns it.
        for analyses in self._by_protocol.values():
            for analysis in analyses:
                if analysis.id == analysis_id:
                    return analysis
        raise analysis_not_found(analysis_id)

    def document(self, analysis_id: str) -> str:
        """GET .../asDocument: a pending analysis is not a document yet (404)."""
        analysis = self.get(analysis_id)
        if analysis.pending:
            raise analysis_not_found(analysis_id)
        return analysis.as_document()

    def users_of_file(self, file_id: str) -> set[str]:
        """Ids of the completed analyses that read the data file ``file_id``."""
        return {
            analysis.id
            for analyses in self._by_protocol.values()
            for analysis in analyses
            if not analysis.pending and file_id in analysis.file_ids
        }

    def file_ids_of(self, protocol_id: str) -> set[str]:
        """The data files that the protocol's completed analyses read."""
        return {
            file_id
            for analysis in self._by_protocol.get(protocol_id, [])
            if not analysis.pending
            for file_id in analysis.file_ids
        }

    # --- starting --------------------------------------------------------------------------

    async def start_if_necessary(
        self,
        protocol_id: str,
        source: ProtocolSource,
        values: Mapping[str, Any],
        paths: Mapping[str, Path],
        *,
        force: bool,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Analyse again if forced, if there is no analysis, or if the parameter values changed.

        Returns the protocol's analysis summaries (with the new one last) and whether a new
        analysis started. A request while the last analysis is pending answers 503.
        """
        summaries = self.summaries(protocol_id)
        analyses = self.of_protocol(protocol_id)
        if analyses and analyses[-1].pending:
            # Told before the protocol is loaded again: the answer cannot be another.
            raise last_analysis_pending(analyses[-1].id)
        analysis_id = str(uuid.uuid4())
        box = await self._sandboxes.acquire()
        handed_over = False
        try:
            loaded = await self._in_sandbox(box, "load_parameters", source, values, paths)
            if loaded.errors:
                _log.info("Protocol %s could not be loaded for analysis", protocol_id)
                failed = Analysis(analysis_id, protocol_id, {})
                self._complete(failed, source.robot_type, loaded, loaded.parameters)
                return [*summaries, {"id": analysis_id, "status": "completed"}], False
            parameters = loaded.parameters
            if not force and summaries and self._same_values(protocol_id, parameters):
                return summaries, False
            body = {"id": analysis_id, "status": "pending", "runTimeParameters": parameters}
            analysis = Analysis(analysis_id, protocol_id, body, values=_values_of(parameters))
            self._by_protocol.setdefault(protocol_id, []).append(analysis)
            # The same child analyses it: the protocol's code never meets another's.
            task = asyncio.ensure_future(self._analyze(box, analysis, source, values, paths))
            handed_over = True
        finally:
            if not handed_over:
                await self._sandboxes.release(box)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return [*summaries, {**analysis.summary(), "runTimeParameters": parameters}], True

    async def _in_sandbox(
        self,
        box: Sandbox,
        job: str,
        source: ProtocolSource,
        values: Mapping[str, Any],
        paths: Mapping[str, Path],
    ) -> Outcome:
        """A job on the protocol in its child process; code that hangs or exits fails the job."""
        try:
            outcome: Outcome = await box.call(
                job, source, dict(values), dict(paths), time_limit_s=self._sandboxes.time_limit_s
            )
        except SandboxStopped as stopped:
            return Outcome([], [internal_error(GeneralError(message=str(stopped)))])
        except Exception as error:
            _log.warning("Protocol job %s failed in its sandbox", job, exc_info=True)
            return Outcome([], [internal_error(error)])
        return outcome

    def _same_values(self, protocol_id: str, parameters: list[RunTimeParameter]) -> bool:
        last = self.of_protocol(protocol_id)[-1]
        if last.pending:
            raise last_analysis_pending(last.id)
        new = _values_of(parameters)
        if new and not last.values:
            return False
        return new == last.values

    async def _analyze(
        self,
        box: Sandbox,
        analysis: Analysis,
        source: ProtocolSource,
        values: Mapping[str, Any],
        paths: Mapping[str, Path],
    ) -> None:
        try:
            outcome = await self._in_sandbox(box, "analyze", source, values, paths)
        finally:
            await self._sandboxes.release(box)
        if analysis not in self._by_protocol.get(analysis.protocol_id, []):
            return  # the protocol was deleted meanwhile
        self._by_protocol[analysis.protocol_id].remove(analysis)
        parameters = outcome.parameters or analysis.body["runTimeParameters"]
        analysis.values = _values_of(parameters)
        self._complete(analysis, source.robot_type, outcome, parameters)

    def _complete(
        self,
        analysis: Analysis,
        robot_type: str,
        outcome: Outcome,
        parameters: list[RunTimeParameter],
    ) -> None:
        """Give ``analysis`` its completed body and keep it with the completed ones."""
        analysis.body = completed_body(analysis.id, robot_type, outcome, parameters)
        analyses = self._by_protocol.setdefault(analysis.protocol_id, [])
        completed = [a for a in analyses if not a.pending]
        for old in completed[: max(0, len(completed) - MAX_COMPLETED_ANALYSES + 1)]:
            analyses.remove(old)
        analyses.append(analysis)

    # --- ending ----------------------------------------------------------------------------

    def forget(self, protocol_id: str) -> None:
        """Drop a deleted protocol's analyses (a pending one finishes and is discarded)."""
        self._by_protocol.pop(protocol_id, None)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
