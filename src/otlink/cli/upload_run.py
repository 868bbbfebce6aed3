"""``otlink run --upload``: the whole protocol goes to the robot, which runs it on its own.

Upload the protocol with its labware and data files and wait for the robot's analysis
(:meth:`RobotClient.upload_and_analyse`), create the run with offsets and run-time parameter
values, play it, and follow it to the end (or return at once with ``--detach``). The laptop may
sleep once the run has started: the robot goes on.

Example::

    run_uploaded(Output(), Path("transfer.py"), RobotChoice("10.0.0.5"),
                 parameters={"volume": "75"})
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rich.markup import escape

from otlink.client.labware_files import load_offsets
from otlink.client.parameter_values import csv_parameter_names
from otlink.client.protocol_mistakes import malformed
from otlink.client.protocol_upload import AnalysedProtocol
from otlink.errors import ApiError, ParameterValueError, ProtocolFailed, RunInterrupted
from otlink.models import AnalysisResult, Run, RunStatus
from otlink.models.command_words import CommandWords

from .labware_names import display_name
from .output import Output
from .robot_option import RobotChoice
from .run_follow import FollowedRun, PauseChoice, follow_run
from .run_progress import RunProgress


def run_uploaded(
    output: Output,
    protocol: Path,
    robot: RobotChoice,
    *,
    labware: Iterable[Path] = (),
    offsets: Path | None = None,
    parameters: Mapping[str, str] | None = None,
    data: Mapping[str, Path] | None = None,
    detach: bool = False,
    on_pause: PauseChoice = "ask",
) -> None:
    """Upload, analyse, run and follow ``protocol`` on ``robot``; failures raise otlink errors."""
    offset_list = load_offsets(offsets) if offsets else []
    with robot.client() as client:
        output.line(f"Uploading {escape(protocol.name)} to {escape(client.url)} ...")
        try:
            analysed = client.upload_and_analyse(
                protocol, labware=labware, parameters=parameters, data=data
            )
        except ApiError as refused:
            if refused.error_id == "ProtocolFilesInvalid":  # the robot cannot read the file
                raise malformed(protocol, str(refused.detail), None) from refused
            raise
        except KeyboardInterrupt:
            raise RunInterrupted("interrupted before the run was created") from None
        _check_analysis(output, analysed)
        run = client.create_run(
            analysed.protocol.id,
            labware_offsets=offset_list,
            run_time_parameter_values=analysed.values or None,
            run_time_parameter_files=analysed.files or None,
        )
        client.play_run(run.id)
        if detach:
            _report_detached(output, analysed, run)
            return
        title = f"{analysed.name} on {client.url}"
        words = CommandWords(
            analysed.analysis.labware, analysed.analysis.modules, name_of=display_name
        )
        with RunProgress(output, title, analysed.analysis.commands, words) as progress:
            followed = follow_run(client, run.id, progress, output, on_pause=on_pause)
        if followed.run is None:
            _report_detached(output, analysed, run)
            return
        _report_end(output, analysed, followed, progress)


_LINE = re.compile(r"\[line (\d+)\]")


def _check_analysis(output: Output, analysed: AnalysedProtocol) -> None:
    analysis = analysed.analysis
    if analysis.result == AnalysisResult.OK:
        output.line(
            f"Analysed {escape(analysed.name)}: {len(analysis.commands)} commands"
            f" (protocol {analysed.protocol.id})."
        )
        return
    first = analysis.errors[0] if analysis.errors else None
    errors = "; ".join(f"{e.errorType}: {e.detail}" for e in analysis.errors) or "no detail"
    if analysis.result == AnalysisResult.PARAMETER_VALUE_REQUIRED:
        names = csv_parameter_names(analysis.runTimeParameters)
        hint = " ".join(f"--data {name}=FILE.csv" for name in names) or None
        raise ParameterValueError(f"a parameter needs a value: {errors}", hint=hint)
    line = _LINE.search(errors)
    raise ProtocolFailed(
        f"the robot's analysis of {analysed.name} failed: {errors}",
        line=int(line.group(1)) if line else None,
        error_type=first.errorType if first else "AnalysisFailed",
        detail=first.detail if first else errors,
        file=analysed.protocol.files[0].name if analysed.protocol.files else None,
        hint=f"protocol {analysed.protocol.id} stays on the robot (otlink protocols show)",
    )


def _report_detached(output: Output, analysed: AnalysedProtocol, run: Run) -> None:
    output.line(
        f"[green]Started[/] {escape(analysed.name)}: run {run.id} goes on on the robot."
        f"\nWatch it with [bold]otlink runs show {run.id}[/], stop it with"
        f" [bold]otlink runs stop {run.id}[/]."
    )
    output.data(_summary(analysed, run.id, "running", done=0, seconds=0.0, detached=True))


def _report_end(
    output: Output, analysed: AnalysedProtocol, followed: FollowedRun, progress: RunProgress
) -> None:
    assert followed.run is not None
    run = followed.run
    took = f"{progress.done} of {progress.total} commands in {progress.elapsed:.1f} s"
    if run.status == RunStatus.SUCCEEDED:
        output.line(f"[green]Succeeded:[/] {escape(analysed.name)} — {took} (run {run.id}).")
        output.data(_summary(analysed, run.id, str(run.status), progress.done, progress.elapsed))
        return
    if followed.stopped_at_pause is not None:
        raise ProtocolFailed(
            f"run {run.id} stopped at a pause (--on-pause stop): {followed.stopped_at_pause}",
            error_type="StoppedAtPause",
            hint="--on-pause resume goes on past pauses; --on-pause wait waits for a resume",
        )
    if run.status == RunStatus.STOPPED and followed.stopped_by_user:
        raise RunInterrupted(f"run {run.id} was stopped after {took}")
    if run.status == RunStatus.STOPPED:
        raise ProtocolFailed(f"run {run.id} was stopped after {took}", error_type="RunStopped")
    errors = [*run.errors, *([progress.failed.error] if progress.failed else [])]
    error = next((e for e in errors if e is not None), None)
    detail = f"{error.errorType}: {error.detail}" if error else "no detail"
    raise ProtocolFailed(
        f"run {run.id} {run.status} after {took}: {detail}",
        error_type=error.errorType if error else str(run.status),
        detail=error.detail if error else detail,
        hint=f"otlink runs log {run.id} lists every command",
    )


def _summary(
    analysed: AnalysedProtocol,
    run_id: str,
    status: str,
    done: int,
    seconds: float,
    *,
    detached: bool = False,
) -> dict[str, Any]:
    return {
        "protocol": analysed.name,
        "protocolId": analysed.protocol.id,
        "runId": run_id,
        "status": status,
        "commands": done,
        "plannedCommands": len(analysed.analysis.commands),
        "seconds": round(seconds, 3),
        "detached": detached,
    }
