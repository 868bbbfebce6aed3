"""Schema fuzzing: every robot-server operation the virtual OT-2 serves, fuzzed with schemathesis.

robot-server 8.2's own OpenAPI document drives it (see tests/schema_fuzz.py). The goal: no 5xx
but the documented ones, errors in robot-server's shape, and the emulator answering /health
within 1.5 s throughout. bench/schema_fuzz.py runs the same with a larger budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from health_watch import HealthWatch
from otlink.emulator.child_process import EmulatorProcess
from schema_fuzz import KnownIds, fuzz_operation, in_scope, out_of_scope

# About 1,400 requests and a protocol analysis per deleted protocol: over a minute.
pytestmark = pytest.mark.slow

EXAMPLES = 10  # per operation and mode (positive, negative)
SEED = 20_811


@dataclass
class Fuzzed:
    server: EmulatorProcess
    ids: KnownIds
    watch: HealthWatch


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Fuzzed]:
    # --fast: a fuzzed waitForDuration of a year ends at once, as the engine lets it.
    server = EmulatorProcess(fast=True)
    watch = HealthWatch(server.url)
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}, timeout=60) as c:
        yield Fuzzed(server, KnownIds(c), watch)
    watch.stop()
    server.stop()


@pytest.mark.parametrize("label", in_scope())
def test_fuzzed_requests_get_no_5xx_and_robot_server_error_shapes(
    fuzzed: Fuzzed, label: str
) -> None:
    late_before = len(fuzzed.watch.failures)
    url = fuzzed.server.url
    result = fuzz_operation(url, label, fuzzed.ids, examples=EXAMPLES, seed_value=SEED)
    assert fuzzed.server.process.poll() is None, fuzzed.server.output()[-3000:]
    assert result.requests > 0
    assert not result.server_errors, "\n".join(result.server_errors[:5])
    assert not result.bad_shapes, "\n".join(result.bad_shapes[:5])
    # Told here, so that a late /health names the operation that held the server up.
    assert fuzzed.watch.failures[late_before:] == []


def test_every_operation_of_the_robot_is_fuzzed_or_has_a_reason_not_to_be() -> None:
    assert len(in_scope()) >= 60
    unexplained = [label for label, why in out_of_scope().items() if not why]
    assert not unexplained
