"""What to do about a protocol's failure, when its kind is known: unknown labware (custom
labware goes with ``--labware``; close load names from opentrons-shared-data), a module the
robot does not have (attach it; ``otlink emulate --module`` on the virtual OT-2).

Example::

    hint_for_failure("LabwareDefinitionDoesNotExistError",
                     "Unable to find a labware definition for 'corning_96_wellplate_360ul'")
    # "custom labware goes with --labware FILE.json; close load names: corning_96_..."
"""

from __future__ import annotations

import difflib
import re

from .labware_names import load_names

_UNKNOWN_LABWARE = ("LabwareDefinitionDoesNotExistError", "LabwareLoadError")
# Engine: 'Labware "x" not found'; legacy core: 'Unable to find a labware definition for "x"'.
_NO_LABWARE = re.compile(r"labware .*not found|unable to find a labware definition", re.S)
_WRONG_PIPETTE = re.compile(r"mount (LEFT|RIGHT): expected instrument (\w+) but got")
_QUOTED = re.compile(r"['\"]([a-z0-9_.]+)['\"]")
_MODULE_MODELS = re.compile(
    r"(temperatureModuleV[12]|magneticModuleV[12]|thermocyclerModuleV[12]"
    r"|heaterShakerModuleV1)"
)


#: the fix for the opentrons engine's errors a protocol most often meets, by errorType
_FIXES = {
    "TipNotAttachedError": "pick up a tip before this step (pipette.pick_up_tip())",
    "TipAttachedError": "drop or return the tip before this step (pipette.drop_tip())",
    "TipNotEmptyError": "dispense or blow out what the tip holds before this step",
    "InvalidAspirateVolumeError": "aspirate at most what the tip has room for (its max volume"
    " less what it holds)",
    "InvalidDispenseVolumeError": "dispense at most what the tip holds",
    "WellDoesNotExistError": "name a well the labware has (A1 ... H12 on a 96-well plate)",
    "LabwareIsNotTipRackError": "pick up tips from a tip rack (give it in tip_racks=)",
    "LabwareIsTipRackError": "aspirate and dispense in a plate or reservoir, not in a tip rack",
    "LocationIsOccupiedError": "load one labware or module per slot: move one to a free slot",
    "ThermocyclerNotOpenError": "open the lid first (thermocycler.open_lid())",
    "HeaterShakerLabwareLatchNotOpenError": "open the latch first"
    " (heater_shaker.open_labware_latch())",
    "RobotDoorOpenError": "close the robot's door, then run again",
    "InvalidTargetTemperatureError": "set a temperature within the module's range",
    "EngageHeightOutOfRangeError": "engage the magnet at a height the module reaches",
}
_PIPETTE_MISSING = ("PipetteNotAttachedError", "InvalidLoadPipetteSpecsError")


def hint_for_failure(error_type: str, detail: str) -> str | None:
    """A sentence that says how to fix the failure, or None when there is nothing to add."""
    words = detail.lower()
    if error_type in _FIXES:
        return _FIXES[error_type]
    if error_type in _PIPETTE_MISSING:
        return (
            "load a pipette the robot has (otlink status lists them); on the virtual OT-2"
            " choose them with otlink emulate --left MODEL --right MODEL"
        )
    wrong_pipette = _WRONG_PIPETTE.search(detail)
    if wrong_pipette:
        mount, wanted = wrong_pipette.group(1).lower(), wrong_pipette.group(2)
        return (
            f"the robot has another pipette on its {mount} mount: attach {wanted} there (on the"
            f" virtual OT-2: otlink emulate --{mount} {wanted}), or load the one it has"
        )
    if error_type in _UNKNOWN_LABWARE or _NO_LABWARE.search(words):
        names = [n for n in _QUOTED.findall(detail) if "/" not in n]
        close = _close_load_names(names[0]) if names else []
        hint = "custom labware goes with --labware FILE.json (or a folder of them)"
        return f"{hint}; close load names: {', '.join(close)}" if close else hint
    if error_type in ("ModuleNotAttachedError", "ModuleNotConnectedError") or (
        "module" in words and "attached" in words
    ):
        model = _MODULE_MODELS.search(detail)
        name = model.group(1) if model else "MODEL"
        return (
            f"attach the module to the robot; on the virtual OT-2 start it with"
            f" otlink emulate --module {name}"
        )
    return None


def _close_load_names(name: str) -> list[str]:
    return difflib.get_close_matches(name, load_names(), n=3, cutoff=0.6)
