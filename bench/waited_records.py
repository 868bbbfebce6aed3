"""What an honest failure record would cost the waited mode: a prototype, measured.

The robot records a live run ``failed`` only for a failed protocol-intent command of a played
run, and a played live run ends as soon as nothing is queued (tests/runs/test_waited_records.py).
So a waited mode with honest records sends each command as a protocol command, waited for, with
a hold (``waitForResume``) behind it and a play that releases the hold before it: three requests
per command. This bench measures the best case of that design next to the floor and today's
waited mode, per one-way delay ``d`` (a delaying proxy of bench/latency.py in front of a virtual
OT-2): the command is posted waited on one connection while its hold and the play go pipelined
(written back to back) on a second one. It also counts the races that design must repair: the
hold reaching the robot before its command (seen for free in the hold's own key, which the robot
chains over the types of the protocol commands queued before it) and a play reaching the robot
before the hold it is meant for has started (lost: the robot stops at that hold; seen only by a
look at the robot when the command's answer is late).

Columns: the floor (setup commands waited for over one raw keep-alive connection, the prototype's
own transport), bench/client.py's floor (the same over httpx keep-alive), otlink's waited mode
(RobotClient) and the prototype; medians per command, ratios to the raw floor. Rounds alternate
the order of the runs.

    python bench/waited_records.py --delays 0 10 50 --commands 40 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import time
from hashlib import md5
from typing import Any

import httpx

from client import HEADERS, WAIT, prepare
from latency import DelayProxy
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess

HOLD = {"data": {"commandType": "waitForResume", "params": {}, "intent": "protocol"}}
PLAY = {"data": {"actionType": "play"}}
LATE_MS = 1000  # a command answering later than this makes the prototype look at the robot


class PipelinedConnection:
    """One keep-alive HTTP/1.1 connection on which requests may be written back to back."""

    def __init__(self, port: int) -> None:
        self._socket = socket.create_connection(("127.0.0.1", port))
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""

    @staticmethod
    def post(path: str, body: dict[str, Any]) -> bytes:
        data = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOpentrons-Version: 3\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        return head.encode() + data

    def send(self, *requests: bytes) -> None:
        self._socket.sendall(b"".join(requests))

    def answer(self) -> dict[str, Any]:
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self._socket.recv(65536)
        head, _, rest = self._buffer.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        while len(rest) < length:
            rest += self._socket.recv(65536)
        self._buffer = rest[length:]
        answer: dict[str, Any] = json.loads(rest[:length])
        return answer


def chained(before: str, command_type: str) -> str:
    """The key the robot gives a keyless protocol command queued after one keyed ``before``."""
    return md5(before.encode() + md5(command_type.encode()).digest()).hexdigest()


def floors_and_waited(robot: RobotClient, port: int, count: int) -> tuple[float, float, float]:
    """Seconds per command: setup commands over a raw connection, over httpx, then through
    RobotClient."""
    run_id, pair = prepare(robot)
    commands = pair * (count // 2)
    raw, path = PipelinedConnection(port), f"/runs/{run_id}/commands"
    started = time.perf_counter()
    for command_type, params in commands:
        body = {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
        raw.send(raw.post(path + "?waitUntilComplete=true&timeout=30000", body))
        assert raw.answer()["data"]["status"] == "succeeded"
    floor = (time.perf_counter() - started) / len(commands)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=HEADERS) as bare:
        started = time.perf_counter()
        for command_type, params in commands:
            body = {"data": {"commandType": command_type, "params": params, "intent": "setup"}}
            answer = bare.post(path, params=WAIT, json=body).json()
            assert answer["data"]["status"] == "succeeded"
        httpx_floor = (time.perf_counter() - started) / len(commands)
    started = time.perf_counter()
    for command_type, params in commands:
        robot.enqueue_command(run_id, command_type, params)
    waited = (time.perf_counter() - started) / len(commands)
    robot.stop_run(run_id)
    robot.wait_for_run(run_id, timeout=60)
    robot.archive_run(run_id)
    return floor, httpx_floor, waited


def played(robot: RobotClient, port: int, count: int, races: dict[str, int]) -> float:
    """Seconds per command of the prototype, its races counted (and repaired) in ``races``."""
    run_id, pair = prepare(robot)
    commands = pair * (count // 2)
    path, actions = f"/runs/{run_id}/commands", f"/runs/{run_id}/actions"
    waits, holds = PipelinedConnection(port), PipelinedConnection(port)
    holds.send(holds.post(path, HOLD), holds.post(actions, PLAY))
    chain = holds.answer()["data"]["key"]
    holds.answer()
    while robot.get_run(run_id).status != "paused":
        time.sleep(0.01)
    started = time.perf_counter()
    for command_type, params in commands:
        body = {"data": {"commandType": command_type, "params": params, "intent": "protocol"}}
        waits.send(waits.post(f"{path}?waitUntilComplete=true&timeout={LATE_MS}", body))
        holds.send(holds.post(path, HOLD), holds.post(actions, PLAY))
        hold_key = holds.answer()["data"]["key"]
        holds.answer()
        if hold_key == chained(chain, "waitForResume"):  # the hold went first: hold again
            races["hold first"] += 1
            holds.send(holds.post(path, HOLD), holds.post(actions, PLAY))
            hold_key = holds.answer()["data"]["key"]
            holds.answer()
        else:
            assert hold_key == chained(chained(chain, command_type), "waitForResume")
        chain = hold_key
        command = waits.answer()["data"]
        if command["status"] != "succeeded":
            if robot.get_run(run_id).status == "paused" and command["status"] == "queued":
                races["play lost"] += 1  # the robot stopped at the hold before the command
                robot.play_run(run_id)
            else:
                races["late"] += 1
            while robot.get_command(run_id, command["id"]).status != "succeeded":
                time.sleep(0.005)
    per_command = (time.perf_counter() - started) / len(commands)
    robot.stop_run(run_id)
    robot.wait_for_run(run_id, timeout=60)
    robot.archive_run(run_id)
    return per_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delays", type=float, nargs="+", default=[0, 10, 50], metavar="MS")
    parser.add_argument("--commands", type=int, default=40, help="commands per run")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    emulator = EmulatorProcess()
    try:
        print(f"{options.commands} commands x {options.rounds} rounds (medians per command)")
        print(
            f"{'d ms':>5} {'floor ms':>9} {'httpx floor':>15} {'otlink waited':>15}"
            f" {'played, a hold per command':>28}"
        )
        for delay in options.delays:
            proxy = DelayProxy(emulator.port, delay / 1000) if delay else None
            port = proxy.port if proxy else emulator.port
            samples: dict[str, list[float]] = {"floor": [], "httpx": [], "waited": [], "played": []}
            races = {"hold first": 0, "play lost": 0, "late": 0}
            with RobotClient(f"127.0.0.1:{port}") as robot:
                for round_ in range(options.rounds):
                    for idle in (True, False) if round_ % 2 else (False, True):
                        if idle:
                            idle_runs = floors_and_waited(robot, port, options.commands)
                            for name, seconds in zip(samples, idle_runs, strict=False):
                                samples[name].append(seconds)
                        else:
                            samples["played"].append(played(robot, port, options.commands, races))
            if proxy:
                proxy.stop()
            floor, bare, waited, prototype = (statistics.median(samples[k]) * 1e3 for k in samples)
            print(
                f"{delay:>5g} {floor:>9.2f} {bare:>8.2f} {bare / floor:>5.2f}x"
                f" {waited:>8.2f} {waited / floor:>5.2f}x"
                f" {prototype:>13.2f} {prototype / floor:>5.2f}x   races: "
                + ", ".join(f"{name} {n}" for name, n in races.items()),
                flush=True,
            )
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
