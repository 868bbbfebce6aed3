"""How much otlink's client costs per command, next to the floor.

Starts a virtual OT-2 (or uses ``--url``), then posts the same aspirate/dispense commands,
each waited for on the robot (``waitUntilComplete``), three ways:

* otlink's ``RobotClient.enqueue_command`` (keys, at-most-once, typed result);
* a bare httpx keep-alive loop (the floor: nothing but HTTP and ``json``);
* a new connection per request (what many robot scripts do).

It prints wall time and this process's CPU time per command; the goal is otlink within
1.15x of the floor. Rounds alternate between the three so that drift hits them alike.

    python bench/client.py --commands 200 --rounds 5
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from otlink.client import RobotClient
from otlink.models import Command

HEADERS = {"Opentrons-Version": "3"}
WAIT = {"waitUntilComplete": "true", "timeout": "30000"}


def start_emulator() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "otlink", "emulate", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(1200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the emulator did not start")


def prepare(robot: RobotClient) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """A live run with a tip on the left pipette; returns it and the commands to post."""
    run = robot.create_run()
    return run.id, load_and_pick_up(
        lambda kind, params: robot.enqueue_command(run.id, kind, params)
    )


def load_and_pick_up(
    execute: Callable[[str, dict[str, Any]], Command | None],
) -> list[tuple[str, dict[str, Any]]]:
    """Home, load a p300 on the left, a tip rack and a plate, pick up a tip (each command by
    ``execute``); returns an aspirate and a dispense to repeat."""

    def result(command_type: str, params: dict[str, Any]) -> dict[str, Any]:
        command = execute(command_type, params)
        return (command.result if command else None) or {}

    result("home", {})
    pipette = result("loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left"})
    tips, plate = (
        result(
            "loadLabware",
            {
                "location": {"slotName": slot},
                "loadName": name,
                "namespace": "opentrons",
                "version": version,
            },
        )["labwareId"]
        for slot, name, version in (
            ("1", "opentrons_96_tiprack_300ul", 1),
            ("2", "corning_96_wellplate_360ul_flat", 2),
        )
    )
    result("pickUpTip", {"pipetteId": pipette["pipetteId"], "labwareId": tips, "wellName": "A1"})
    liquid = {
        "pipetteId": pipette["pipetteId"],
        "labwareId": plate,
        "volume": 10.0,
        "flowRate": 50.0,
    }
    return [("aspirate", {**liquid, "wellName": "A1"}), ("dispense", {**liquid, "wellName": "B1"})]


def measure(
    post: Callable[[str, dict[str, Any]], None], commands: list[Any]
) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for command_type, params in commands:
        post(command_type, params)
    return (time.perf_counter() - wall) / len(commands), (time.process_time() - cpu) / len(commands)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running robot or emulator (default: start one)")
    parser.add_argument("--commands", type=int, default=200, help="commands per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    process, url = (None, args.url) if args.url else start_emulator()
    try:
        with RobotClient(url) as robot, httpx.Client(base_url=url, headers=HEADERS) as bare:
            run_id, pair = prepare(robot)
            commands = pair * (args.commands // 2)
            path = f"/runs/{run_id}/commands"

            def with_otlink(command_type: str, params: dict[str, Any]) -> None:
                robot.enqueue_command(run_id, command_type, params)

            def with_keep_alive(command_type: str, params: dict[str, Any]) -> None:
                body = {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
                answer = bare.post(path, params=WAIT, json=body).json()
                assert answer["data"]["status"] == "succeeded"

            def with_new_connections(command_type: str, params: dict[str, Any]) -> None:
                body = {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
                answer = httpx.post(url + path, params=WAIT, json=body, headers=HEADERS).json()
                assert answer["data"]["status"] == "succeeded"

            ways = {
                "otlink RobotClient": with_otlink,
                "httpx keep-alive (floor)": with_keep_alive,
                "new connection per request": with_new_connections,
            }
            for post in ways.values():  # warm up connections and caches
                measure(post, commands[:10])
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
            for _ in range(args.rounds):
                for name, post in ways.items():
                    samples[name].append(measure(post, commands))
    finally:
        if process is not None:
            process.terminate()
            process.wait()
    floor_wall = statistics.median(w for w, _ in samples["httpx keep-alive (floor)"])
    floor_cpu = statistics.median(c for _, c in samples["httpx keep-alive (floor)"])
    print(f"{len(commands)} commands x {args.rounds} rounds against {url} (medians per command)")
    print(f"{'client':<28}{'wall ms':>9}{'x floor':>9}{'CPU ms':>9}{'x floor':>9}")
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"{name:<28}{wall * 1e3:>9.3f}{wall / floor_wall:>9.2f}"
            f"{cpu * 1e3:>9.3f}{cpu / floor_cpu:>9.2f}"
        )
    ratio = statistics.median(w for w, _ in samples["otlink RobotClient"]) / floor_wall
    verdict = "met" if ratio <= 1.15 else "MISSED"
    print(f"otlink / floor (wall): {ratio:.3f}  target <= 1.15: {verdict}")


if __name__ == "__main__":
    main()
