"""The deck drawn as SVG: slots and trash to scale, modules, labware with every well.

One ``<g class="slot" data-slot="N">`` per slot (1-11) and one for the trash (12); inside a
slot, a ``<g class="module">`` and ``<g class="labware">`` with one ``.well`` element per well.
Wells show what they hold (the liquid's colour, filled in proportion to the well's volume),
tips show whether they are there, will be used (at the start) or were used.

Example::

    svg_text = deck_svg(DeckState.from_commands(analysis["commands"],
                                                liquids=analysis["liquids"]))
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from .definitions import (
    TRASH_SLOT,
    Rect,
    deck_bounds,
    deck_outlines,
    module_definition,
    module_footprint,
    slot_names,
    slot_rect,
)
from .placement import Placed, place
from .state import DeckState, Labware

SLOT_FILL = "#eef0f3"
MODULE_FILL = "#cfd6de"
LABWARE_FILL = "#fbfbfc"
INK = "#3c4650"
TIP_FILL = "#e4d5b7"
TIP_TO_USE = "#f39c34"
TIP_USED_STROKE = "#b8bec5"
CURRENT = "#e0245e"
UNKNOWN_LIQUID = "#9aa5b1"
LEGEND_ROW = 9.0
PIXELS_PER_MM = 2.0


def deck_svg(
    deck: DeckState,
    *,
    at_start: bool = False,
    title: str | None = None,
    highlight: bool = True,
) -> str:
    """``deck`` as an SVG document. ``at_start``: the set-up (labware where it was loaded,
    wells as filled, tips to be used marked); else the deck as it is now."""
    bounds = deck_bounds()
    legend = _legend_rows(deck, at_start)
    legend_height = LEGEND_ROW * (len(legend) + (1 if title else 0)) + 4
    top = -(bounds.y + bounds.height)
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"{bounds.x:g} {top:g} {bounds.width:g} {bounds.height + legend_height:g}",
            "width": f"{bounds.width * PIXELS_PER_MM:.0f}",
            "height": f"{(bounds.height + legend_height) * PIXELS_PER_MM:.0f}",
            "font-family": "Helvetica, Arial, sans-serif",
            "class": "otlink-deck",
        },
    )
    ET.SubElement(
        root,
        "rect",
        _box(bounds.x, top, bounds.width, bounds.height + legend_height, fill="#ffffff"),
    )
    flipped = ET.SubElement(root, "g", {"transform": "scale(1,-1)"})
    _draw_outlines(flipped)
    placed = [p for p in (place(deck, lw, at_start) for lw in deck.labware.values()) if p]
    current = deck.current if (highlight and not at_start) else None
    # Every slot first, then what stands on them: a thermocycler spans four slots.
    for slot in [*slot_names(), TRASH_SLOT]:
        _draw_slot(ET.SubElement(flipped, "g", {"class": "slot", "data-slot": slot}), slot)
    for slot in [*slot_names(), TRASH_SLOT]:
        group = ET.SubElement(flipped, "g", {"class": "slot-contents", "data-slot": slot})
        here = [item for item in placed if item.slot == slot]
        for module in deck.modules.values():
            if module.slot == slot:
                _draw_module(group, module.model, slot, here)
        for item in here:
            _draw_labware(group, deck, item, at_start, current)
    _draw_legend(root, legend, title, bounds.x + 4, -bounds.y + 6)
    return ET.tostring(root, encoding="unicode")


def _draw_outlines(parent: ET.Element) -> None:
    for layer in deck_outlines():
        if layer["attributes"].get("id") in ("fixedBase", "fixedTrash"):
            parent.append(_element(layer))


def _element(tree: Mapping[str, Any]) -> ET.Element:
    element = ET.Element(tree["name"], dict(tree.get("attributes", {})))
    for child in tree.get("children", []):
        if child.get("type") == "element":
            element.append(_element(child))
    return element


def _draw_slot(group: ET.Element, slot: str) -> None:
    if slot == TRASH_SLOT:
        rect = slot_rect(slot)
        _text(
            group,
            "Trash",
            rect.x + rect.width / 2,
            rect.y + rect.height / 2,
            8,
            anchor="middle",
            fill="#9aa3ad",
            weight="bold",
            cls="slot-label",
        )
        return
    rect = slot_rect(slot)
    ET.SubElement(
        group,
        "rect",
        _box(
            rect.x,
            rect.y,
            rect.width,
            rect.height,
            fill=SLOT_FILL,
            stroke="#c9ced4",
            **{"stroke-width": "0.6"},
        ),
    )
    _text(
        group,
        slot,
        rect.x + 3,
        rect.y + rect.height - 9,
        8,
        fill="#b3bac2",
        weight="bold",
        cls="slot-label",
    )


def _draw_module(parent: ET.Element, model: str, slot: str, on_top: list[Placed]) -> None:
    body = module_footprint(model, slot)
    group = ET.SubElement(parent, "g", {"class": "module", "data-model": model})
    ET.SubElement(
        group,
        "rect",
        _box(
            body.x,
            body.y,
            body.width,
            body.height,
            fill=MODULE_FILL,
            stroke="#7d8792",
            rx="3",
            **{"stroke-width": "0.8"},
        ),
    )
    name = str(module_definition(model)["displayName"])
    x, y, turned = _free_spot(body, on_top)
    element = ET.SubElement(
        group,
        "text",
        {
            "x": "0",
            "y": "0",
            "font-size": "4.5",
            "text-anchor": "middle",
            "fill": INK,
            "dominant-baseline": "middle",
            "class": "module-label",
            "transform": f"translate({x:.2f},{y:.2f}) scale(1,-1)"
            + (" rotate(-90)" if turned else ""),
        },
    )
    element.text = name


def _free_spot(body: Rect, on_top: list[Placed]) -> tuple[float, float, bool]:
    """Where the module's name can go: the middle of the widest part of its body that its
    labware leaves free; ``True`` when that part is a side (the name is turned)."""
    if not on_top:
        return body.x + body.width / 2, body.y + body.height / 2, False
    item = on_top[0]
    size = item.labware.definition["dimensions"]
    left, right = item.x - body.x, body.x + body.width - item.x - size["xDimension"]
    front, back = item.y - body.y, body.y + body.height - item.y - size["yDimension"]
    middle_x, middle_y = item.x + size["xDimension"] / 2, item.y + size["yDimension"] / 2
    spots = [
        (left, (body.x + left / 2, middle_y, True)),
        (right, (body.x + body.width - right / 2, middle_y, True)),
        (front, (middle_x, body.y + front / 2, False)),
        (back, (middle_x, body.y + body.height - back / 2, False)),
    ]
    return max(spots, key=lambda spot: spot[0])[1]


def _draw_labware(
    parent: ET.Element,
    deck: DeckState,
    item: Placed,
    at_start: bool,
    current: tuple[str, tuple[str, ...]] | None,
) -> None:
    labware = item.labware
    definition = labware.definition
    size = definition["dimensions"]
    group = ET.SubElement(
        parent,
        "g",
        {"class": "labware", "data-labware-id": labware.id, "data-load-name": labware.load_name},
    )
    ET.SubElement(group, "title").text = _caption(labware)
    ET.SubElement(
        group,
        "rect",
        _box(
            item.x,
            item.y,
            size["xDimension"],
            size["yDimension"],
            fill=LABWARE_FILL,
            stroke=INK,
            rx="2",
            **{"stroke-width": "0.7"},
        ),
    )
    hit = set(current[1]) if current and current[0] == labware.id else set()
    content = labware.loaded if at_start else labware.content
    for name, well in definition["wells"].items():
        _draw_well(group, deck, labware, name, well, item, content.get(name), at_start, name in hit)
    _draw_label(group, labware, item)


def _draw_well(
    group: ET.Element,
    deck: DeckState,
    labware: Labware,
    name: str,
    well: Mapping[str, Any],
    item: Placed,
    content: Mapping[str, float] | None,
    at_start: bool,
    is_current: bool,
) -> None:
    x, y = item.x + well["x"], item.y + well["y"]
    style: dict[str, str] = {
        "class": "well",
        "data-well": name,
        "stroke": "#8a949e",
        "stroke-width": "0.35",
        "fill": "#ffffff",
    }
    tooltip = name
    if labware.is_tip_rack:
        used = name in labware.used_tips
        if used and not at_start:
            style.update(
                {"class": "well tip used", "stroke": TIP_USED_STROKE, "stroke-dasharray": "0.8 0.6"}
            )
            tooltip += ": used"
        elif used:
            style.update({"class": "well tip to-use", "fill": TIP_TO_USE, "stroke": "#9c5b0e"})
            tooltip += ": will be used"
        else:
            style.update({"class": "well tip", "fill": TIP_FILL, "stroke": "#a58d63"})
    elif content:
        volume = sum(content.values())
        if volume > 0:
            capacity = float(well.get("totalLiquidVolume") or volume)
            style.update(
                {
                    "class": "well filled",
                    "fill": _mix(deck, content),
                    "fill-opacity": f"{max(0.3, min(1.0, volume / capacity)):.2f}",
                }
            )
            tooltip += ": " + ", ".join(
                f"{amount:.4g} µL {_liquid_name(deck, liquid)}"
                for liquid, amount in content.items()
            )
    if is_current:
        style.update(
            {"stroke": CURRENT, "stroke-width": "1.4", "class": style["class"] + " current"}
        )
    if well["shape"] == "circular":
        element = ET.SubElement(
            group,
            "circle",
            {"cx": f"{x:.2f}", "cy": f"{y:.2f}", "r": f"{well['diameter'] / 2:.2f}", **style},
        )
    else:
        width, height = well["xDimension"], well["yDimension"]
        element = ET.SubElement(
            group,
            "rect",
            {**_box(x - width / 2, y - height / 2, width, height), "rx": "0.8", **style},
        )
    ET.SubElement(element, "title").text = tooltip


def _draw_label(group: ET.Element, labware: Labware, item: Placed) -> None:
    size = labware.definition["dimensions"]
    width = size["xDimension"]
    ET.SubElement(
        group, "rect", _box(item.x, item.y, width, 6.5, fill="#ffffff", **{"fill-opacity": "0.86"})
    )
    _text(
        group,
        _fit(f"{item.slot} · {_caption(labware)}", width),
        item.x + width / 2,
        item.y + 1.9,
        3.9,
        anchor="middle",
        fill=INK,
        cls="labware-label",
    )


def _caption(labware: Labware) -> str:
    if labware.display_name and labware.display_name != labware.title:
        return f"{labware.display_name} — {labware.title}"
    return labware.title


def _fit(text: str, width_mm: float, font_mm: float = 3.9) -> str:
    most = int(width_mm / (font_mm * 0.52))
    return text if len(text) <= most else text[: most - 1] + "…"


def _legend_rows(deck: DeckState, at_start: bool) -> list[tuple[str, str]]:
    rows = [(liquid.color, liquid.name) for liquid in deck.liquids.values()]
    if any(labware.is_tip_rack for labware in deck.labware.values()):
        rows.append(
            (TIP_TO_USE, "tip the protocol will use")
            if at_start
            else ("#ffffff", "tip used (dashed)")
        )
    return rows


def _draw_legend(
    root: ET.Element, rows: list[tuple[str, str]], title: str | None, x: float, y: float
) -> None:
    group = ET.SubElement(root, "g", {"class": "legend"})
    if title:
        _text(group, title, x, y + 5, 6, fill=INK, weight="bold", cls="title", flipped=False)
        y += LEGEND_ROW
    for color, label in rows:
        ET.SubElement(group, "rect", _box(x, y, 7, 5.5, fill=color, stroke="#8a949e"))
        _text(group, label, x + 10, y + 4.6, 5, fill=INK, flipped=False)
        y += LEGEND_ROW


def _liquid_name(deck: DeckState, liquid: str) -> str:
    known = deck.liquids.get(liquid)
    return known.name if known else "liquid"


def _mix(deck: DeckState, content: Mapping[str, float]) -> str:
    """The colour of a mixture: its liquids' colours weighted by volume."""
    total = sum(content.values())
    red = green = blue = 0.0
    for liquid, volume in content.items():
        known = deck.liquids.get(liquid)
        r, g, b = _rgb(known.color if known else UNKNOWN_LIQUID)
        red, green, blue = red + r * volume, green + g * volume, blue + b * volume
    return f"#{int(red / total):02x}{int(green / total):02x}{int(blue / total):02x}"


def _rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return _rgb(UNKNOWN_LIQUID)


def _box(x: float, y: float, width: float, height: float, **attributes: str) -> dict[str, str]:
    return {
        "x": f"{x:.2f}",
        "y": f"{y:.2f}",
        "width": f"{width:.2f}",
        "height": f"{height:.2f}",
        **attributes,
    }


def _text(
    parent: ET.Element,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
    cls: str = "label",
    flipped: bool = True,
) -> None:
    """Text the right way up at (x, y): a deck point inside the flipped deck group, or a
    point of the page (``flipped=False``)."""
    place = {"y": f"{-y:.2f}", "transform": "scale(1,-1)"} if flipped else {"y": f"{y:.2f}"}
    element = ET.SubElement(
        parent,
        "text",
        {
            "x": f"{x:.2f}",
            **place,
            "font-size": f"{size:g}",
            "text-anchor": anchor,
            "fill": fill,
            "font-weight": weight,
            "class": cls,
        },
    )
    element.text = text
