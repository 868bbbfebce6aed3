"""Soak (slow tier): a 1,000-command lookahead run through a fault proxy injecting, with a fixed
seed, random cuts, stalls, truncations and short outages. The run either completes with every
command exactly once and in order, or fails cleanly with the robot's run not left active; nothing
runs twice, and the client never hangs."""

from __future__ import annotations

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


@pytest.mark.slow
@pytest.mark.parametrize("seed", [10, 11, 12])
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
            run = LookaheadRun(client, depth=chance.randint(8, 48))
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
