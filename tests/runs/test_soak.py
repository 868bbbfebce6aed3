"""Soak (slow tier): a 1,000-command lookahead run through a fault proxy injecting, with a fixed
seed, random cuts, stalls, truncations and short outages. The run either completes with every
command exactly once and in order, or fails cleanly with the robot's run not left active; nothing
runs twice, and the client never hangs.

The seeds: ``OTLINK_SOAK_SEEDS`` (comma-separated, e.g. ``OTLINK_SOAK_SEEDS=20,21,22``), else
``SEEDS``."""

from __future__ import annotations

import os
import random
import threading
from typing import Any

import pytest
from fault_proxy import Action, FaultProxy
from run_layer import QUICK

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import OtlinkError
from otlink.runs import LookaheadRun

COMMANDS = 1000
SEEDS = (10, 11, 12, 13, 14, 15)


def _seeds() -> list[int]:
    listed = os.environ.get("OTLINK_SOAK_SEEDS", "")
    return [int(seed) for seed in listed.split(",") if seed.strip()] or list(SEEDS)


@pytest.mark.slow
@pytest.mark.parametrize("seed", _seeds())
def test_a_thousand_commands_through_random_faults(
    robot: RobotClient, emulator: EmulatorProcess, seed: int
) -> None:
    chance = random.Random(seed)
    proxy = FaultProxy(("127.0.0.1", emulator.port))
    faults: list[str] = []

    def plan(method: str, path: str) -> Action:
        if chance.random() >= 0.01:
            return "PASS"
        fault: Action = chance.choice(
            ["DROP_REQUEST", "DROP_IN_FLIGHT", "DROP_RESPONSE", "TRUNCATE", "WITHHOLD", 0.5, "OUT"]
        )
        faults.append(f"{fault} {method} {path}")
        if fault == "OUT":
            proxy.outage(chance.uniform(1, 3))
            return "DROP_REQUEST"
        return fault

    proxy.plan = plan
    outcome: dict[str, Any] = {}

    def run() -> None:
        with RobotClient(proxy.url, options=QUICK) as client:
            depth = chance.randint(8, 48)
            try:
                run = LookaheadRun(client, depth=depth)
            except OtlinkError as error:  # the run could not be made: nothing may be left
                outcome["error"] = error
                return
            outcome["run_id"] = run.run_id
            try:
                for n in range(COMMANDS):
                    run.execute("comment", {"message": str(n)})
                outcome["end"] = run.finish()
            except OtlinkError as error:
                outcome["error"] = error
                outcome["end"] = run.stop()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=900)
    proxy.stop()
    assert not worker.is_alive(), f"the client hung; faults: {faults}"
    if "run_id" not in outcome:
        assert not [r.id for r in robot.list_runs() if r.current and not r.is_done], faults
        return
    record = robot.get_run(outcome["run_id"])
    assert record.is_done and not record.current, record.status
    ran = [
        c.params["message"]
        for c in robot.iter_commands(record.id)
        if c.commandType == "comment" and c.startedAt is not None
    ]
    if "error" in outcome:
        assert ran == [str(n) for n in range(len(ran))], (outcome["error"], faults)
        assert record.status in ("stopped", "failed")
    else:
        assert ran == [str(n) for n in range(COMMANDS)], faults
        assert record.status == "succeeded"
    assert faults, "the seed injected no fault"
