"""A flaky network between client and robot: a loopback proxy drops and delays connections.

Covers the at-most-once delivery of commands (otlink.client.commands), the retries of
otlink.client.calls and the error translation of otlink.client.transport.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fault_proxy import Action, FaultProxy

from conftest import FAST, open_client
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandOutcomeUnknown, RobotUnreachable
from otlink.models import CommandStatus


@pytest.fixture
def proxy(emulator: EmulatorProcess) -> Iterator[FaultProxy]:
    faults = FaultProxy((emulator.host, emulator.port))
    yield faults
    faults.stop()


@pytest.fixture(params=["sync", "async"])
def flaky(request: pytest.FixtureRequest, proxy: FaultProxy) -> Iterator[Any]:
    """A client (sync or async) that reaches the virtual OT-2 through ``proxy``."""
    yield from open_client(request.param, proxy.url, FAST)


@pytest.mark.slow
def test_no_command_runs_twice_over_200_drops(
    flaky: Any, proxy: FaultProxy, emulator: EmulatorProcess
) -> None:
    run = flaky.create_run()
    posts = itertools.cycle(["DROP_REQUEST", "DROP_IN_FLIGHT", "DROP_RESPONSE", "PASS"])
    gets = itertools.count()
    lock = threading.Lock()

    def plan(method: str, path: str) -> Action:
        with lock:
            if method == "POST" and path.startswith(f"/runs/{run.id}/commands"):
                return next(posts)  # type: ignore[return-value]
            return "DROP_RESPONSE" if next(gets) % 7 == 6 else "PASS"

    proxy.plan = plan
    sent = []
    while proxy.drops < 200:
        command = flaky.enqueue_command(run.id, "comment", {"message": f"#{len(sent)}"})
        assert command.status == CommandStatus.SUCCEEDED
        sent.append(command.key)
    with RobotClient(emulator.url) as direct:
        recorded = list(direct.iter_commands(run.id))
    keys = Counter(c.key for c in recorded)
    assert [key for key, count in keys.items() if count > 1] == []
    assert set(sent) <= set(keys)
    messages = [c.params["message"] for c in recorded]
    assert messages == [f"#{index}" for index in range(len(sent))]


def test_reads_are_retried_through_drops(flaky: Any, proxy: FaultProxy) -> None:
    run = flaky.create_run()
    drops = iter(["DROP_REQUEST", "DROP_RESPONSE", "DROP_IN_FLIGHT"])
    proxy.plan = lambda method, path: next(drops, "PASS") if method == "GET" else "PASS"
    assert flaky.get_run(run.id).id == run.id
    assert proxy.drops == 3


def test_delays_are_waited_out(flaky: Any, proxy: FaultProxy) -> None:
    run = flaky.create_run()
    proxy.plan = lambda method, path: 0.1
    assert flaky.enqueue_command(run.id, "comment", {"message": "slow"}).status == "succeeded"


def test_a_robot_that_is_gone_is_unreachable_then_recovers(flaky: Any, proxy: FaultProxy) -> None:
    run = flaky.create_run()
    proxy.stop()
    with pytest.raises(RobotUnreachable) as gone:
        flaky.get_run(run.id)
    assert gone.value.host == f"127.0.0.1:{proxy.port}"
    assert f"GET /runs/{run.id}" in gone.value.tried and gone.value.attempts == FAST.attempts
    assert "ConnectError" in gone.value.cause
    with pytest.raises(RobotUnreachable) as refused:
        flaky.enqueue_command(run.id, "comment", {"message": "never"})
    assert not refused.value.maybe_sent and not isinstance(refused.value, CommandOutcomeUnknown)
    proxy.start()
    assert flaky.get_run(run.id).id == run.id
    assert flaky.enqueue_command(run.id, "comment", {"message": "back"}).status == "succeeded"


def test_a_command_cut_off_with_the_robot_gone_is_not_sent_again(
    flaky: Any, proxy: FaultProxy
) -> None:
    run = flaky.create_run()

    def plan(method: str, path: str) -> Action:
        if method == "POST" and "/commands" in path:
            proxy.stop()  # the answer is lost, and so is the robot
            return "DROP_RESPONSE"
        return "PASS"

    proxy.plan = plan
    with pytest.raises(CommandOutcomeUnknown) as unknown:
        flaky.enqueue_command(run.id, "comment", {"message": "once"}, key="cut-off-1")
    assert unknown.value.key == "cut-off-1" and unknown.value.maybe_sent
    proxy.plan = lambda method, path: "PASS"
    proxy.start()
    found = flaky.find_command(run.id, "cut-off-1")
    assert found is not None and found.status == CommandStatus.SUCCEEDED
    assert [c.key for c in flaky.iter_commands(run.id)].count("cut-off-1") == 1


def test_a_slow_answer_beyond_the_read_timeout_is_unreachable(proxy: FaultProxy) -> None:
    impatient = dataclasses.replace(FAST, timeout=0.05, attempts=2)
    with RobotClient(proxy.url, options=impatient) as client:
        proxy.plan = lambda method, path: 0.3
        with pytest.raises(RobotUnreachable) as slow:
            client.list_runs()
    assert slow.value.maybe_sent and "ReadTimeout" in slow.value.cause
