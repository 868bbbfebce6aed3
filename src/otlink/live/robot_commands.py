"""What the robot is sent for a command the local engine has run.

Mostly the same command: its params, plus the ids the local engine gave what it loaded, so the
robot's labware, pipettes and modules carry the same ids. Two things cannot go across as they
are, because a robot's live run differs from a protocol run:

* it has no fixed-trash labware (protocols below apiLevel 2.16 load one): a drop, blow-out or
  dispense into that labware goes to the robot's ``fixedTrash`` addressable area instead;
* liquids cannot be defined over HTTP: ``loadLiquid`` of a named liquid stays local (it moves
  nothing; the robot only takes the empty-well marker ``EMPTY``);
* a pause would end its taking of commands: ``waitForResume`` stays local and a manual
  ``moveLabware`` goes without its pause, the laptop waiting instead (see pauses.py).
"""

from __future__ import annotations

from typing import Any

from opentrons.protocol_engine import commands as pe_commands

RobotCommand = tuple[str, dict[str, Any]]

# Loads answer with the id they made; the robot gets it as a param, so both sides agree.
_LOADED_ID = {
    "loadLabware": "labwareId",
    "loadPipette": "pipetteId",
    "loadModule": "moduleId",
}

TRASH_AREA = "fixedTrash"
_INTO_TRASH_AREA = ("dropTip", "blowout", "dispense", "moveToWell")


class NotMirrorable(ValueError):
    """A command that a robot's live run cannot carry out."""


def robot_commands_for(
    command: pe_commands.Command, fixed_trash_id: str | None
) -> list[RobotCommand]:
    """The robot commands that do what ``command`` (already run locally) did."""
    command_type: str = command.commandType
    params: dict[str, Any] = command.params.model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    if command_type in _LOADED_ID:
        name = _LOADED_ID[command_type]
        params[name] = getattr(command.result, name)
    if command_type == "loadLiquid" and params.get("liquidId") != "EMPTY":
        return []
    if command_type == "waitForResume":
        return []
    if params.get("strategy") == "manualMoveWithPause":
        params["strategy"] = "manualMoveWithoutPause"
    if fixed_trash_id is not None and params.get("labwareId") == fixed_trash_id:
        return _into_trash_area(command_type, params)
    return [(command_type, params)]


def _into_trash_area(command_type: str, params: dict[str, Any]) -> list[RobotCommand]:
    pipette = params["pipetteId"]
    offset = params.get("wellLocation", {}).get("offset", {"x": 0, "y": 0, "z": 0})
    if command_type == "dropTip":
        return [
            (
                "moveToAddressableAreaForDropTip",
                {
                    "pipetteId": pipette,
                    "addressableAreaName": TRASH_AREA,
                    "offset": offset,
                    "alternateDropLocation": params.get("alternateDropLocation", False),
                },
            ),
            ("dropTipInPlace", _only(params, "pipetteId", "homeAfter")),
        ]
    move = (
        "moveToAddressableArea",
        {"pipetteId": pipette, "addressableAreaName": TRASH_AREA, "offset": offset},
    )
    if command_type == "blowout":
        return [move, ("blowOutInPlace", _only(params, "pipetteId", "flowRate"))]
    if command_type == "dispense":
        return [
            move,
            ("dispenseInPlace", _only(params, "pipetteId", "volume", "flowRate", "pushOut")),
        ]
    # moveToWell: refuse_unmirrorable let nothing else through.
    path = _only(params, "forceDirect", "minimumZHeight", "speed")
    return [(move[0], {**move[1], **path})]


def refuse_unmirrorable(
    command_type: str, labware_id: str | None, fixed_trash_id: str | None
) -> None:
    """Raise NotMirrorable for a command that a live run cannot carry out, before it runs
    anywhere (so the protocol context stays usable)."""
    if labware_id is None or labware_id != fixed_trash_id or command_type in _INTO_TRASH_AREA:
        return
    raise NotMirrorable(
        f"{command_type} into the fixed trash cannot run in a robot's live run (it has no trash"
        " labware, only the trash area): drop, blow out or dispense into the trash instead."
    )


def _only(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: params[name] for name in names if name in params}
