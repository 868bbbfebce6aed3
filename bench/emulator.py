"""How fast the virtual OT-2 serves commands over HTTP, against its own engine in-process.

One live run: home, load two pipettes, a tip rack and a plate, then N cycles of
pickUpTip / aspirate / dispense / dropTip. Over HTTP the commands are posted one by one from a
single keep-alive client (waitUntilComplete=true); in-process the same requests go straight to a
RunOrchestrator on the same simulated hardware. Both run in this one invocation, and the ratio
is what HTTP costs.

    python bench/emulator.py [--cycles 96] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import statistics
import time
from typing import Any

from otlink.emulator import RobotSettings
from otlink.emulator.child_process import EmulatorProcess


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    commands = args.cycles * 4

    server = EmulatorProcess()
    try:
        over_http(server.url, 8)  # warm up both sides once
        asyncio.run(in_process(8))
        http_times, engine_times = [], []
        for _ in range(args.repeats):
            http_times.append(over_http(server.url, args.cycles))
            engine_times.append(asyncio.run(in_process(args.cycles)))
    finally:
        server.stop()

    http_rate = commands / statistics.median(http_times)
    engine_rate = commands / statistics.median(engine_times)
    print(
        f"{commands} commands ({args.cycles} pickUpTip/aspirate/dispense/dropTip cycles), "
        f"median of {args.repeats}"
    )
    print(f"  engine in-process : {engine_rate:8.1f} commands/s")
    print(f"  over HTTP         : {http_rate:8.1f} commands/s  (one keep-alive client)")
    print(f"  HTTP / in-process : {http_rate / engine_rate:8.2f}")


if __name__ == "__main__":
    main()
