"""Flows for protocols, their analyses and data files.

The robot analyses an uploaded protocol in the background and offers no way to wait for it,
so :func:`wait_for_analysis` looks at the protocol at a growing interval.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from otlink.client.calls import call_data, call_empty, fetch
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, MultipartFile, Request, Sleep
from otlink.errors import OtlinkError, WaitTimeout
from otlink.models import (
    Analysis,
    AnalysisStatus,
    AnalysisSummary,
    Body,
    DataFile,
    MultiBody,
    Protocol,
)

#: A file to upload: a path, or ``(file name, content)``.
FileInput = str | os.PathLike[str] | tuple[str, bytes]


# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_AnalysisBody = Body[Analysis]
_DataFileBody = Body[DataFile]
_ProtocolBody = Body[Protocol]
_AnalysisList = MultiBody[Analysis]
_AnalysisSummaryList = MultiBody[AnalysisSummary]
_ProtocolList = MultiBody[Protocol]


def _multipart(field: str, source: FileInput) -> MultipartFile:
    if isinstance(source, tuple):
        name, content = source
    else:
        path = Path(source)
        name, content = path.name, path.read_bytes()
    return (field, (name, content, "application/octet-stream"))


def _path(protocol_id: str) -> str:
    return f"/protocols/{protocol_id}"


def upload_data_file(options: ClientOptions, source: FileInput) -> Flow[DataFile]:
    """Store a CSV file on the robot for a CSV run-time parameter (same content: same file)."""
    request = Request("POST", "/dataFiles", files=[_multipart("file", source)])
    return (yield from call_data(options, request, _DataFileBody, idempotent=True))


def upload_protocol(
    options: ClientOptions,
    main: FileInput,
    labware: Iterable[FileInput] = (),
    *,
    data_files: Mapping[str, FileInput] | None = None,
    run_time_parameter_values: Mapping[str, Any] | None = None,
    key: str | None = None,
    protocol_kind: str | None = None,
) -> Flow[Protocol]:
    """Upload a protocol (a ``.py`` or JSON protocol) with its custom labware JSON files.

    ``data_files`` maps CSV run-time parameter names to files; they are stored on the robot
    first. The robot starts analysing at once (see ``wait_for_analysis``). Uploading the
    same files again returns the existing protocol, so a lost answer is retried.

    Example::

        protocol = client.upload_protocol("transfer.py", ["my_plate.json"],
                                          run_time_parameter_values={"volume": 50})
        analysis = client.wait_for_analysis(protocol.id)
    """
    form: dict[str, str] = {}
    if data_files:
        file_ids = {}
        for name, source in data_files.items():
            stored = yield from upload_data_file(options, source)
            file_ids[name] = stored.id
        form["runTimeParameterFiles"] = json.dumps(file_ids)
    if run_time_parameter_values is not None:
        form["runTimeParameterValues"] = json.dumps(dict(run_time_parameter_values))
    if key is not None:
        form["key"] = key
    if protocol_kind is not None:
        form["protocolKind"] = protocol_kind
    files = [_multipart("files", main), *(_multipart("files", f) for f in labware)]
    request = Request("POST", "/protocols", files=files, data=form or None)
    return (yield from call_data(options, request, _ProtocolBody, idempotent=True))


def list_protocols(options: ClientOptions) -> Flow[list[Protocol]]:
    """Every protocol stored on the robot, oldest first."""
    request = Request("GET", "/protocols")
    page = yield from fetch(options, request, _ProtocolList)
    return page.data


def get_protocol(options: ClientOptions, protocol_id: str) -> Flow[Protocol]:
    """One protocol, with the summaries of its analyses."""
    request = Request("GET", _path(protocol_id))
    return (yield from call_data(options, request, _ProtocolBody, idempotent=True))


def delete_protocol(options: ClientOptions, protocol_id: str) -> Flow[None]:
    """Delete a protocol no run uses (else :class:`~otlink.errors.RunConflict`)."""
    yield from call_empty(options, Request("DELETE", _path(protocol_id)), idempotent=False)


def analyze_protocol(
    options: ClientOptions,
    protocol_id: str,
    run_time_parameter_values: Mapping[str, Any] | None = None,
    force: bool = False,
) -> Flow[list[AnalysisSummary]]:
    """Start a new analysis (with other run-time parameter values, or ``force``); returns
    the protocol's analysis summaries, the newest last."""
    data: dict[str, Any] = {"forceReAnalyze": force}
    if run_time_parameter_values is not None:
        data["runTimeParameterValues"] = dict(run_time_parameter_values)
    request = Request("POST", f"{_path(protocol_id)}/analyses", json={"data": data})
    page = yield from fetch(options, request, _AnalysisSummaryList)
    return page.data


def list_analyses(options: ClientOptions, protocol_id: str) -> Flow[list[Analysis]]:
    """All analyses of a protocol, oldest first, in full."""
    request = Request("GET", f"{_path(protocol_id)}/analyses")
    page = yield from fetch(options, request, _AnalysisList)
    return page.data


def get_analysis(
    options: ClientOptions, protocol_id: str, analysis_id: str | None = None
) -> Flow[Analysis]:
    """One analysis of a protocol (default: the newest), pending or completed."""
    if analysis_id is None:
        protocol = yield from get_protocol(options, protocol_id)
        if not protocol.analysisSummaries:
            raise OtlinkError(f"protocol {protocol_id} has no analysis")
        analysis_id = protocol.analysisSummaries[-1].id
    request = Request("GET", f"{_path(protocol_id)}/analyses/{analysis_id}")
    return (yield from call_data(options, request, _AnalysisBody, idempotent=True))


def wait_for_analysis(
    options: ClientOptions, protocol_id: str, timeout: float | None = None
) -> Flow[Analysis]:
    """Wait until the protocol's newest analysis has completed, and return it.

    Raises :class:`~otlink.errors.WaitTimeout` after ``timeout`` seconds.

    Example::

        analysis = client.wait_for_analysis(protocol.id, timeout=300)
        print(analysis.result, len(analysis.commands))
    """
    started = time.monotonic()
    interval = options.poll_interval
    while True:
        protocol = yield from get_protocol(options, protocol_id)
        summaries = protocol.analysisSummaries
        if summaries and summaries[-1].status == AnalysisStatus.COMPLETED:
            return (yield from get_analysis(options, protocol_id, summaries[-1].id))
        waited = time.monotonic() - started
        if timeout is not None and waited >= timeout:
            raise WaitTimeout(
                f"protocol {protocol_id} is still being analysed after {waited:.1f} s"
            )
        yield Sleep(interval if timeout is None else min(interval, timeout - waited))
        interval = options.next_poll(interval)
