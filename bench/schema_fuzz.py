"""Schema fuzzing of the virtual OT-2 with a large budget, from robot-server 8.2's OpenAPI document.

The same fuzzing as tests/emulator/test_schema_fuzzing.py (see tests/schema_fuzz.py), with more
examples: 120 per operation and mode sends about as many requests as the 16,796 that robot-server
itself was fuzzed with (it answered 78 of them with a 5xx). Prints the requests sent, the 5xx
and error-shape problems per operation, and the slowest /health answer meanwhile.

    python bench/schema_fuzz.py [--examples 120] [--seed 20811] [--only 'POST /runs']
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the shared test helpers

from health_watch import HealthWatch
from otlink.emulator.child_process import EmulatorProcess
from schema_fuzz import (
    DOCUMENTED_5XX,
    KnownIds,
    OperationResult,
    fuzz_operation,
    in_scope,
    out_of_scope,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=120, help="per operation and mode")
    parser.add_argument("--seed", type=int, default=20_811)
    parser.add_argument("--only", default="", help="fuzz the operations whose label starts so")
    args = parser.parse_args()
    labels = [label for label in in_scope() if label.startswith(args.only)]
    print(f"{len(labels)} operations fuzzed, {len(out_of_scope())} of the document out of scope")
    server = EmulatorProcess(fast=True)
    watch = HealthWatch(server.url)
    results: list[OperationResult] = []
    started = time.monotonic()
    try:
        with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}, timeout=60) as c:
            ids = KnownIds(c)
            for label in labels:
                result = fuzz_operation(
                    server.url, label, ids, examples=args.examples, seed_value=args.seed
                )
                results.append(result)
                print(
                    f"{label:62} {result.requests:5} requests"
                    f"  5xx {len(result.server_errors):3}  documented 5xx {result.documented_5xx:3}"
                    f"  bad shapes {len(result.bad_shapes):3}"
                    f"{f'  endless waits {result.endless_waits}' if result.endless_waits else ''}",
                    flush=True,
                )
                for problem in (result.server_errors + result.bad_shapes)[:3]:
                    print("    " + problem[:400])
    finally:
        alive = server.process.poll() is None
        watch.close()  # before the stop: a stopped server is not a late one
        server.stop()
    elapsed = time.monotonic() - started
    requests = sum(result.requests for result in results)
    errors = sum(len(result.server_errors) for result in results)
    shapes = sum(len(result.bad_shapes) for result in results)
    print(
        f"\n{requests} requests in {elapsed:.0f} s ({requests / elapsed:.0f}/s);"
        f" {errors} undocumented 5xx or no answer; {shapes} errors not in robot-server's shape"
    )
    print(f"documented 5xx allowed: {sorted(DOCUMENTED_5XX)}")
    print(
        f"/health: asked {watch.asked} times, slowest {watch.worst_s:.3f} s,"
        f" {len(watch.failures)} late or missing; emulator alive to the end: {alive}"
    )
    return 0 if not errors and not shapes and not watch.failures and alive else 1


if __name__ == "__main__":
    sys.exit(main())
