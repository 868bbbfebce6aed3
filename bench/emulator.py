"""How fast the virtual OT-2 serves commands over HTTP, against its own engine in-process.

One live run: home, load two pipettes, a tip rack and a plate, then N cycles of
pickUpTip / aspirate / dispense / dropTip. Over HTTP the commands are posted one by one from a
single keep-alive client (waitUntilComplete=true); in-process the same requests go straight to a
RunOrchestrator on the same simulated hardware. Both run in this one invocation, in pairs: each
round runs the HTTP side and the in-process side back to back (which goes first alternates), and
each pair gives one ratio, so a change of the machine's load between rounds falls on both sides of
a pair alike. The figure is the median of the pairs' ratios, printed with their spread.

``--against CHECKOUT`` also serves a virtual OT-2 from another checkout's ``src`` (main's, say), in
the same rounds: an A/B of the two trees. ``--layers`` adds servers with the layers a command post
passes besides its route (the fault hook, the access guard, the body limit) switched off one at a
time, to show what each costs.

    python bench/emulator.py [--cycles 96] [--pairs 5] [--against ../main] [--layers]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from otlink.emulator import RobotSettings
from otlink.emulator.server import free_port


def _well(labware: str, name: str, origin: str = "top", z: float = 0) -> dict[str, Any]:
    return {
        "labwareId": labware,
        "wellName": name,
        "wellLocation": {"origin": origin, "offset": {"x": 0, "y": 0, "z": z}},
    }


SETUP: list[tuple[str, dict[str, Any]]] = [
    ("home", {}),
    ("loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left", "pipetteId": "left"}),
    ("loadPipette", {"pipetteName": "p20_single_gen2", "mount": "right", "pipetteId": "right"}),
    (
        "loadLabware",
        {
            "location": {"slotName": "1"},
            "loadName": "opentrons_96_tiprack_300ul",
            "namespace": "opentrons",
            "version": 1,
            "labwareId": "tips",
        },
    ),
    (
        "loadLabware",
        {
            "location": {"slotName": "2"},
            "loadName": "corning_96_wellplate_360ul_flat",
            "namespace": "opentrons",
            "version": 2,
            "labwareId": "plate",
        },
    ),
]


def cycle_commands(cycles: int) -> list[tuple[str, dict[str, Any]]]:
    wells = [f"{row}{column}" for column in range(1, 13) for row in "ABCDEFGH"]
    commands: list[tuple[str, dict[str, Any]]] = []
    for index in range(cycles):
        well = wells[index % len(wells)]
        liquid = {"pipetteId": "left", "volume": 100, "flowRate": 92.86}
        commands += [
            ("pickUpTip", {"pipetteId": "left", **_well("tips", well)}),
            ("aspirate", {**liquid, **_well("plate", well, "bottom", 1)}),
            ("dispense", {**liquid, **_well("plate", wells[-1 - index % 96], "bottom", 1)}),
            ("dropTip", {"pipetteId": "left", **_well("tips", well, "default")}),
        ]
    return commands


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, all its threads."""
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


@dataclass
class Timing:
    """One variant's runs: wall seconds, and the server's CPU seconds, per run."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def cpu_ms(self, commands: int) -> float:
        return 1000 * statistics.median(self.cpu) / commands


def timed_over_http(server: BenchServer, cycles: int, timing: Timing) -> None:
    before = cpu_seconds(server.process.pid)
    timing.wall.append(over_http(server.url, cycles))
    timing.cpu.append(cpu_seconds(server.process.pid) - before)


async def timed_in_process(cycles: int, timing: Timing) -> None:
    before = time.process_time()
    timing.wall.append(await in_process(cycles))
    timing.cpu.append(time.process_time() - before)


def over_http(url: str, cycles: int) -> float:
    """Seconds for the cycles over HTTP, setup excluded.

    The client is the standard library's keep-alive HTTPConnection: it costs the least of any
    Python client, so the figure is the server's, not the client library's.
    """
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Opentrons-Version": "4", "Content-Type": "application/json"}

    def call(method: str, path: str, body: Any = None) -> Any:
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, body=payload, headers=headers)
        return json.loads(connection.getresponse().read())

    run_id = call("POST", "/runs", {"data": {}})["data"]["id"]

    def post(command_type: str, params: dict[str, Any]) -> None:
        command = call(
            "POST",
            f"/runs/{run_id}/commands?waitUntilComplete=true",
            {"data": {"commandType": command_type, "params": params}},
        )["data"]
        assert command["status"] == "succeeded", command

    for command in SETUP:
        post(*command)
    started = time.perf_counter()
    for command in cycle_commands(cycles):
        post(*command)
    elapsed = time.perf_counter() - started
    call("PATCH", f"/runs/{run_id}", {"data": {"current": False}})
    connection.close()
    return elapsed


async def in_process(cycles: int) -> float:
    """Seconds for the same cycles on an engine in this process, setup excluded."""
    from opentrons.protocol_engine import CommandIntent
    from opentrons.protocol_engine.commands import CommandCreateAdapter

    from otlink.emulator.engines import build_orchestrator
    from otlink.emulator.hardware import build_hardware

    hardware = await build_hardware(RobotSettings())
    orchestrator = await build_orchestrator(hardware, run_id="bench")
    orchestrator.prepare()

    async def run(command_type: str, params: dict[str, Any]) -> None:
        request = CommandCreateAdapter.validate_python(
            {"commandType": command_type, "params": params, "intent": CommandIntent.SETUP}
        )
        added = await orchestrator.add_command_and_wait_for_interval(
            request, wait_until_complete=True
        )
        assert orchestrator.get_command(added.id).status == "succeeded"

    for command in SETUP:
        await run(*command)
    started = time.perf_counter()
    for command in cycle_commands(cycles):
        await run(*command)
    elapsed = time.perf_counter() - started
    await hardware.clean_up()
    return elapsed


# The per-request layers a command post passes besides the route, each switched off in a variant
# (``--layers``), and the answer written in two writes (headers, then body), as uvicorn itself does.
LAYER_VARIANTS: dict[str, tuple[str, ...]] = {
    "without fault hook": ("faults",),
    "without access guard": ("access",),
    "without body limit": ("body",),
    "without all three": ("faults", "access", "body"),
    "two writes per answer": ("coalescing",),  # uvicorn's own protocol, as before
}


class BenchServer:
    """:func:`serve` in a child process of this bench, on a free port.

    ``source``: a checkout whose ``src`` the child imports otlink from instead of this tree's;
    ``quiet``: its log is not shown (a bench that stops runs makes the engine log each stop).
    """

    def __init__(
        self, without: tuple[str, ...] = (), source: Path | None = None, quiet: bool = False
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        options = [f"--without={layer}" for layer in without]
        command = [sys.executable, __file__, "--serve", "--port", str(self.port), *options]
        env = dict(os.environ)
        if source is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(source / "src"), env.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if quiet else None,
            env=env,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the bench's server {without} did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def serve(port: int, without: tuple[str, ...]) -> None:
    """Serve a virtual OT-2 with the layers in ``without`` taken out (the bench's own child)."""
    from otlink.emulator import EmulatorServer, engines
    from otlink.emulator.access import AccessGuard
    from otlink.emulator.body_limit import BodySizeLimit

    if "faults" in without:
        engines.inject_faults = lambda *args, **kwargs: None  # type: ignore[assignment]
    server = EmulatorServer(RobotSettings(), port=port)
    config = server._server._server.config  # uvicorn's, read when the server starts
    if "coalescing" in without:
        config.http = "httptools"
    app = config.app  # the FastAPI app: its middleware stack is built at start
    removed = {AccessGuard if "access" in without else None}
    removed.add(BodySizeLimit if "body" in without else None)
    app.user_middleware = [m for m in app.user_middleware if m.cls not in removed]
    server.serve()


async def layer_microseconds(calls: int = 20000) -> dict[str, float]:
    """CPU microseconds the access guard and the body limit add to one command post.

    Each wraps an app that only reads the body and answers; the same post goes through
    ``calls`` times. CPU time, not wall time: it holds on a busy machine.
    """
    from otlink.emulator.access import AccessGuard, AccessPolicy
    from otlink.emulator.body_limit import BodySizeLimit

    params = {"pipetteId": "left", "volume": 100, "flowRate": 92.86, **_well("plate", "A1")}
    body = json.dumps({"data": {"commandType": "aspirate", "params": params}}).encode()
    headers = [(b"host", b"127.0.0.1:31950"), (b"opentrons-version", b"4")]
    headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {"type": "http", "method": "POST", "path": "/runs/r/commands", "headers": headers}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        pass

    async def answer(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def per_call(app: Any) -> float:
        started = time.process_time()
        for _ in range(calls):
            await app(scope, receive, send)
        return (time.process_time() - started) / calls * 1e6

    bare = await per_call(answer)
    return {
        "access guard": await per_call(AccessGuard(answer, AccessPolicy())) - bare,
        "body limit": await per_call(BodySizeLimit(answer)) - bare,
    }


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=96)
    parser.add_argument("--pairs", type=int, default=5, help="rounds of HTTP and in-process runs")
    parser.add_argument("--against", type=Path, help="also serve this checkout's src (A/B)")
    parser.add_argument("--layers", action="store_true", help="also serve without each layer")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--without", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.port, tuple(args.without))
        return
    commands = args.cycles * 4

    servers: dict[str, BenchServer] = {}
    try:
        servers["as shipped"] = BenchServer()
        if args.against is not None:
            servers[f"{args.against}"] = BenchServer(source=args.against.resolve())
        for name, without in LAYER_VARIANTS.items() if args.layers else ():
            servers[name] = BenchServer(without)
        for server in servers.values():
            over_http(server.url, 8)  # the same warm-up for every side
        asyncio.run(in_process(8))
        http = {name: Timing() for name in servers}
        engine = Timing()
        for round_ in range(args.pairs):
            if round_ % 2 == 0:
                asyncio.run(timed_in_process(args.cycles, engine))
            for name, server in servers.items():
                timed_over_http(server, args.cycles, http[name])
            if round_ % 2 == 1:
                asyncio.run(timed_in_process(args.cycles, engine))
    finally:
        for server in servers.values():
            server.stop()

    engine_rates = [commands / wall for wall in engine.wall]
    print(
        f"{commands} commands ({args.cycles} pickUpTip/aspirate/dispense/dropTip cycles), "
        f"{args.pairs} pairs of runs; CPU: the serving process's, the run's setup included"
    )
    print(
        f"  {'engine in-process':<34}: {statistics.median(engine_rates):7.1f} commands/s"
        f" (runs {min(engine_rates):.0f}-{max(engine_rates):.0f})"
        f"{'':15}CPU {engine.cpu_ms(commands):5.2f} ms/command"
    )
    ratios: dict[str, list[float]] = {}
    for name, timing in http.items():
        rates = [commands / wall for wall in timing.wall]
        ratios[name] = [
            rate / engine_rate for rate, engine_rate in zip(rates, engine_rates, strict=True)
        ]
        print(
            f"  {'over HTTP, ' + name:<34}: {statistics.median(rates):7.1f} commands/s"
            f" (runs {min(rates):.0f}-{max(rates):.0f})"
            f" {statistics.median(ratios[name]):5.2f}x ({_spread(ratios[name])})"
            f"  CPU {timing.cpu_ms(commands):5.2f} ms/command"
        )
    if args.layers:
        for layer, microseconds in asyncio.run(layer_microseconds()).items():
            print(f"  {layer + ' per command post':<34}: {microseconds:7.1f} µs CPU")
    shipped = ratios["as shipped"]
    print(
        f"  {'HTTP / in-process':<34}: {statistics.median(shipped):7.2f}"
        f"  (as shipped; median of {len(shipped)} pairs, {_spread(shipped)}; load"
        f" {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
