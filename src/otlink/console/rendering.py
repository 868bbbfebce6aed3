"""Pages and page parts from the Jinja templates next to this module.

Every template sees the request, the CSRF value its forms must carry, and the filters below.

Example::

    return render(request, "robots.html", {"robots": hub.states()})
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .state import module_words, parse_time, seconds_between

__all__ = ["duration", "render", "render_part", "when"]

_TEMPLATES = Path(__file__).parent / "templates"


def duration(seconds: float | None) -> str:
    """``75.2`` -> ``"1 min 15 s"``; ``None`` -> ``"—"``."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def when(stamp: str | None) -> str:
    """A robot timestamp in this computer's time zone: ``2026-12-01 14:03:07``."""
    moment = parse_time(stamp)
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


_environment = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["duration"] = duration
_environment.filters["when"] = when
_environment.globals.update(
    module_words=module_words, seconds_between=seconds_between, int=int, float=float
)


def _context(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    return {"request": request, "csrf": request.app.state.guard.csrf, **values}


def render_part(request: Request, template: str, values: dict[str, Any]) -> str:
    """One template rendered to text (a page part pushed to open pages)."""
    return _environment.get_template(template).render(_context(request, values))


def render(
    request: Request, template: str, values: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A whole page."""
    return HTMLResponse(render_part(request, template, values), status_code=status_code)
