"""The pages that show robots and runs, and the buttons that act on them (lights, home,
Pause, Resume, Stop).

A button is a form that POSTs here and is sent back to the page it came from; the page's live
parts then change as the robot's next answer is pushed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from otlink.errors import RunConflict
from otlink.models import Run
from otlink.models.command_words import describe

from .rendering import render
from .requests import checked_form, safe_back, watch_of
from .state import RobotState, RunProgress, seconds_between
from .watch import RobotHub, RobotWatch

router = APIRouter()

_ACTIONS = {"pause": "pause_run", "resume": "resume_run", "stop": "stop_run"}


def _hub(request: Request) -> RobotHub:
    hub: RobotHub = request.app.state.hub
    return hub


@router.get("/", response_class=HTMLResponse)
async def robots_page(request: Request) -> Response:
    return render(request, "robots.html", {"robots": _hub(request).states()})


@router.get("/robots/{key}", response_class=HTMLResponse)
async def robot_page(request: Request, key: str) -> Response:
    watch = watch_of(request, key)
    runs = list(reversed(await watch.client.list_runs()))
    names = {p.id: p.name for p in await watch.client.list_protocols()}
    history = [_history_row(run, names) for run in runs]
    return render(request, "robot.html", {"robot": watch.state, "history": history})


def _history_row(run: Run, names: dict[str, str]) -> dict[str, Any]:
    protocol = names.get(run.protocolId or "", run.protocolId) if run.protocolId else None
    return {
        "run": run,
        "protocol": protocol or "live run (commands from a computer)",
        "seconds": seconds_between(run.startedAt, run.completedAt) if run.startedAt else None,
        "error": next((f"{e.errorType}: {e.detail}" for e in run.errors), ""),
    }


async def run_progress(watch: RobotWatch, run_id: str) -> tuple[Run, RunProgress, str | None]:
    """The run, its progress and its protocol's name: from the poller's latest answer when it
    is the robot's current run, else read once from the robot."""
    state = watch.state
    if state.run is not None and state.run.id == run_id and state.progress is not None:
        return state.run, state.progress, state.protocol_name
    run = await watch.client.get_run(run_id)
    page = await watch.client.list_commands(run_id, page_length=1)
    planned, name = None, None
    if run.protocolId is not None:
        protocol = await watch.client.get_protocol(run.protocolId)
        name = protocol.name
        if protocol.analysisSummaries:
            analysis = await watch.client.get_analysis(run.protocolId)
            planned = analysis.commands
    return run, RunProgress.read(run, page, planned), name


def run_view(
    state: RobotState, run: Run, progress: RunProgress, name: str | None
) -> dict[str, Any]:
    """What the live part of a run page shows."""
    live = state.run is not None and state.run.id == run.id
    return {
        "robot": state,
        "run": run,
        "progress": progress,
        "protocol": name or ("live run" if run.protocolId is None else run.protocolId),
        "can_pause": live and state.can_pause,
        "can_resume": live and state.can_resume,
        "can_stop": live and state.can_stop,
    }


@router.get("/robots/{key}/runs/{run_id}", response_class=HTMLResponse)
async def run_page(request: Request, key: str, run_id: str) -> Response:
    watch = watch_of(request, key)
    run, progress, name = await run_progress(watch, run_id)
    commands = [command async for command in watch.client.iter_commands(run_id)]
    values = run_view(watch.state, run, progress, name)
    return render(request, "run.html", {**values, "commands": commands, "describe": describe})


@router.get("/robots/{key}/runs/{run_id}/commands.csv")
async def run_commands_csv(request: Request, key: str, run_id: str) -> Response:
    watch = watch_of(request, key)
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow(
        [
            "index",
            "id",
            "commandType",
            "step",
            "status",
            "intent",
            "startedAt",
            "completedAt",
            "seconds",
            "errorType",
            "errorDetail",
        ]
    )
    index = 0
    async for c in watch.client.iter_commands(run_id):
        seconds = seconds_between(c.startedAt, c.completedAt) if c.completedAt else None
        table.writerow(
            [
                index,
                c.id,
                c.commandType,
                describe(c.commandType, c.params),
                c.status,
                c.intent or "",
                c.startedAt or "",
                c.completedAt or "",
                "" if seconds is None else f"{seconds:.3f}",
                c.error.errorType if c.error else "",
                c.error.detail if c.error else "",
            ]
        )
        index += 1
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="run-{run_id}-commands.csv"'},
    )


@router.post("/robots/{key}/runs/{run_id}/actions")
async def run_action(request: Request, key: str, run_id: str) -> Response:
    form = await checked_form(request)
    watch = watch_of(request, key)
    action = str(form.get("action", ""))
    if action not in _ACTIONS:
        return render(request, "error.html", {"message": f"no run action {action!r}"}, 400)
    try:
        await getattr(watch.client, _ACTIONS[action])(run_id)
    except RunConflict as conflict:
        message = f"the robot refused to {action} the run: {conflict.detail}"
        return render(request, "error.html", {"message": message}, status_code=409)
    watch.poke()
    return RedirectResponse(f"/robots/{key}/runs/{run_id}", status_code=303)


@router.post("/robots/{key}/lights")
async def lights(request: Request, key: str) -> Response:
    form = await checked_form(request)
    watch = watch_of(request, key)
    await watch.client.set_lights(form.get("on") == "true")
    watch.poke()
    return RedirectResponse(safe_back(form, f"/robots/{key}"), status_code=303)


@router.post("/robots/{key}/home")
async def home(request: Request, key: str) -> Response:
    await checked_form(request)
    watch = watch_of(request, key)
    try:
        await watch.client.home()
    except RunConflict as conflict:
        message = f"the robot cannot home now: {conflict.detail}"
        return render(request, "error.html", {"message": message}, status_code=409)
    return RedirectResponse(f"/robots/{key}", status_code=303)
