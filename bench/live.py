"""What a live protocol costs on top of the robot's own command time.

Starts a virtual OT-2 (or uses ``--url``) and runs, live through ``otlink.get_protocol_api``,
a 96-well transfer: a p300 single, a new tip from one 96 tip rack for each well, plate A's well
to the same well of plate B. Then it reads the robot run's commands back and prints:

* the wall time of the protocol (from the first load to the last drop, context start and
  close apart) and the number of commands the robot ran;
* the robot's own command time: the sum of ``completedAt - startedAt`` over its commands;
* otlink's overhead per command: (wall time - robot time) / commands. It holds the local
  pre-flight engine, the HTTP round trip and opentrons' Protocol API itself.

    python bench/live.py [--api-level 2.20] [--url http://127.0.0.1:31950]
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime

from otlink.live import LiveProtocolContext, get_protocol_api
from otlink.models import CommandSummary
from otlink.runs.ending import is_otlink_hold
from robot_url import robot_url


def transfer_96(protocol: LiveProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    source = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    destination = protocol.load_labware("corning_96_wellplate_360ul_flat", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    protocol.home()
    p300.transfer(100, source.wells(), destination.wells(), new_tip="always")


def robot_seconds(commands: list[CommandSummary]) -> float:
    total = 0.0
    for command in commands:
        if command.startedAt and command.completedAt:
            started = datetime.fromisoformat(command.startedAt.replace("Z", "+00:00"))
            completed = datetime.fromisoformat(command.completedAt.replace("Z", "+00:00"))
            total += (completed - started).total_seconds()
    return total


def measure(url: str, api_level: str) -> None:
    started = time.perf_counter()
    with get_protocol_api(api_level, robot=url) as protocol:
        ready = time.perf_counter()
        transfer_96(protocol)
        done = time.perf_counter()
        run = protocol.robot_run
        listed = run.client.iter_commands(run.id)
        # the holds otlink adds are waits for the laptop, not the robot's work
        commands = [c for c in listed if not is_otlink_hold(c.commandType, c.params)]
    closed = time.perf_counter()

    wall = done - ready
    robot = robot_seconds(commands)
    count = len(commands)
    kinds: dict[str, int] = {}
    for command in commands:
        kinds[command.commandType] = kinds.get(command.commandType, 0) + 1
    print(f"96-well transfer, apiLevel {api_level}, live against {url}")
    print(f"  context start        {ready - started:8.2f} s   close {closed - done:.2f} s")
    print(f"  protocol wall time   {wall:8.2f} s")
    print(
        f"  robot commands       {count:8d}     " + ", ".join(f"{k} {n}" for k, n in kinds.items())
    )
    print(f"  robot command time   {robot:8.2f} s   ({robot / count * 1000:.1f} ms per command)")
    print(f"  otlink overhead      {(wall - robot) / count * 1000:8.1f} ms per command")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-level", default="2.20")
    parser.add_argument("--url", help="a robot or emulator already running (default: start one)")
    options = parser.parse_args()
    with robot_url(options.url) as url:
        measure(url, options.api_level)


if __name__ == "__main__":
    main()
