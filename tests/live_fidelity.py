"""Fidelity checks: a protocol run live against a virtual OT-2 versus opentrons' own analysis.

The two command lists are compared as (commandType, params), with the ids that loads made
mapped to their order of loading (``labwareId#2``), since each engine makes its own. Where a live
run must differ from a protocol run, :func:`as_live_run` rewrites the analysis the way the live
run is documented to differ (``otlink.live.robot_commands`` and ``otlink.live.pauses``); nothing
else is allowed to differ.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from otlink.client import RobotClient
from otlink.live.protocol_runner import run_protocol_file

PROTOCOLS = Path(__file__).parent / "live" / "protocols"
LABWARE = PROTOCOLS / "labware"

Step = tuple[str, dict[str, Any]]

_LOADED_ID = {"loadLabware": "labwareId", "loadPipette": "pipetteId", "loadModule": "moduleId"}
_TRASH = "fixedTrash"


# opentrons' legacy core finds module definitions only on Python 3.10, the robot's: on a newer
# Python the analysis of a legacy protocol with a module fails. otlink's fix, made first, gives
# the analysis the robot's Python behaviour (see ``otlink.live.legacy_context``).
_ANALYZE_AS_ON_THE_ROBOT = (
    "import otlink.live.legacy_context; from opentrons.cli import main; main()"
)


def official_analysis(
    protocol: Path, labware: Sequence[Path] = (), *, legacy_modules: bool = False
) -> list[dict[str, Any]]:
    """The commands of ``opentrons analyze`` (in a child process, as users run it).

    ``legacy_modules``: the protocol loads modules below apiLevel 2.14 (see above).
    """
    output = protocol.with_name(f".{protocol.stem}.analysis.json")
    cli = ("-c", _ANALYZE_AS_ON_THE_ROBOT) if legacy_modules else ("-m", "opentrons.cli")
    try:
        subprocess.run(
            [
                *(sys.executable, *cli, "analyze", "--check"),
                *("--json-output", str(output), str(protocol), *map(str, labware)),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        analysis = json.loads(output.read_text())
    finally:
        output.unlink(missing_ok=True)
    assert not analysis["errors"], analysis["errors"]
    commands: list[dict[str, Any]] = analysis["commands"]
    return commands


def live_commands(
    protocol: Path,
    robot_url: str,
    labware: Sequence[Path] = (),
    on_pause: Callable[[str], None] = lambda message: None,
) -> list[dict[str, Any]]:
    """Run ``protocol`` live on the robot as ``otlink run`` does (homing first, as a protocol
    run does); the commands its robot run holds, as the robot reports them."""
    report = run_protocol_file(protocol, robot_url, labware=labware, on_pause=on_pause)
    with RobotClient(robot_url) as client:
        assert not client.get_run(report.robot_run_id).current
        # Lookahead's holds keep the played run open: they are otlink's, not the protocol's.
        return [
            command.model_dump(mode="json")
            for command in client.iter_commands(report.robot_run_id)
            if command.commandType != "waitForResume"
        ]


def comparable(commands: Sequence[dict[str, Any]]) -> list[Step]:
    """(commandType, params) with every id a load made replaced by ``<kind>#<n>``.

    A live run's loads carry their id as a param (the robot takes the local engine's id); the
    analysis' loads have it only in their result.
    """
    names: dict[str, str] = {}
    steps: list[Step] = []
    for command in commands:
        params = dict(command["params"])
        kind = _LOADED_ID.get(command["commandType"])
        if kind is not None:
            made = params.pop(kind, None) or command["result"][kind]
            names[made] = f"{kind}#{len(names)}"
        steps.append((command["commandType"], _renamed(params, names)))
    return steps


def as_live_run(analysis: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The analysis' commands as a live run documents it holds them:

    * no ``loadLiquid`` of a named liquid (liquids cannot be defined over HTTP);
    * no ``waitForResume``, and manual ``moveLabware`` without its pause: the laptop waits;
    * below apiLevel 2.16, what goes into the fixed-trash labware goes to the trash area.
    """
    return [rewritten for command in analysis for rewritten in _as_live(command)]


def _as_live(command: dict[str, Any]) -> Iterator[dict[str, Any]]:
    kind, params = command["commandType"], command["params"]
    if kind == "waitForResume" or (kind == "loadLiquid" and params["liquidId"] != "EMPTY"):
        return
    if params.get("strategy") == "manualMoveWithPause":
        yield {**command, "params": {**params, "strategy": "manualMoveWithoutPause"}}
    elif params.get("labwareId") == _TRASH:
        yield from _into_trash_area(kind, params)
    else:
        yield command


def _into_trash_area(kind: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    # The robot fills in the defaults of what it is sent; so does this, to compare like with like.
    pipette = {"pipetteId": params["pipetteId"]}
    area = {
        "forceDirect": False,
        **pipette,
        "addressableAreaName": _TRASH,
        "offset": params["wellLocation"]["offset"],
    }
    if kind == "dropTip":
        drop = {"alternateDropLocation": params["alternateDropLocation"]}
        yield _command(
            "moveToAddressableAreaForDropTip", {**area, **drop, "ignoreTipConfiguration": True}
        )
        yield _command("dropTipInPlace", pipette)
        return
    if kind == "moveToWell":
        path = {
            key: params[key] for key in ("forceDirect", "minimumZHeight", "speed") if key in params
        }
        yield _command("moveToAddressableArea", {**area, **path, "stayAtHighestPossibleZ": False})
        return
    yield _command("moveToAddressableArea", {**area, "stayAtHighestPossibleZ": False})
    if kind == "blowout":
        yield _command("blowOutInPlace", {"flowRate": params["flowRate"], **pipette})
    elif kind == "dispense":
        kept: dict[str, Any] = {
            name: params[name] for name in ("flowRate", "volume", "pushOut") if name in params
        }
        yield _command("dispenseInPlace", {**kept, **pipette})
    else:
        raise AssertionError(f"{kind} into the fixed trash has no documented live form")


def _command(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"commandType": kind, "params": params}


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {key: _renamed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, names) for item in value]
    return value
