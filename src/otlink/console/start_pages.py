"""Start a run: upload a protocol (with labware and data files), read the robot's analysis
(errors with their line, run-time parameters as a form), then start it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from otlink.errors import ParameterValueError, RunConflict

from .rendering import render
from .requests import checked_form, watch_of
from .starting import Draft, DraftStore, reanalyse, start, upload

router = APIRouter()

#: The largest file the console takes (a protocol, a labware or a data file).
MOST_BYTES = 20_000_000


def _drafts(request: Request) -> DraftStore:
    drafts: DraftStore = request.app.state.drafts
    return drafts


async def _files(form: FormData, field: str) -> list[tuple[str, bytes]]:
    files = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            content = await item.read(MOST_BYTES + 1)
            if len(content) > MOST_BYTES:
                raise ParameterValueError(f"{item.filename} is larger than {MOST_BYTES} bytes")
            files.append((item.filename, content))
    return files


@router.get("/robots/{key}/start", response_class=HTMLResponse)
async def start_page(request: Request, key: str) -> Response:
    return render(request, "start.html", {"robot": watch_of(request, key).state})


@router.post("/robots/{key}/protocols")
async def upload_protocol(request: Request, key: str) -> Response:
    form = await checked_form(request)
    watch = watch_of(request, key)
    try:
        mains = await _files(form, "protocol")
        if not mains:
            raise ParameterValueError("choose a protocol file (.py or .json) to upload")
        labware = await _files(form, "labware")
        data = await _files(form, "data")
    except ParameterValueError as error:
        return render(request, "start.html", {"robot": watch.state, "problem": str(error)}, 400)
    draft = await upload(watch.client, key, mains[0], labware, data)
    _drafts(request).keep(draft)
    return RedirectResponse(f"/robots/{key}/protocols/{draft.protocol.id}", status_code=303)


def _draft_view(request: Request, key: str, draft: Draft) -> dict[str, Any]:
    return {
        "robot": watch_of(request, key).state,
        "draft": draft,
        "errors": [(error, draft.source_line(error)) for error in draft.analysis.errors],
    }


@router.get("/robots/{key}/protocols/{protocol_id}", response_class=HTMLResponse)
async def analysis_page(request: Request, key: str, protocol_id: str) -> Response:
    draft = _drafts(request).get(protocol_id)
    if draft is None or draft.robot_key != key:
        message = "this console no longer holds that protocol's files: upload it again"
        return render(request, "error.html", {"message": message}, status_code=404)
    return render(request, "analysis.html", _draft_view(request, key, draft))


@router.post("/robots/{key}/protocols/{protocol_id}/start")
async def start_run(request: Request, key: str, protocol_id: str) -> Response:
    form = await checked_form(request)
    watch = watch_of(request, key)
    draft = _drafts(request).get(protocol_id)
    if draft is None or draft.robot_key != key:
        message = "this console no longer holds that protocol's files: upload it again"
        return render(request, "error.html", {"message": message}, status_code=404)
    texts = _parameter_texts(form, "param.")
    choices = _parameter_texts(form, "file.")
    try:
        draft = _drafts(request).keep(await reanalyse(watch.client, draft, texts, choices))
    except ParameterValueError as error:
        view = {**_draft_view(request, key, draft), "problem": str(error)}
        return render(request, "analysis.html", view, status_code=400)
    if not draft.ok:
        return render(request, "analysis.html", _draft_view(request, key, draft), 422)
    try:
        run = await start(watch.client, draft)
    except RunConflict as conflict:  # another run is active: nothing was started
        problem = f"the robot did not start the run: {conflict.detail}"
        view = {**_draft_view(request, key, draft), "problem": problem}
        return render(request, "analysis.html", view, status_code=409)
    watch.poke()
    return RedirectResponse(f"/robots/{key}/runs/{run.id}", status_code=303)


def _parameter_texts(form: FormData, prefix: str) -> dict[str, str]:
    """The form's fields named ``prefix + parameter``; a checkbox sends a hidden ``false``
    then ``true`` when ticked, so the last value wins."""
    return {
        name.removeprefix(prefix): str(form.getlist(name)[-1])
        for name in form
        if name.startswith(prefix)
    }
