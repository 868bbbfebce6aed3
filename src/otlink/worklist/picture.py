"""A plan drawn on its deck: the set-up, sources and destinations marked, the tips it uses.

The deck is drawn by :mod:`otlink.deck` from the loads and tip pick-ups the plan makes (so an
8-channel pick-up marks its whole column); each well the plan takes liquid from or gives
liquid to gets its role's outline and a tooltip with the µL moved and the rows.

Example::

    write_plan_picture(plan, Path("deck.svg"))  # or .png, .html
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from otlink.deck import DeckState, html_page, svg_to_png
from otlink.deck.pictures import PICTURE_SUFFIXES, setup_html
from otlink.deck.svg import LEGEND_ROW, PIXELS_PER_MM, deck_svg

from .steps import Plan

_SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", _SVG)

# role -> (outline, fill, legend); a well both given to and taken from is drawn as "both"
ROLES = {
    "source": ("#1f5fbf", "#d6e4f7", "source: liquid taken (µL out in the tooltip)"),
    "destination": ("#1e8a3c", "#d9f2df", "destination: liquid given (µL in)"),
    "both": ("#7b3fb0", "#eadcf5", "source and destination"),
}


@dataclass
class WellUse:
    """What the plan does at one well: µL out and in, and the rows that do it."""

    taken: float = 0.0
    given: float = 0.0
    rows: set[int] = field(default_factory=set)

    @property
    def role(self) -> str:
        if self.taken and self.given:
            return "both"
        return "source" if self.taken else "destination"

    def tooltip(self, well: str) -> str:
        parts = []
        if self.taken:
            parts.append(f"{self.taken:.4g} µL out")
        if self.given:
            parts.append(f"{self.given:.4g} µL in")
        rows = sorted(self.rows)
        shown = ", ".join(str(r) for r in rows[:8]) + (f" … ({len(rows)} rows)" * (len(rows) > 8))
        return f"{well}: {ROLES[self.role][2].split(':')[0]}, {', '.join(parts)} (row {shown})"


def plan_deck(plan: Plan) -> tuple[DeckState, dict[tuple[str, str], WellUse]]:
    """The deck the plan sets up (modules, labware, pipettes, the tips it picks up marked)
    and, per (slot, well), what it moves there."""
    deck = DeckState()
    for command in _commands(plan):
        deck.apply(*command)
    uses: dict[tuple[str, str], WellUse] = {}
    for step in plan.steps:
        if step.action not in ("aspirate", "dispense") or step.slot is None or step.well is None:
            continue
        for well in deck.wells_reached(step.pipette, _labware_id(step.slot), step.well):
            use = uses.setdefault((step.slot, well), WellUse())
            if step.action == "aspirate":
                use.taken += step.volume or 0.0
            else:
                use.given += step.volume or 0.0
            use.rows.update(step.rows)
    return deck, uses


def plan_svg(plan: Plan, title: str | None = None) -> str:
    """The plan's deck picture as SVG text: ``.well.source``, ``.well.destination`` and
    ``.well.both`` mark the wells it moves liquid at, ``.well.tip.to-use`` the tips."""
    deck, uses = plan_deck(plan)
    root = ET.fromstring(deck_svg(deck, at_start=True, title=title or plan.source))
    for group in root.iter(f"{{{_SVG}}}g"):
        if group.get("class") != "labware":
            continue
        slot = group.get("data-labware-id", "").removeprefix("slot-")
        for element in group:
            use = uses.get((slot, element.get("data-well", "")))
            if use is not None:
                _mark(element, use)
    _add_legend(root, sorted({use.role for use in uses.values()}, key=list(ROLES).index))
    return ET.tostring(root, encoding="unicode")


def render_plan(plan: Plan, kind: str, title: str | None = None) -> str | bytes:
    """The picture as ``"svg"`` or ``"html"`` text or ``"png"`` bytes."""
    svg = plan_svg(plan, title)
    if kind == "png":
        return svg_to_png(svg)
    if kind == "html":
        deck, _ = plan_deck(plan)
        heading = title or plan.source
        return html_page(heading, f"<h1>{heading}</h1>\n{svg}\n{setup_html(deck)}")
    return svg


def write_plan_picture(plan: Plan, path: Path) -> None:
    """Draw the plan into ``path`` as its suffix says (.svg, .png, .html); ValueError for
    another suffix."""
    kind = PICTURE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path.name}: a deck picture is .svg, .png or .html")
    picture = render_plan(plan, kind)
    if isinstance(picture, bytes):
        path.write_bytes(picture)
    else:
        path.write_text(picture, encoding="utf-8")


def _labware_id(slot: str) -> str:
    return f"slot-{slot}"


def _commands(plan: Plan) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The loads and tip pick-ups of the plan, as the robot's commands."""
    for slot, item in plan.deck.labware.items():
        location: dict[str, Any] = {"slotName": slot}
        if item.module_model:
            module = f"module-{slot}"
            model = item.module_model
            yield "loadModule", {"model": model, "location": location}, {"moduleId": module}
            location = {"moduleId": module}
        yield (
            "loadLabware",
            {"loadName": item.load_name, "location": location, "displayName": item.name},
            {"labwareId": _labware_id(slot), "definition": item.definition},
        )
    for mount, pipette in plan.deck.pipettes.items():
        yield "loadPipette", {"pipetteName": pipette.name, "mount": mount}, {"pipetteId": mount}
    for step in plan.steps:
        if step.action == "pick_up_tip" and step.slot and step.well:
            params = {"pipetteId": step.pipette, "labwareId": _labware_id(step.slot)}
            yield "pickUpTip", {**params, "wellName": step.well}, {}


def _mark(element: ET.Element, use: WellUse) -> None:
    outline, fill, _ = ROLES[use.role]
    element.set("class", f"{element.get('class', 'well')} {use.role}")
    element.set("stroke", outline)
    element.set("stroke-width", "1.1")
    element.set("fill", fill)
    title = element.find(f"{{{_SVG}}}title")
    if title is None:
        title = ET.SubElement(element, f"{{{_SVG}}}title")
    title.text = use.tooltip(element.get("data-well", ""))


def _add_legend(root: ET.Element, roles: list[str]) -> None:
    """The roles' rows under the deck drawing's own legend (the page grows to hold them)."""
    legend = next(g for g in root.iter(f"{{{_SVG}}}g") if g.get("class") == "legend")
    x_text, y, width, height = root.get("viewBox", "0 0 0 0").split()
    rows = [float(r.get("y", 0)) for r in legend.iter(f"{{{_SVG}}}rect")]
    texts = [float(t.get("y", 0)) for t in legend.iter(f"{{{_SVG}}}text")]
    top = max(rows) + LEGEND_ROW if rows else (max(texts) + 4 if texts else 0.0)
    x = float(x_text) + 4
    for index, role in enumerate(roles):
        outline, fill, label = ROLES[role]
        row_y = top + index * LEGEND_ROW
        ET.SubElement(
            legend,
            f"{{{_SVG}}}rect",
            {
                "x": f"{x:.2f}",
                "y": f"{row_y:.2f}",
                "width": "7",
                "height": "5.5",
                "fill": fill,
                "stroke": outline,
                "stroke-width": "1.1",
                "class": f"role {role}",
            },
        )
        text = ET.SubElement(
            legend,
            f"{{{_SVG}}}text",
            {"x": f"{x + 10:.2f}", "y": f"{row_y + 4.6:.2f}", "font-size": "5", "fill": "#3c4650"},
        )
        text.text = label
    extra = LEGEND_ROW * len(roles)
    root.set("viewBox", f"{x_text} {y} {width} {float(height) + extra:g}")
    root.set("height", f"{float(root.get('height', '0')) + extra * PIXELS_PER_MM:.0f}")
    background = root.find(f"{{{_SVG}}}rect")
    if background is not None:
        background.set("height", f"{float(background.get('height', '0')) + extra:.2f}")
