"""Decks from a deck file or from an existing protocol's loads."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from otlink import opentrons_home  # noqa: F401  (before opentrons: keep its files private)
from otlink.client.labware_files import LabwareSource, load_labware_definitions

from .deck import Deck
from .rows import Problem, WorklistInvalid


def deck_from_file(path: Path, labware: Iterable[LabwareSource] = ()) -> Deck:
    """A ``.toml`` deck file, or the deck a ``.py`` protocol loads."""
    if path.suffix.lower() == ".py":
        return deck_from_protocol(path, labware)
    return Deck.read(path)


def deck_from_protocol(path: Path, labware: Iterable[LabwareSource] = ()) -> Deck:
    """The pipettes and labware an existing protocol loads (simulated on the laptop, with
    opentrons; its liquid handling is not kept). Labware on a module keeps its module (by
    model, as ``load_module`` also takes it).

    >>> deck_from_protocol(Path("cherrypick.py")).pipettes["left"].name  # doctest: +SKIP
    'p300_single_gen2'
    """
    from opentrons import simulate

    from otlink.live.protocol_file import read_protocol

    definitions = load_labware_definitions(labware)
    try:
        protocol = read_protocol(path, definitions)
        context = simulate.get_protocol_api(
            protocol.api_level,
            extra_labware={_uri(d): d for d in definitions},
        )
        protocol.run(context, protocol.parameters())
    except Exception as error:  # the protocol's own code may raise anything
        raise WorklistInvalid([Problem(None, f"{path.name} gives no deck: {error}")]) from None
    data: dict[str, Any] = {"api_level": str(protocol.api_level), "labware": {}, "pipettes": {}}
    modules = {str(slot): str(module.model) for slot, module in context.loaded_modules.items()}
    for slot, item in context.loaded_labwares.items():
        if item is None or str(slot) == "12":
            continue
        definition = item._core.get_definition()
        entry: dict[str, Any] = {"name": item._core.get_user_display_name()}
        if definition["namespace"] == "opentrons":
            entry.update(load_name=item.load_name, version=definition["version"])
        else:
            entry["definition"] = definition
        if str(slot) in modules:
            entry["module"] = modules[str(slot)]
        data["labware"][str(slot)] = entry
    for mount, instrument in context.loaded_instruments.items():
        racks = [str(rack.parent) for rack in instrument.tip_racks]
        data["pipettes"][mount] = {"name": instrument.name, "tip_racks": racks}
    return Deck.from_dict(data, source=path.name)


def _uri(definition: dict[str, Any]) -> str:
    return (
        f"{definition['namespace']}/{definition['parameters']['loadName']}/{definition['version']}"
    )
