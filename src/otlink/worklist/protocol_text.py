"""A plan written out as an ordinary Protocol API file, one line per step."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from otlink import __version__

from .deck import DeckLabware
from .steps import Plan, Step


@dataclass
class ProtocolText:
    """The protocol's source and, for each line that does a step, the rows it serves."""

    text: str
    rows_at_line: dict[int, tuple[int, ...]] = field(default_factory=dict)


def protocol_text(plan: Plan) -> ProtocolText:
    """The Python protocol that does ``plan``'s steps, for ``otlink run --upload`` or the
    Opentrons App (custom labware goes with it, as for any protocol).

    >>> print(protocol_text(plan).text)  # doctest: +SKIP
    """
    deck = plan.deck
    names = _names(plan)
    lines = [
        f'"""Worklist {plan.source}: {plan.rows} rows, {len(plan.steps)} steps.',
        "",
        f"Written by otlink {__version__} (otlink worklist export); each step notes its rows.",
        '"""',
        "",
        "from opentrons import protocol_api",
        "",
        f"metadata = {{'protocolName': {('Worklist ' + plan.source)!r}, 'author': 'otlink'}}",
        f"requirements = {{'robotType': 'OT-2', 'apiLevel': {deck.api_level!r}}}",
        "",
        "",
        "def run(protocol: protocol_api.ProtocolContext) -> None:",
    ]
    for slot, item in deck.labware.items():
        arguments = [repr(item.load_name), repr(slot)]
        if item.name:
            arguments.append(f"label={item.name!r}")
        if item.custom:
            arguments.append(f"namespace={item.definition['namespace']!r}")
            arguments.append(f"version={item.definition['version']!r}")
        if item.module:
            module = f"{names[slot]}_module"
            lines.append(f"    {module} = protocol.load_module({item.module!r}, {slot!r})")
            lines.extend(f"    {module}.{call}()" for call in _MODULE_SET_UP.get(_kind(item), ()))
            arguments.remove(repr(slot))
            lines.append(f"    {names[slot]} = {module}.load_labware({', '.join(arguments)})")
        else:
            lines.append(f"    {names[slot]} = protocol.load_labware({', '.join(arguments)})")
    for mount, pipette in deck.pipettes.items():
        racks = ", ".join(names[slot] for slot in pipette.tip_racks)
        lines.append(
            f"    {mount} = protocol.load_instrument({pipette.name!r}, {mount!r},"
            f" tip_racks=[{racks}])"
        )
    result = ProtocolText("")
    rows: tuple[int, ...] = ()
    for step in plan.steps:
        if not step.rows and rows:
            rows = ()
            lines.append("    # end: the tips still on go to the trash")
        if step.rows and step.rows != rows:
            rows = step.rows
            label = "rows" if len(rows) > 1 else "row"
            lines.append(f"    # {label} {', '.join(str(r) for r in rows)}")
        lines.append(f"    {_call(step, names)}")
        result.rows_at_line[len(lines)] = step.rows or rows
    if not plan.steps:
        lines.append("    pass")
    result.text = "\n".join(lines) + "\n"
    return result


# What a module needs before a pipette may reach into its labware: the engine refuses a closed
# thermocycler; a heater-shaker holds its plate with the latch closed.
_MODULE_SET_UP = {"thermocycler": ("open_lid",), "heaterShaker": ("close_labware_latch",)}


def _kind(item: DeckLabware) -> str:
    model = item.module_model or ""
    return next((kind for kind in _MODULE_SET_UP if model.startswith(kind)), model)


def _names(plan: Plan) -> dict[str, str]:
    """A variable per labware: its display name where that makes one, else ``slot_N``."""
    names: dict[str, str] = {}
    for slot, item in plan.deck.labware.items():
        base = (
            "tips"
            if item.is_tip_rack
            else re.sub(r"\W+", "_", (item.name or "").lower()).strip("_")
        )
        name = base if base.isidentifier() and not keyword.iskeyword(base) else "slot"
        if name in names.values() or name in ("protocol", "left", "right", "tips", "slot"):
            name = f"{name}_{slot}"
        names[slot] = name
    return names


def _call(step: Step, names: dict[str, str]) -> str:
    pipette = step.pipette
    where = f"{names[step.slot]}[{step.well!r}]" if step.slot else f"{pipette}.trash_container"
    if step.height is not None and step.slot:
        where += f".bottom({step.height:g})"
    volume = f"{step.volume:g}" if step.volume is not None else ""
    if step.action == "pick_up_tip":
        return f"{pipette}.pick_up_tip({where})"
    if step.action == "drop_tip":
        return f"{pipette}.drop_tip()"
    if step.action in ("aspirate", "dispense"):
        rate = ""
        if step.flow_rate is not None:
            rate = f", rate={step.flow_rate:g} / {pipette}.flow_rate.{step.action}"
        return f"{pipette}.{step.action}({volume}, {where}{rate})"
    if step.action == "mix":
        return f"{pipette}.mix({step.repetitions}, {volume}, {where})"
    if step.action == "air_gap":
        return f"{pipette}.air_gap({volume})"
    if step.action == "touch_tip":
        return f"{pipette}.touch_tip({where})"
    return f"{pipette}.blow_out({where})"
