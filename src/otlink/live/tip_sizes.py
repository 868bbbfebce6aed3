"""Tips an OT-2 pipette cannot use, said as such instead of opentrons' ``KeyError``.

opentrons' model of OT-2 pipette hardware picks the settings for a picked-up tip by the smaller
of the pipette's and the tip's volume, and has none for some pairs: a GEN1 P50 (single or
8-channel) or P300 on 20 µL tips, a GEN1 P1000 on 200 µL tips. A robot then fails the pick-up
with ``KeyError: <PipetteTipType.t20: 20>``, on the legacy core and on the engine alike, after
the tip is on. opentrons' analysis and its ``simulate`` at apiLevel 2.14+ model pipettes
without that hardware model and accept the file. otlink's local check runs the hardware model
(as the robot does), so it refuses the pick-up first, with this explanation.

>>> print(tip_size_explanation("p50_multi", 20))  # doctest: +ELLIPSIS
p50_multi cannot use 20 µL tips on an OT-2: ... settings for 50, 200, 300 µL tips only, ...
"""

from __future__ import annotations

from typing import Any

from opentrons_shared_data.pipette import load_data
from opentrons_shared_data.pipette import pipette_load_name_conversions as load_names
from opentrons_shared_data.pipette.types import LiquidClasses

from otlink.errors import PreflightFailed

_MARK = "PipetteTipType"


def explained(refused: PreflightFailed, pipette_name: str, tip_volume: float) -> PreflightFailed:
    """``refused``, or, if it is a pick-up refused for its tip size, the same with the why.

    Example::

        raise explained(refused, "p50_multi", 20) from refused
    """
    if refused.command_type != "pickUpTip" or _MARK not in refused.detail:
        return refused
    return PreflightFailed(
        command_type=refused.command_type,
        error_type=refused.error_type,
        error_code=refused.error_code,
        detail=f"{tip_size_explanation(pipette_name, tip_volume)} ({refused.detail})",
    )


def explained_by_engine(refused: PreflightFailed, params: Any, state_view: Any) -> PreflightFailed:
    """:func:`explained`, the pipette and tip rack read from the local engine's state."""
    if refused.command_type != "pickUpTip":
        return refused
    pipette = state_view.pipettes.get(params.pipetteId)
    tip = state_view.geometry.get_nominal_tip_geometry(
        params.pipetteId, params.labwareId, params.wellName
    )
    return explained(refused, str(pipette.pipetteName.value), tip.volume)


def tip_size_explanation(pipette_name: str, tip_volume: float) -> str:
    """What went wrong and what to do, naming the tip sizes ``pipette_name`` can use."""
    model = load_names.convert_pipette_name(pipette_name)
    definition = load_data.load_definition(
        model.pipette_type, model.pipette_channels, model.pipette_version, model.oem_type
    )
    tips = definition.liquid_properties[LiquidClasses.default].supported_tips
    sizes = ", ".join(str(size) for size in sorted(tip.value for tip in tips))
    return (
        f"{pipette_name} cannot use {tip_volume:g} µL tips on an OT-2: opentrons' model of the"
        f" pipette has settings for {sizes} µL tips only, and a robot fails this pick-up"
        " (opentrons' analysis does not check it); give the pipette a tip rack of one of"
        " those sizes"
    )
