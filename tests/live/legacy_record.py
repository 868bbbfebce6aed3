"""Physical actions of a protocol below apiLevel 2.14, as three records tell them.

* :func:`simulated_actions`: opentrons' own simulation of the file (``opentrons.simulate``'s
  context), heard on its command broker before each action: the pipette's mount, the labware
  (load name and deck slot), well, volume and flow rate in effect, and the exact point.
* :func:`analysed_actions`: the official ``opentrons analyze`` of the file, which below 2.14
  records only tip and liquid actions, without locations.
* :func:`live_actions`: the commands a live run left on the robot, with the points the robot
  reports it moved to.

Each is a list of :class:`Action`; the fixed trash is ``TRASH`` in all three, since a live run
has no trash labware, only the trash area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from opentrons import simulate
from opentrons.legacy_commands import types as legacy
from opentrons.protocols.api_support.labware_like import LabwareLike

import otlink.live.legacy_context  # noqa: F401  (module loads on Python 3.11+: see there)
from live.legacy_module_settings import assert_same_settings, settings_after
from live_fidelity import official_analysis
from otlink.live import get_protocol_api
from otlink.live.protocol_file import read_protocol
from robot_http import protocol_commands

TRASH = ("trash", "12")
LIQUID = ("aspirate", "dispense")


@dataclass(frozen=True)
class Action:
    """One physical action; ``point`` (x, y, z) is compared apart, to a tolerance."""

    kind: str
    mount: str | None = None
    labware: tuple[str, str] | None = None
    well: str | None = None
    volume: float | None = None
    flow_rate: float | None = None
    point: tuple[float, float, float] | None = field(default=None, compare=False)
    #: A module command's params on the robot; in the simulation, the module's settings after
    #: it (see legacy_module_settings).
    params: dict[str, Any] | None = field(default=None, compare=False)


# --- opentrons' own simulation ------------------------------------------------------------

_SIMULATED = {
    legacy.PICK_UP_TIP: "pickUpTip",
    legacy.DROP_TIP: "dropTip",
    legacy.ASPIRATE: "aspirate",
    legacy.DISPENSE: "dispense",
    legacy.BLOW_OUT: "blowout",
    legacy.TOUCH_TIP: "touchTip",
    legacy.MOVE_TO: "moveTo",
    legacy.DELAY: "waitForDuration",
    legacy.COMMENT: "comment",
}

# A module action is announced once; the robot has a command for each of its steps (setting a
# temperature and waiting for it are two).
_MODULE_STEPS = {
    legacy.TEMPDECK_SET_TEMP: (
        "temperatureModule/setTargetTemperature",
        "temperatureModule/waitForTemperature",
    ),
    legacy.TEMPDECK_DEACTIVATE: ("temperatureModule/deactivate",),
    legacy.MAGDECK_ENGAGE: ("magneticModule/engage",),
    legacy.MAGDECK_DISENGAGE: ("magneticModule/disengage",),
    legacy.THERMOCYCLER_OPEN: ("thermocycler/openLid",),
    legacy.THERMOCYCLER_CLOSE: ("thermocycler/closeLid",),
    legacy.THERMOCYCLER_SET_BLOCK_TEMP: (
        "thermocycler/setTargetBlockTemperature",
        "thermocycler/waitForBlockTemperature",
    ),
    legacy.THERMOCYCLER_SET_LID_TEMP: (
        "thermocycler/setTargetLidTemperature",
        "thermocycler/waitForLidTemperature",
    ),
    legacy.THERMOCYCLER_EXECUTE_PROFILE: ("thermocycler/runProfile",),
    legacy.THERMOCYCLER_DEACTIVATE_LID: ("thermocycler/deactivateLid",),
    legacy.THERMOCYCLER_DEACTIVATE_BLOCK: ("thermocycler/deactivateBlock",),
    legacy.THERMOCYCLER_DEACTIVATE: ("thermocycler/deactivateLid", "thermocycler/deactivateBlock"),
    legacy.HEATER_SHAKER_SET_TARGET_TEMPERATURE: ("heaterShaker/setTargetTemperature",),
    legacy.HEATER_SHAKER_WAIT_FOR_TEMPERATURE: ("heaterShaker/waitForTemperature",),
    legacy.HEATER_SHAKER_SET_AND_WAIT_FOR_SHAKE_SPEED: ("heaterShaker/setAndWaitForShakeSpeed",),
    legacy.HEATER_SHAKER_OPEN_LABWARE_LATCH: ("heaterShaker/openLabwareLatch",),
    legacy.HEATER_SHAKER_CLOSE_LABWARE_LATCH: ("heaterShaker/closeLabwareLatch",),
    legacy.HEATER_SHAKER_DEACTIVATE_SHAKER: ("heaterShaker/deactivateShaker",),
    legacy.HEATER_SHAKER_DEACTIVATE_HEATER: ("heaterShaker/deactivateHeater",),
}


def simulated_actions(protocol: Path) -> list[Action]:
    """The file run by opentrons' simulation; each atomic action as it is about to happen."""
    parsed = read_protocol(protocol)
    context = simulate.get_protocol_api(parsed.api_level)
    actions: list[Action] = []
    held: list[float] = []  # what the tip held before each dispense under way

    module_steps: list[int] = []  # where the steps of the module action under way are

    def heard(message: Any) -> None:
        kind = _SIMULATED.get(message["name"])
        if message["$"] == "before" and message["name"] in _MODULE_STEPS:
            module_steps[:] = range(
                len(actions), len(actions) + len(_MODULE_STEPS[message["name"]])
            )
            actions.extend(Action(step) for step in _MODULE_STEPS[message["name"]])
        elif message["$"] == "after" and message["name"] in _MODULE_STEPS:
            settings = settings_after(message, context)
            for index in module_steps:
                actions[index] = replace(actions[index], params=settings)
        elif message["$"] == "before" and kind is not None:
            action = _simulated(kind, message["payload"])
            if not _skipped(action, context):
                actions.append(action)
            if kind == "dispense":
                held.append(message["payload"]["instrument"].current_volume)
        elif kind == "dispense":
            _really_dispensed(message, actions, held)
        elif message["$"] == "after" and kind == "dropTip":
            # Where a tip is dropped is the core's choice (a return height, the trash's top):
            # it is where the pipette went.
            moved_to = message["payload"]["instrument"]._protocol_core.get_last_location()
            actions[-1] = replace(actions[-1], point=tuple(moved_to.point))

    context.broker.subscribe(legacy.COMMAND, heard)
    parsed.run(context)
    return actions


def _really_dispensed(message: Any, actions: list[Action], held: list[float]) -> None:
    """A dispense is announced with the volume asked for; the legacy core's hardware dispenses
    at most what the tip holds, and from an empty tip nothing (it only moved there)."""
    if message["$"] != "after":
        return
    dispensed = _volume(held.pop() - message["payload"]["instrument"].current_volume)
    index = max(i for i, action in enumerate(actions) if action.kind == "dispense")
    announced = actions[index]
    actions[index] = (
        replace(announced, volume=dispensed)
        if dispensed > 0
        else Action("moveTo", announced.mount, point=announced.point)
    )


def _volume(volume: float | None) -> float | None:
    # Rounded alike in every record: a volume is what was left after float arithmetic.
    return None if volume is None else round(volume, 6)


def _skipped(action: Action, context: Any) -> bool:
    """A touch tip is announced even where the labware forbids it, and then not done."""
    if action.kind != "touchTip" or action.labware is None or action.labware == TRASH:
        return False
    labware = context.deck[action.labware[1]]
    return "touchTipDisabled" in labware.get_quirks()


def _simulated(kind: str, payload: dict[str, Any]) -> Action:
    instrument = payload.get("instrument")
    if instrument is None:
        return Action(kind)
    location = payload.get("location")
    if kind == "moveTo":
        return Action(kind, instrument.mount, point=tuple(location.point))
    well = location if kind in ("pickUpTip", "dropTip") else getattr(location, "labware", None)
    if kind == "touchTip":
        well = instrument._protocol_core.get_last_location().labware  # where it touched
    like = LabwareLike(well)
    labware = None
    well_name = None
    if like.is_well:
        parent = like.as_well().parent
        labware = (
            TRASH
            if LabwareLike(parent).is_fixed_trash()
            else (parent.load_name, like.first_parent())
        )
        well_name = like.as_well().well_name
    flow_rate = None
    if kind in LIQUID:
        flow_rate = payload["rate"] * getattr(instrument.flow_rate, kind)
    elif kind == "blowout":
        flow_rate = instrument.flow_rate.blow_out
    point = getattr(location, "point", None) if kind != "dropTip" else None
    return Action(
        kind,
        instrument.mount,
        labware,
        well_name,
        _volume(payload.get("volume")),
        flow_rate,
        tuple(point) if point is not None else None,
    )


# --- the official analysis ----------------------------------------------------------------


def analysed_actions(protocol: Path) -> list[Action]:
    """Tip and liquid actions of ``opentrons analyze`` (run as users run it)."""
    labware = {"fixedTrash": TRASH}
    module_slots: dict[str, str] = {}
    mounts = {}
    actions = []
    for command in official_analysis(protocol, legacy_modules=True):
        kind, params, result = command["commandType"], command["params"], command["result"]
        if kind == "loadLabware":
            where = params["location"]
            slot = where.get("slotName") or module_slots[where["moduleId"]]
            labware[result["labwareId"]] = (params["loadName"], slot)
        elif kind == "loadModule":
            module_slots[result["moduleId"]] = params["location"]["slotName"]
        elif kind == "loadPipette":
            mounts[result["pipetteId"]] = params["mount"]
        elif kind in ("pickUpTip", "dropTip", "aspirate", "dispense", "blowout"):
            actions.append(
                Action(
                    kind,
                    mounts[params["pipetteId"]],
                    labware[params["labwareId"]],
                    params["wellName"],
                    _volume(params.get("volume")),
                    params.get("flowRate"),
                )
            )
    return actions


def as_dispensed(analysed: list[Action]) -> list[Action]:
    """The analysis' actions with each dispense of what the tip really held.

    Below 2.14 the analysis records a dispense with the volume asked for; the legacy core's
    hardware dispenses at most what the tip holds, and from an empty tip nothing (it moves).
    """
    held: dict[str | None, float] = {}
    actions = []
    for action in analysed:
        volume = action.volume or 0.0
        if action.kind == "aspirate":
            held[action.mount] = held.get(action.mount, 0.0) + volume
        elif action.kind == "dispense":
            dispensed = _volume(min(volume, held.get(action.mount, 0.0))) or 0.0
            held[action.mount] = held.get(action.mount, 0.0) - dispensed
            if dispensed <= 0:
                continue
            action = replace(action, volume=dispensed)
        else:  # a blow-out empties the tip; a new tip is empty
            held[action.mount] = 0.0
        actions.append(action)
    return actions


# --- a live run ---------------------------------------------------------------------------


def run_live(protocol: Path, robot_url: str) -> list[dict[str, Any]]:
    """Run the file live (homing first, as ``otlink run`` does); the robot run's commands."""
    parsed = read_protocol(protocol)
    with get_protocol_api(parsed.api_level, robot=robot_url) as context:
        context.home()
        parsed.run(context)
        run = context.robot_run
        # The list holds summaries; each command's own page has its result (the position).
        return [
            run.client.get_command(run.id, summary.id).model_dump(mode="json")
            for summary in protocol_commands(run.client, run.id)
        ]


def live_actions(commands: list[dict[str, Any]]) -> list[Action]:
    """The robot's commands as actions: a trash-area move and the in-place action after it
    are one action in the trash."""
    labware: dict[str, tuple[str, str]] = {}
    module_slots: dict[str, str] = {}
    mounts: dict[str, str] = {}
    actions: list[Action] = []
    for command in commands:
        kind, params, result = command["commandType"], command["params"], command["result"] or {}
        position = result.get("position")
        point = (position["x"], position["y"], position["z"]) if position else None
        mount = mounts.get(params.get("pipetteId", ""))
        if kind == "loadLabware":
            where = params["location"]
            slot = where.get("slotName") or module_slots[where["moduleId"]]
            labware[params["labwareId"]] = (params["loadName"], slot)
        elif kind == "loadModule":
            module_slots[params["moduleId"]] = params["location"]["slotName"]
        elif kind == "loadPipette":
            mounts[params["pipetteId"]] = params["mount"]
        elif kind in ("pickUpTip", "dropTip", "aspirate", "dispense", "blowout", "touchTip"):
            actions.append(
                Action(
                    kind,
                    mount,
                    labware[params["labwareId"]],
                    params["wellName"],
                    _volume(params.get("volume")),
                    params.get("flowRate"),
                    point,
                )
            )
        elif kind == "moveToAddressableAreaForDropTip":
            actions.append(Action("dropTip", mount, TRASH, "A1", point=point))
        elif kind == "moveToAddressableArea":
            actions.append(Action("moveTo", mount, point=point))
        elif kind in ("aspirateInPlace", "dispenseInPlace", "blowOutInPlace"):
            moved = actions.pop()
            actions.append(
                Action(
                    kind.replace("InPlace", "").replace("blowOut", "blowout"),
                    mount,
                    TRASH,
                    "A1",
                    _volume(params.get("volume")),
                    params.get("flowRate"),
                    moved.point,
                )
            )
        elif kind in ("moveToWell", "moveToCoordinates"):
            actions.append(Action("moveTo", mount, point=point))
        elif kind in ("waitForDuration", "comment"):
            actions.append(Action(kind))
        elif "/" in kind:  # a module command
            given = {name: value for name, value in params.items() if name != "moduleId"}
            actions.append(Action(kind, params=given))
    return actions


# --- the comparison ---------------------------------------------------------------------


def without_moves(actions: list[Action]) -> list[Action]:
    """The actions but plain moves (the robot also moves where the legacy core did silently)."""
    return [action for action in actions if action.kind != "moveTo"]


def _assert_same_points(live: list[Action], simulated: list[Action]) -> None:
    for mine, theirs in zip(live, simulated, strict=True):
        if theirs.point is not None:
            assert mine.point is not None, mine
            assert math.dist(mine.point, theirs.point) < 1e-3, (mine, theirs)


def _assert_moves_in_order(live: list[Action], simulated: list[Action]) -> None:
    # Every move the protocol made is a robot move to the same point, in order. (The robot
    # also moves where the legacy core moved without saying so, e.g. up for an air gap.)
    remaining = iter(action for action in live if action.kind == "moveTo")
    for move in (action for action in simulated if action.kind == "moveTo"):
        assert any(
            math.dist(candidate.point, move.point) < 1e-3
            for candidate in remaining
            if candidate.point is not None and move.point is not None
        ), move


def assert_faithful(protocol: Path, robot_url: str, *, module_settings: int = 0) -> list[Action]:
    """Run ``protocol`` live; assert it did what opentrons' simulation of it does, and that its
    ``module_settings`` module commands that set something left each module as the simulation
    did. Its actions."""
    simulated = simulated_actions(protocol)
    live = live_actions(run_live(protocol, robot_url))
    assert without_moves(live) == without_moves(simulated)
    _assert_same_points(without_moves(live), without_moves(simulated))
    _assert_moves_in_order(live, simulated)
    compared = assert_same_settings(without_moves(live), without_moves(simulated))
    assert compared == module_settings, f"{compared} module settings compared"
    return live
