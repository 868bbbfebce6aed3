"""What the virtual OT-2 spends at a lookahead hold: ms per queued command post, per play, per read.

With lookahead (``otlink.runs``) the client posts each next batch of commands while the robot
waits at a hold (a ``waitForResume`` command: the run is paused), then plays the run; the robot
stands idle meanwhile. This bench does the same on a played run: at each hold it posts a batch of
pickUpTip / aspirate / dispense / dropTip commands (intent protocol, waitUntilComplete=false) and
a new hold behind them, reads the hold (GET /runs/{id}/commands/{id}, 10 times) and plays, then
waits for the new hold. It prints, per request kind, the client's wall time (median and p90)
and, for the posts and reads made while the run is paused, the server's CPU per request.

``--against CHECKOUT`` serves a second virtual OT-2 from another checkout's ``src`` (main's, say)
in the same rounds, alternating: an A/B of the two trees on the same machine load.

    python bench/emulator_posts.py [--batches 12] [--batch 16] [--rounds 3] [--against ../main]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from emulator import SETUP, BenchServer, cpu_seconds, cycle_commands

KINDS = ("queued post", "play", "GET command at a hold")
READS = 10  # reads of the hold at each hold: the server's CPU clock ticks in 10 ms


class Robot:
    """One keep-alive connection to a bench server, timing each request."""

    def __init__(self, server: BenchServer) -> None:
        self.server = server
        host, port = server.url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)

    def call(self, method: str, path: str, body: Any = None) -> tuple[Any, float]:
        """The answer's JSON and the request's wall time in ms."""
        headers = {"Opentrons-Version": "4", "Content-Type": "application/json"}
        payload = None if body is None else json.dumps(body)
        started = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=headers)
        answer = json.loads(self.connection.getresponse().read())
        return answer, 1000 * (time.perf_counter() - started)

    def post(self, run_id: str, command_type: str, params: dict[str, Any], **query: str) -> Any:
        intent = "setup" if query else "protocol"
        body = {"data": {"commandType": command_type, "params": params, "intent": intent}}
        suffix = "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
        return self.call("POST", f"/runs/{run_id}/commands{suffix}", body)

    def wait_at(self, run_id: str, hold_id: str) -> None:
        """Until the hold runs (the run paused at it)."""
        deadline = time.monotonic() + 60
        while self.call("GET", f"/runs/{run_id}/commands/{hold_id}")[0]["data"]["status"] != (
            "running"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the robot never reached the hold")
            time.sleep(0.002)


def one_run(server: BenchServer, batches: int, batch: int, samples: dict[str, list[float]]) -> None:
    """A played run through ``batches`` holds, its requests' times added to ``samples``.

    Each run has a connection of its own: uvicorn closes one idle for 5 s.
    """
    robot = Robot(server)
    run_id = robot.call("POST", "/runs", {"data": {}})[0]["data"]["id"]
    for command_type, params in SETUP:
        robot.post(run_id, command_type, params, waitUntilComplete="true")
    hold_id = robot.post(run_id, "waitForResume", {})[0]["data"]["id"]
    robot.call("POST", f"/runs/{run_id}/actions", {"data": {"actionType": "play"}})
    robot.wait_at(run_id, hold_id)
    commands = cycle_commands(batches * batch // 4)
    pid = robot.server.process.pid
    for index in range(batches):
        cpu = cpu_seconds(pid)
        for command_type, params in commands[index * batch : (index + 1) * batch]:
            samples["queued post"].append(robot.post(run_id, command_type, params)[1])
        answer, ms = robot.post(run_id, "waitForResume", {})
        samples["queued post"].append(ms)
        samples["queued post CPU"].append(1000 * (cpu_seconds(pid) - cpu) / (batch + 1))
        cpu = cpu_seconds(pid)
        for _ in range(READS):
            samples["GET command at a hold"].append(
                robot.call("GET", f"/runs/{run_id}/commands/{hold_id}")[1]
            )
        samples["GET command at a hold CPU"].append(1000 * (cpu_seconds(pid) - cpu) / READS)
        hold_id = answer["data"]["id"]
        play = {"data": {"actionType": "play"}}
        samples["play"].append(robot.call("POST", f"/runs/{run_id}/actions", play)[1])
        robot.wait_at(run_id, hold_id)
    robot.call("POST", f"/runs/{run_id}/actions", {"data": {"actionType": "stop"}})
    while robot.call("GET", f"/runs/{run_id}")[0]["data"]["status"] not in ("stopped", "failed"):
        time.sleep(0.01)
    robot.call("PATCH", f"/runs/{run_id}", {"data": {"current": False}})


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=12, help="holds per run")
    parser.add_argument("--batch", type=int, default=16, help="commands posted at each hold")
    parser.add_argument("--rounds", type=int, default=3, help="runs on each server")
    parser.add_argument("--against", type=Path, help="also serve this checkout's src (A/B)")
    args = parser.parse_args()
    if args.batches * args.batch > 4 * 96:
        parser.error("at most 384 commands a run (one rack of tips)")

    servers = {"this tree": BenchServer(quiet=True)}
    try:
        if args.against is not None:
            servers[str(args.against)] = BenchServer(source=args.against.resolve(), quiet=True)
        samples: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in servers}
        for server in servers.values():
            one_run(server, 2, 8, defaultdict(list))  # the same warm-up for each
        for _ in range(args.rounds):  # alternating, so the machine's load falls on both alike
            for name, server in servers.items():
                one_run(server, args.batches, args.batch, samples[name])
    finally:
        for server in servers.values():
            server.stop()

    print(
        f"{args.rounds} runs per server, {args.batches} holds of {args.batch} queued commands each;"
        f" load {os.getloadavg()[0]:.1f}; ms wall at the client (median / p90), server CPU ms"
    )
    print(f"  {'':<24}" + "".join(f"{name:>34}" for name in servers))
    for kind in KINDS:
        cells = []
        for name in servers:
            wall = samples[name][kind]
            cpu = samples[name].get(f"{kind} CPU")
            cpu_text = f" CPU {statistics.mean(cpu):5.2f}" if cpu else ""
            cells.append(f"{statistics.median(wall):6.2f} / {_p90(wall):6.2f}{cpu_text}".rjust(34))
        print(f"  {kind:<24}" + "".join(cells))


if __name__ == "__main__":
    main()
