"""``otlink run --upload``: the whole protocol goes to the robot, which runs it on its own.

Upload the protocol with its labware and data files, wait for the robot's analysis, create the
run with offsets and run-time parameter values, play it, and follow it to the end (or return at
once with ``--detach``). The laptop may sleep once the run has started: the robot goes on.

Run-time parameters are typed by the robot's first analysis; when values are given, the
protocol is analysed again with them, as the Opentrons App does.

Example::

    run_uploaded(Output(), Path("transfer.py"), "10.0.0.5", parameters={"volume": "75"})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from otlink.client import RobotClient
from otlink.client.labware_files import load_offsets
from otlink.models import Analysis, AnalysisResult, Protocol, Run, RunStatus

from .exit_codes import ExitCode
from .output import Output
from .parameter_values import ParameterValueError, csv_parameter_names, typed_values
from .protocols import protocol_name
from .run_follow import FollowedRun, follow_run
from .run_progress import RunProgress


@dataclass
class AnalysedProtocol:
    """A protocol on the robot, its analysis, and the parameter values and files it ran with."""

    protocol: Protocol
    analysis: Analysis
    values: dict[str, Any]
    files: dict[str, str]

    @property
    def name(self) -> str:
        return protocol_name(self.protocol)


def labware_files(sources: Iterable[Path]) -> list[Path]:
    """The labware JSON files among ``sources``: files, and the ``*.json`` of folders."""
    files: list[Path] = []
    for source in sources:
        files += sorted(source.glob("*.json")) if source.is_dir() else [source]
    return files


def upload_and_analyse(
    client: RobotClient,
    protocol: Path,
    *,
    labware: Iterable[Path] = (),
    parameters: Mapping[str, str] | None = None,
    data: Mapping[str, Path] | None = None,
) -> AnalysedProtocol:
    """Upload ``protocol`` and wait for the robot's analysis with the given parameter values.

    Raises ParameterValueError for a parameter the protocol lacks or a value that does not fit.
    """
    files = labware_files(labware)
    uploaded = client.upload_protocol(protocol, files, data_files=dict(data or {}))
    analysis = client.wait_for_analysis(uploaded.id)
    declared = analysis.runTimeParameters
    unknown_files = sorted(set(data or {}) - set(csv_parameter_names(declared)))
    if unknown_files:
        raise ParameterValueError(f"the protocol has no CSV parameter {', '.join(unknown_files)}")
    values: dict[str, Any] = typed_values(parameters or {}, declared)
    if values:
        uploaded = client.upload_protocol(
            protocol, files, data_files=dict(data or {}), run_time_parameter_values=values
        )
        analysis = client.wait_for_analysis(uploaded.id)
    file_ids = {
        str(p["variableName"]): str(p["file"]["id"])
        for p in analysis.runTimeParameters
        if p.get("type") == "csv_file" and isinstance(p.get("file"), Mapping)
    }
    return AnalysedProtocol(uploaded, analysis, values, file_ids)


def run_uploaded(
    output: Output,
    protocol: Path,
    robot: str,
    *,
    labware: Iterable[Path] = (),
    offsets: Path | None = None,
    parameters: Mapping[str, str] | None = None,
    data: Mapping[str, Path] | None = None,
    detach: bool = False,
) -> None:
    """Upload, analyse, run and follow ``protocol`` on ``robot``; failures exit with their code."""
    ctx = click.get_current_context()
    missing = [str(file) for file in (data or {}).values() if not file.is_file()]
    if missing:
        ctx.exit(output.fail(f"no such data file: {', '.join(missing)}", ExitCode.USAGE))
    with RobotClient(robot) as client:
        output.line(f"Uploading {escape(protocol.name)} to {escape(client.url)} ...")
        try:
            analysed = upload_and_analyse(
                client, protocol, labware=labware, parameters=parameters, data=data
            )
        except ParameterValueError as error:
            ctx.exit(output.fail(str(error), ExitCode.USAGE))
        except KeyboardInterrupt:
            ctx.exit(output.fail("interrupted before the run was created", ExitCode.INTERRUPTED))
        _check_analysis(ctx, output, analysed)
        run = client.create_run(
            analysed.protocol.id,
            labware_offsets=load_offsets(offsets) if offsets else (),
            run_time_parameter_values=analysed.values or None,
            run_time_parameter_files=analysed.files or None,
        )
        client.play_run(run.id)
        if detach:
            _report_detached(output, analysed, run)
            return
        title = f"{analysed.name} on {client.url}"
        with RunProgress(output, title, analysed.analysis.commands) as progress:
            followed = follow_run(client, run.id, progress, output)
        if followed.run is None:
            _report_detached(output, analysed, run)
            return
        _report_end(ctx, output, analysed, followed, progress)


def _check_analysis(ctx: click.Context, output: Output, analysed: AnalysedProtocol) -> None:
    analysis = analysed.analysis
    if analysis.result == AnalysisResult.OK:
        output.line(
            f"Analysed {escape(analysed.name)}: {len(analysis.commands)} commands"
            f" (protocol {analysed.protocol.id})."
        )
        return
    errors = "; ".join(f"{e.errorType}: {e.detail}" for e in analysis.errors) or "no detail"
    if analysis.result == AnalysisResult.PARAMETER_VALUE_REQUIRED:
        names = csv_parameter_names(analysis.runTimeParameters)
        hint = " ".join(f"--data {name}=FILE.csv" for name in names) or None
        ctx.exit(output.fail(f"a parameter needs a value: {errors}", ExitCode.USAGE, hint=hint))
    ctx.exit(
        output.fail(
            f"the robot's analysis of {analysed.name} failed: {errors}",
            ExitCode.PROTOCOL_FAILED,
            hint=f"protocol {analysed.protocol.id} stays on the robot (otlink protocols show)",
        )
    )


def _report_detached(output: Output, analysed: AnalysedProtocol, run: Run) -> None:
    output.line(
        f"[green]Started[/] {escape(analysed.name)}: run {run.id} goes on on the robot."
        f"\nWatch it with [bold]otlink runs show {run.id}[/], stop it with"
        f" [bold]otlink runs stop {run.id}[/]."
    )
    output.data(_summary(analysed, run.id, "running", done=0, seconds=0.0, detached=True))


def _report_end(
    ctx: click.Context,
    output: Output,
    analysed: AnalysedProtocol,
    followed: FollowedRun,
    progress: RunProgress,
) -> None:
    assert followed.run is not None
    run = followed.run
    summary = _summary(analysed, run.id, str(run.status), progress.done, progress.elapsed)
    took = f"{progress.done} of {progress.total} commands in {progress.elapsed:.1f} s"
    if run.status == RunStatus.SUCCEEDED:
        output.line(f"[green]Succeeded:[/] {escape(analysed.name)} — {took} (run {run.id}).")
        output.data(summary)
        return
    if run.status == RunStatus.STOPPED:
        code = ExitCode.INTERRUPTED if followed.stopped_by_user else ExitCode.PROTOCOL_FAILED
        ctx.exit(output.fail(f"run {run.id} was stopped after {took}", code))
    errors = [*run.errors, *([progress.failed.error] if progress.failed else [])]
    detail = next((f"{e.errorType}: {e.detail}" for e in errors if e is not None), "no detail")
    ctx.exit(
        output.fail(
            f"run {run.id} {run.status} after {took}: {detail}",
            ExitCode.PROTOCOL_FAILED,
            hint=f"otlink runs log {run.id} lists every command",
        )
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
