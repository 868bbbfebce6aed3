"""A deck drawn and written: :func:`render` to text or bytes, :func:`write_deck` to a file.

Example::

    write_deck(deck, Path("deck.html"), at_start=True, title="transfer.py")
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Literal, overload

from .export import html_page, svg_to_png
from .setup import pipette_lines, setup_lines
from .state import DeckState
from .svg import deck_svg

PICTURE_SUFFIXES = {".svg": "svg", ".png": "png", ".html": "html"}


@overload
def render(
    deck: DeckState,
    kind: Literal["svg", "html"] = ...,
    *,
    at_start: bool = ...,
    title: str | None = ...,
) -> str: ...
@overload
def render(
    deck: DeckState, kind: Literal["png"], *, at_start: bool = ..., title: str | None = ...
) -> bytes: ...
def render(
    deck: DeckState,
    kind: Literal["svg", "png", "html"] = "svg",
    *,
    at_start: bool = False,
    title: str | None = None,
) -> str | bytes:
    """``deck`` drawn as ``"svg"`` text, ``"png"`` bytes or an ``"html"`` page (text).

    ``at_start``: the set-up the operator makes (labware where it is loaded, wells as filled,
    the tips the protocol will use marked); otherwise the deck as it is (or was, at the end).

    Example::

        svg = render(deck_from_robot_run(client, run_id))
    """
    svg = deck_svg(deck, at_start=at_start, title=title)
    if kind == "svg":
        return svg
    if kind == "png":
        return svg_to_png(svg)
    if kind == "html":
        return html_page(
            title or "Deck", f"<h1>{html.escape(title or 'Deck')}</h1>\n{svg}\n{setup_html(deck)}"
        )
    raise ValueError(f"render makes svg, png or html, not {kind!r}")


def setup_html(deck: DeckState) -> str:
    """The set-up as an HTML list (pipettes, then slot by slot)."""
    rows = [f"pipette {line}" for line in pipette_lines(deck)]
    rows += [str(line) for line in setup_lines(deck)]
    items = "".join(f"<li>{html.escape(row)}</li>" for row in rows)
    return f"<h2>Set-up</h2><ul>{items}</ul>"


def write_deck(
    deck: DeckState, path: Path, *, at_start: bool = False, title: str | None = None
) -> None:
    """Draw ``deck`` into ``path``, as its suffix says: .svg, .png or .html."""
    kind = PICTURE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path.name}: a deck picture is .svg, .png or .html")
    picture = render(deck, kind, at_start=at_start, title=title)  # type: ignore[call-overload]
    if isinstance(picture, bytes):
        path.write_bytes(picture)
    else:
        path.write_text(picture, encoding="utf-8")
