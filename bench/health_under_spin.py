"""How fast the virtual OT-2 answers /health while a protocol's run() loops in pure Python.

The run's protocol thread holds the GIL whenever it can; the server's event loop gets it back at
each switch interval: CPython's 5 ms, which the server lowers to 1 ms once a protocol's own code
has run a second (protocol_threads.py). Each round starts an emulator as built, then one per
fixed interval asked (set at its start by a sitecustomize of the bench's own, which then keeps the
server from changing it), times /health while idle and while a protocol spins, and prints median,
p95 and worst, with the machine's load.

    python bench/health_under_spin.py [--requests 200] [--fixed 0.005] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared test helpers

from otlink.emulator.child_process import EmulatorProcess
from protocol_http import upload

SPIN = (
    "requirements = {'robotType': 'OT-2', 'apiLevel': '2.20'}\n"
    "def run(ctx):\n    ctx.comment('spinning')\n    while True:\n        pass\n"
)
SITECUSTOMIZE = (
    "import os, sys\n"
    "if os.environ.get('OTLINK_BENCH_SWITCH_INTERVAL'):\n"
    "    sys.setswitchinterval(float(os.environ['OTLINK_BENCH_SWITCH_INTERVAL']))\n"
    "    sys.setswitchinterval = lambda interval: None\n"
)


def timings(robot: httpx.Client, requests: int) -> str:
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        robot.get("/health").raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
        time.sleep(0.02)
    took.sort()
    return (
        f"median {statistics.median(took):6.1f} ms  p95 {took[int(len(took) * 0.95)]:6.1f} ms"
        f"  worst {took[-1]:7.1f} ms"
    )


def measure(interval: float | None, requests: int) -> None:
    """Time /health idle and spinning on an emulator as built (None) or at a fixed interval."""
    os.environ["OTLINK_BENCH_SWITCH_INTERVAL"] = "" if interval is None else str(interval)
    server = EmulatorProcess(args=("--protocol-code-limit", "0"))
    try:
        headers = {"Opentrons-Version": "*"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as robot:
            robot.get("/health")
            time.sleep(3)  # the sandbox zygote's start-up is not what this measures
            idle = timings(robot, requests)
            protocol = upload(robot, {"spin.py": SPIN})
            run_id = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}}).json()[
                "data"
            ]["id"]
            actions = f"/runs/{run_id}/actions"
            robot.post(actions, json={"data": {"actionType": "play"}}).raise_for_status()
            while "spinning" not in robot.get(f"/runs/{run_id}/commands").text:
                time.sleep(0.05)
            spinning = timings(robot, requests)
            robot.post(actions, json={"data": {"actionType": "stop"}})
        label = "as built" if interval is None else f"fixed {interval * 1000:g} ms"
        print(f"{label:16} idle      {idle}", flush=True)
        print(f"{label:16} spinning  {spinning}", flush=True)
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--fixed", default="0.005", help="switch intervals to compare with, s, comma-separated"
    )
    parser.add_argument("--rounds", type=int, default=2, help="A/B rounds (the load drifts)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otlink-bench-") as site:
        Path(site, "sitecustomize.py").write_text(SITECUSTOMIZE)
        paths = [site, os.environ.get("PYTHONPATH", "")]
        os.environ["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
        for round_ in range(args.rounds):
            print(f"round {round_ + 1}; load average {os.getloadavg()[0]:.2f}", flush=True)
            for interval in [None, *(float(value) for value in args.fixed.split(",") if value)]:
                measure(interval, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
