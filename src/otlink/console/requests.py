"""What every console route needs from a request: the robot it names, and a form that came
from one of the console's own pages."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from .guard import Guard
from .watch import RobotHub, RobotWatch

__all__ = ["checked_form", "safe_back", "watch_of"]


def watch_of(request: Request, key: str) -> RobotWatch:
    """The watch of the robot ``key`` names, else a 404."""
    hub: RobotHub = request.app.state.hub
    watch = hub.watches.get(key)
    if watch is None:
        raise HTTPException(404, f"no robot {key} in this console")
    return watch


async def checked_form(request: Request) -> FormData:
    """The request's form, if it carries the console's CSRF value (else a 403)."""
    form = await request.form()
    guard: Guard = request.app.state.guard
    if not guard.check_form(form):
        raise HTTPException(403, "refused: the form did not come from a page of this console")
    return form


def safe_back(form: FormData, default: str) -> str:
    """The console page a form asks to go back to (never another site)."""
    back = str(form.get("back") or "")
    return back if back.startswith("/") and not back.startswith("//") else default
