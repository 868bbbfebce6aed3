"""What the waited mode's honest records cost per command, next to the floor.

The waited mode (get_protocol_api's default, otlink.runs.WaitedRun) sends each command as a
protocol command of the played run, waited for, with a new hold (``waitForResume``) and a
``play`` pipelined on a second connection: the robot records the run ``failed`` after a failure.
This bench sets it beside the floors, per one-way delay ``d`` (a delaying proxy of
bench/latency.py in front of a virtual OT-2):

* the raw floor: setup commands of an unplayed run, each waited for, over one raw keep-alive
  socket (nothing but bytes);
* bench/client.py's floor: the same over httpx keep-alive (the floor the budget is set against:
  within 1.15x);
* WaitedRun: the same aspirate/dispense commands, each waited for, through otlink's waited mode.

Medians per command over the rounds, which alternate the order of the runs; the ratios are to
the httpx floor. It also counts the races WaitedRun repaired (a hold that reached the robot
before its command; a lost play), read from the holds in the robot's record.

    python bench/waited_records.py --delays 0 10 50 --commands 60 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import time
from typing import Any

import httpx

from client import HEADERS, WAIT, load_and_pick_up, prepare
from latency import DelayProxy
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.runs import WaitedRun


def raw_floor(port: int, run_id: str, commands: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds per command: setup commands waited for over one raw keep-alive socket."""
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        started = time.perf_counter()
        for command_type, params in commands:
            body = json.dumps(
                {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
            ).encode()
            raw.sendall(
                f"POST /runs/{run_id}/commands?waitUntilComplete=true&timeout=30000 HTTP/1.1\r\n"
                f"Host: 127.0.0.1\r\nOpentrons-Version: 3\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            while b"\r\n\r\n" not in buffer:
                buffer += raw.recv(65536)
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            while len(buffer) < length:
                buffer += raw.recv(65536)
            answer, buffer = json.loads(buffer[:length]), buffer[length:]
            assert answer["data"]["status"] == "succeeded"
        return (time.perf_counter() - started) / len(commands)


def floors(robot: RobotClient, port: int, count: int) -> tuple[float, float]:
    """Seconds per command of the raw floor and of bench/client.py's httpx floor."""
    run_id, pair = prepare(robot)
    commands = pair * (count // 2)
    raw = raw_floor(port, run_id, commands)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HEADERS) as bare:
        started = time.perf_counter()
        for command_type, params in commands:
            body = {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
            answer = bare.post(f"/runs/{run_id}/commands", params=WAIT, json=body).json()
            assert answer["data"]["status"] == "succeeded"
        bare_floor = (time.perf_counter() - started) / len(commands)
    robot.stop_run(run_id)
    robot.wait_for_run(run_id, timeout=60)
    robot.archive_run(run_id)
    return raw, bare_floor


def waited(robot: RobotClient, count: int, races: dict[str, int]) -> float:
    """Seconds per command through WaitedRun; the repaired races are added to ``races``."""
    run = WaitedRun(robot)
    commands = load_and_pick_up(run.execute) * (count // 2)
    started = time.perf_counter()
    for command_type, params in commands:
        run.execute(command_type, params)
    per_command = (time.perf_counter() - started) / len(commands)
    end = run.finish()
    assert end.status == "succeeded", end
    holds = sum(1 for c in robot.iter_commands(run.run_id) if c.commandType == "waitForResume")
    played = sum(1 for action in robot.get_run(run.run_id).actions if action.actionType == "play")
    # one hold per command and the first (5 commands set up); a play per hold and the last
    races["holds ahead"] += holds - (len(commands) + 5 + 1)
    races["plays again"] += played - (holds + 1)
    return per_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delays", type=float, nargs="+", default=[0, 10, 50], metavar="MS")
    parser.add_argument("--commands", type=int, default=60, help="commands per run")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    emulator = EmulatorProcess()
    try:
        print(f"{options.commands} commands x {options.rounds} rounds (medians per command)")
        print(f"{'d ms':>5} {'raw floor ms':>18} {'httpx floor ms':>15} {'WaitedRun ms':>18}")
        for delay in options.delays:
            proxy = DelayProxy(emulator.port, delay / 1000) if delay else None
            port = proxy.port if proxy else emulator.port
            samples: dict[str, list[float]] = {"raw": [], "httpx": [], "waited": []}
            races = {"holds ahead": 0, "plays again": 0}
            with RobotClient(f"127.0.0.1:{port}") as robot:
                for round_ in range(options.rounds):
                    for first in (True, False) if round_ % 2 else (False, True):
                        if first:
                            raw, bare = floors(robot, port, options.commands)
                            samples["raw"].append(raw)
                            samples["httpx"].append(bare)
                        else:
                            samples["waited"].append(waited(robot, options.commands, races))
            if proxy:
                proxy.stop()
            raw, bare, mine = (statistics.median(samples[k]) * 1e3 for k in samples)
            print(
                f"{delay:>5g} {raw:>10.2f} {raw / bare:>6.2f}x {bare:>15.2f}"
                f" {mine:>10.2f} {mine / bare:>6.2f}x   races repaired: "
                + ", ".join(f"{name} {n}" for name, n in races.items()),
                flush=True,
            )
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
