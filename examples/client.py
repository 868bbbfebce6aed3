"""The blocking client: a live run on the robot, one atomic command at a time.

    python client.py 10.0.0.5          # or OTLINK_ROBOT=10.0.0.5; default: a local otlink emulate
"""

from __future__ import annotations

import os
import sys
from typing import Any

from otlink import RobotClient
from otlink.errors import CommandFailed


def main(address: str) -> None:
    with RobotClient(address) as robot:
        health = robot.health()
        print(f"{health.name} ({health.robot_model}), robot software {health.api_version}")
        run = robot.create_run()  # a live run: this script sends its commands

        def command(command_type: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
            done = robot.enqueue_command(run.id, command_type, params or {})
            print(f"  {command_type}: {done.status}")
            return done.result or {}

        try:
            command("home")
            pipette = command("loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left"})
            tips = command("loadLabware", labware("opentrons_96_tiprack_300ul", 1, "1"))
            plate = command("loadLabware", labware("corning_96_wellplate_360ul_flat", 2, "2"))
            pipette_id = pipette["pipetteId"]
            in_plate = {"pipetteId": pipette_id, "labwareId": plate["labwareId"]}
            command("pickUpTip", {**well(pipette_id, tips["labwareId"], "A1")})
            command("aspirate", {**in_plate, "wellName": "A1", "volume": 100, "flowRate": 92.86})
            command("dispense", {**in_plate, "wellName": "B1", "volume": 100, "flowRate": 92.86})
            command("dropTip", {**well(pipette_id, tips["labwareId"], "A1")})
            # The robot refuses what cannot be done, with its own error: no tip to aspirate with.
            command("aspirate", {**in_plate, "wellName": "A1", "volume": 10, "flowRate": 92.86})
        except CommandFailed as failure:
            print(f"  refused by the robot: {failure.error_type}: {failure.detail}")
        finally:
            robot.archive_run(run.id)  # the robot may take another run now
        print(f"run {run.id}: {len(robot.list_commands(run.id).data)} commands")


def labware(load_name: str, version: int, slot: str) -> dict[str, Any]:
    return {
        "loadName": load_name,
        "namespace": "opentrons",
        "version": version,
        "location": {"slotName": slot},
    }


def well(pipette_id: str, labware_id: str, name: str) -> dict[str, Any]:
    return {"pipetteId": pipette_id, "labwareId": labware_id, "wellName": name}


if __name__ == "__main__":
    address = sys.argv[1] if sys.argv[1:] else os.environ.get("OTLINK_ROBOT", "127.0.0.1:31950")
    main(address)
