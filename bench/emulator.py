"""How fast the virtual OT-2 serves commands over HTTP, against its own engine in-process.

One live run: home, load two pipettes, a tip rack and a plate, then N cycles of
pickUpTip / aspirate / dispense / dropTip. Over HTTP the commands are posted one by one from a
single keep-alive client (waitUntilComplete=true); in-process the same requests go straight to a
RunOrchestrator on the same simulated hardware. Both run in this one invocation, and the ratio
is what HTTP costs.

The virtual OT-2 is also served with the layers a command post passes besides its route (the
fault hook, the access guard, the body limit) switched off one at a time, to show what each costs.

    python bench/emulator.py [--cycles 96] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
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

    def rate(self, commands: int) -> float:
        return commands / statistics.median(self.wall)

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


# The per-request layers a command post passes besides the route, each switched off in a variant,
# and the answer written in two writes (headers, then body), as uvicorn itself does.
VARIANTS: dict[str, tuple[str, ...]] = {
    "as shipped": (),
    "without fault hook": ("faults",),
    "without access guard": ("access",),
    "without body limit": ("body",),
    "without all three": ("faults", "access", "body"),
    "two writes per answer": ("coalescing",),  # uvicorn's own protocol, as before
}


class BenchServer:
    """:func:`serve` in a child process of this bench, on a free port."""

    def __init__(self, without: tuple[str, ...]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        options = [f"--without={layer}" for layer in without]
        command = [sys.executable, __file__, "--serve", "--port", str(self.port), *options]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
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
        for name, without in VARIANTS.items():
            servers[name] = BenchServer(without)
        for server in servers.values():
            over_http(server.url, 8)  # warm up every side once
        asyncio.run(in_process(8))
        http = {name: Timing() for name in VARIANTS}
        engine = Timing()
        for _ in range(args.repeats):  # interleaved, so the machine's load falls on all alike
            for name, server in servers.items():
                timed_over_http(server, args.cycles, http[name])
            asyncio.run(timed_in_process(args.cycles, engine))
    finally:
        for server in servers.values():
            server.stop()

    engine_rate = engine.rate(commands)
    print(
        f"{commands} commands ({args.cycles} pickUpTip/aspirate/dispense/dropTip cycles), "
        f"median of {args.repeats}; CPU: the serving process's, the run's setup included"
    )
    print(
        f"  {'engine in-process':<31}: {engine_rate:7.1f} commands/s"
        f"        CPU {engine.cpu_ms(commands):5.2f} ms/command"
    )
    for name, timing in http.items():
        rate = timing.rate(commands)
        print(
            f"  {'over HTTP, ' + name:<31}: {rate:7.1f} commands/s {rate / engine_rate:5.2f}x"
            f"  CPU {timing.cpu_ms(commands):5.2f} ms/command"
        )
    for layer, microseconds in asyncio.run(layer_microseconds()).items():
        print(f"  {layer + ' per command post':<31}: {microseconds:7.1f} µs CPU")
    shipped = http["as shipped"].rate(commands)
    print(f"  {'HTTP / in-process':<31}: {shipped / engine_rate:7.2f}  (as shipped)")


if __name__ == "__main__":
    main()
