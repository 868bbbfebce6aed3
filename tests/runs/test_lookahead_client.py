"""Lookahead at the client level, sync and async, against a virtual OT-2: everything runs once
and in order, nothing after a failure runs, broken connections are ridden out by key."""

from __future__ import annotations

import random
from typing import Any

import anyio
import httpx
import pytest
from fault_proxy import FaultProxy
from run_layer import CYCLE, QUICK, cycle, prepare

from otlink.client import AsyncRobotClient, RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed
from otlink.models import CommandStatus
from otlink.runs import AsyncLookahead, Lookahead


def _ours(robot: RobotClient, run_id: str) -> list[Any]:
    return [c for c in robot.iter_commands(run_id) if c.commandType != "waitForResume"][3:]


def test_lookahead_runs_everything_and_ends_the_run(robot: RobotClient) -> None:
    run = robot.create_run()
    prepare(robot, run.id)
    with Lookahead(robot, run.id, depth=7) as ahead:
        for n in range(8):
            for command_type, params in cycle(n):
                ahead.enqueue(command_type, params)
    assert robot.get_run(run.id).status == "succeeded"
    ours = _ours(robot, run.id)
    assert [c.commandType for c in ours] == list(CYCLE) * 8
    assert {c.status for c in ours} == {CommandStatus.SUCCEEDED}
    robot.archive_run(run.id)


def test_the_async_client_has_the_same_lookahead(robot: RobotClient) -> None:
    run = robot.create_run()
    prepare(robot, run.id)

    async def main() -> None:
        async with (
            AsyncRobotClient(robot.url) as client,
            AsyncLookahead(client, run.id, depth=5) as ahead,
        ):
            for n in range(4):
                for command_type, params in cycle(n):
                    await ahead.enqueue(command_type, params)
            await ahead.sync()

    anyio.run(main)
    assert robot.get_run(run.id).status == "succeeded"
    assert [c.commandType for c in _ours(robot, run.id)] == list(CYCLE) * 4
    robot.archive_run(run.id)


def test_a_failure_is_raised_with_its_origin_and_nothing_after_it_runs(
    robot: RobotClient, emulator: EmulatorProcess
) -> None:
    rule = {"commandType": "dispense", "nth": 2}
    httpx.put(f"{emulator.url}/otlink/faults", json={"data": {"rules": [rule]}})
    run = robot.create_run()
    prepare(robot, run.id)
    commands = [step for n in range(4) for step in cycle(n)]
    with pytest.raises(CommandFailed) as failed, Lookahead(robot, run.id, depth=4) as ahead:
        for position, (command_type, params) in enumerate(commands):
            ahead.enqueue(command_type, params, origin=("sequence", position))
    assert (failed.value.filename, failed.value.line) == ("sequence", 7)
    listed = _ours(robot, run.id)
    assert listed[7].status == CommandStatus.FAILED
    assert all(c.startedAt is None for c in listed[8:])
    assert robot.get_run(run.id).status == "failed"
    robot.archive_run(run.id)


@pytest.mark.parametrize("action", ["DROP_RESPONSE", "DROP_IN_FLIGHT", "DROP_REQUEST", 4.0])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_broken_or_stalled_connection_sends_each_command_once(
    robot: RobotClient, emulator: EmulatorProcess, action: Any
) -> None:
    """The connection breaks (or the answer stalls past the read timeout) at the 6th command
    post: posts the robot lists by key stand, the others are sent again, in order."""
    posts = 0

    def plan(method: str, path: str) -> Any:
        nonlocal posts
        if method == "POST" and path.endswith("/commands"):
            posts += 1
            if posts == 6:
                return action
        return "PASS"

    proxy = FaultProxy(("127.0.0.1", emulator.port), plan)
    try:
        with RobotClient(proxy.url, options=QUICK) as through_proxy:
            run = through_proxy.create_run()
            with Lookahead(through_proxy, run.id, depth=20) as ahead:
                for n in range(12):
                    ahead.enqueue("comment", {"message": str(n)})
    finally:
        proxy.stop()
    messages = [
        c.params["message"] for c in robot.iter_commands(run.id) if c.commandType == "comment"
    ]
    assert messages == [str(n) for n in range(12)]
    assert robot.get_run(run.id).status == "succeeded"
    robot.archive_run(run.id)


@pytest.mark.slow
def test_no_command_after_an_injected_fault_ever_runs(
    robot: RobotClient, emulator: EmulatorProcess
) -> None:
    """200 runs, each with a fault at a random command, random batch sizes and random syncs:
    the failure is the faulted command's, with its origin, and nothing after it started."""
    chance = random.Random(20261129)
    for attempt in range(200):
        commands = [step for n in range(6) for step in cycle(n)]
        target = chance.randrange(len(commands))
        target_type = commands[target][0]
        nth = sum(1 for c in commands[: target + 1] if c[0] == target_type)
        rule = {"commandType": target_type, "nth": nth}
        httpx.put(f"{emulator.url}/otlink/faults", json={"data": {"rules": [rule]}})
        run = robot.create_run()
        prepare(robot, run.id)
        ahead = Lookahead(robot, run.id, depth=chance.randint(1, 12))
        with pytest.raises(CommandFailed) as failed:
            try:
                for position, (command_type, params) in enumerate(commands):
                    ahead.enqueue(command_type, params, origin=("sequence", position))
                    if chance.random() < 0.05:
                        ahead.sync()
                ahead.finish()
            finally:
                ahead.close()
        assert (failed.value.filename, failed.value.line) == ("sequence", target), attempt
        listed = _ours(robot, run.id)
        at = next(i for i, c in enumerate(listed) if c.status == CommandStatus.FAILED)
        assert at == target, attempt
        assert all(c.startedAt is None for c in listed[target + 1 :]), attempt
        assert robot.get_run(run.id).status == "failed"
        robot.archive_run(run.id)
