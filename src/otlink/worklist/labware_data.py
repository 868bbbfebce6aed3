"""What opentrons-shared-data says about labware and pipettes (nothing here is hand-written)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from opentrons.protocol_api.core.engine._default_labware_versions import (
    get_standard_labware_default_version,
)
from opentrons.protocols.api_support.types import APIVersion
from opentrons.protocols.labware import get_labware_definition
from opentrons_shared_data.pipette import load_data, pipette_load_name_conversions


@dataclass(frozen=True)
class PipetteSpec:
    channels: int
    min_volume: float
    max_volume: float
    tip_volumes: frozenset[float]
    aspirate_flow_rate: float
    dispense_flow_rate: float


@cache
def _standard(load_name: str, version: int) -> dict[str, Any]:
    try:
        definition: dict[str, Any] = get_labware_definition(load_name, version=version)
    except (FileNotFoundError, RuntimeError, KeyError):
        raise ValueError(
            f"no labware {load_name!r} in opentrons-shared-data"
            ' (a custom one goes in as definition = "FILE.json")'
        ) from None
    return definition


def standard_definition(load_name: str, version: Any, api_level: str) -> dict[str, Any]:
    """Shared-data's definition: ``version``, else the one ``load_labware`` takes at
    ``api_level`` (a Corning 96 plate is version 2 from 2.14 on)."""
    if version is None:
        level = APIVersion.from_string(api_level)
        version = get_standard_labware_default_version(level, load_name.lower())
    return _standard(load_name, int(version))


def tip_volume(definition: dict[str, Any]) -> float:
    first = definition["ordering"][0][0]
    return float(definition["wells"][first]["totalLiquidVolume"])


@cache
def pipette_spec(name: str) -> PipetteSpec:
    """Channels, volume range, tip sizes and default flow rates of an OT-2 pipette."""
    try:
        version = pipette_load_name_conversions.convert_pipette_name(name)
        config = load_data.load_definition(
            version.pipette_type,
            version.pipette_channels,
            version.pipette_version,
            version.oem_type,
        )
    except (ValueError, KeyError, FileNotFoundError, AttributeError):
        raise ValueError(
            f"no OT-2 pipette {name!r} (p20_single_gen2, p300_multi_gen2, ...)"
        ) from None
    if "flex" in name:
        raise ValueError(f"{name} is a Flex pipette; otlink drives OT-2s")
    liquid = next(iter(config.liquid_properties.values()))
    tips = next(iter(liquid.supported_tips.values()))
    return PipetteSpec(
        channels=int(config.channels),
        min_volume=float(liquid.min_volume),
        max_volume=float(liquid.max_volume),
        tip_volumes=frozenset(float(tip.value) for tip in liquid.supported_tips),
        aspirate_flow_rate=float(tips.default_aspirate_flowrate.default),
        dispense_flow_rate=float(tips.default_dispense_flowrate.default),
    )


THERMOCYCLER_SLOT = "7"
THERMOCYCLER_COVERS = ("8", "10", "11")  # the slots it spans besides its own


def module_model(load_name: str, slot: str) -> str:
    """The model of the module ``load_module(load_name, slot)`` loads on an OT-2, or a
    ValueError saying why it cannot go there.

    >>> module_model("temperature module gen2", "3")
    'temperatureModuleV2'
    """
    from opentrons.protocol_api.validation import ensure_module_model
    from opentrons_shared_data.deck import load
    from opentrons_shared_data.module import load_definition

    try:
        model = ensure_module_model(load_name)
    except ValueError:
        raise ValueError(
            f"no module {load_name!r} (temperature module gen2, magnetic module gen2,"
            " thermocycler module, heaterShakerModuleV1)"
        ) from None
    kind = load_definition("3", model.value)["moduleType"]  # type: ignore[call-overload]
    areas = {a["id"]: a for a in load("ot2_standard", 5)["locations"]["addressableAreas"]}
    if kind not in areas[slot].get("compatibleModuleTypes", []):
        allowed = [s for s, a in areas.items() if kind in a.get("compatibleModuleTypes", [])]
        where = f"slot {', '.join(allowed)}" if allowed else "no slot of an OT-2"
        raise ValueError(f"a {load_name} goes in {where}")
    return str(model.value)


def well_names(definition: dict[str, Any]) -> list[str]:
    """Wells in the definition's order: down each column, column after column."""
    return [well for column in definition["ordering"] for well in column]
