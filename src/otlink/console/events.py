"""Pushed updates: ``GET /events`` is a stream of server-sent events; each carries the page
parts that changed (element id -> HTML), which ``console.js`` puts in place.

The stream renders from the pollers' latest states and never asks a robot itself, so any
number of open pages costs the robots nothing more.

* ``/events`` — every robot's card (the Robots page);
* ``/events?robot=KEY`` — the robot's live part (a Robot page);
* ``/events?robot=KEY&run=ID`` — the run's live part (a Run page).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from .pages import run_view
from .rendering import render_part
from .requests import watch_of
from .watch import RobotHub

router = APIRouter()

#: Seconds between two keep-alive comments on a quiet stream.
KEEP_ALIVE = 15.0


def page_parts(request: Request, robot: str | None, run: str | None) -> dict[str, str]:
    """The live parts of one page, rendered from the latest states."""
    hub: RobotHub = request.app.state.hub
    if robot is None:
        return {
            f"robot-{state.key}": render_part(request, "_robot_card.html", {"robot": state})
            for state in hub.states()
        }
    state = watch_of(request, robot).state
    if run is None:
        return {"robot-live": render_part(request, "_robot_live.html", {"robot": state})}
    if state.run is None or state.run.id != run or state.progress is None:
        return {}  # not (or no longer) the robot's current run: the page shows what it read
    values = run_view(state, state.run, state.progress, state.protocol_name)
    return {"run-live": render_part(request, "_run_live.html", values)}


@router.get("/events")
async def events(
    request: Request, robot: str | None = None, run: str | None = None
) -> StreamingResponse:
    hub: RobotHub = request.app.state.hub
    if robot is not None:
        watch_of(request, robot)  # an unknown robot is a 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        sent: dict[str, str] = {}
        version = hub.version
        yield "retry: 2000\n\n"
        while not await request.is_disconnected():
            parts = page_parts(request, robot, run)
            changed = {key: html for key, html in parts.items() if sent.get(key) != html}
            sent |= changed
            yield f"data: {json.dumps(changed)}\n\n" if changed else ": quiet\n\n"
            version = await hub.next_change(version, timeout=KEEP_ALIVE)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
