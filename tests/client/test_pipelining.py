"""Pipelined commands on one connection, and lookahead at the client level, against a virtual
OT-2: order kept, many requests per round trip, nothing after a failure runs, no run left active."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from otlink.client import RobotClient
from otlink.client.pipelining import PipelinedConnection
from otlink.client.steps import Request
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import CommandFailed
from otlink.models import CommandStatus
from robot_http import free_robot

HEADERS = {"Opentrons-Version": "4"}
_CYCLE = ("pickUpTip", "aspirate", "dispense", "moveToAddressableAreaForDropTip", "dropTipInPlace")


@pytest.fixture
def robot(emulator: EmulatorProcess) -> Iterator[RobotClient]:
    with RobotClient(emulator.url) as client:
        free_robot(client)
        yield client
        free_robot(client)


def test_pipelined_posts_keep_their_order(robot: RobotClient) -> None:
    run = robot.create_run()
    with PipelinedConnection(robot.url, HEADERS) as pipe:
        replies = [
            pipe.send(
                Request(
                    "POST",
                    f"/runs/{run.id}/commands",
                    json={"data": {"commandType": "comment", "params": {"message": str(n)}}},
                )
            )
            for n in range(300)
        ]
        statuses = {reply.response(timeout=60).status_code for reply in replies}
    assert statuses == {201}
    messages = [c.params["message"] for c in robot.iter_commands(run.id)]
    assert messages == [str(n) for n in range(300)]
    robot.archive_run(run.id)


def _setup(robot: RobotClient, run_id: str) -> None:
    robot.enqueue_command(
        run_id,
        "loadPipette",
        {"pipetteName": "p300_single_gen2", "mount": "left", "pipetteId": "pip"},
    )
    for labware_id, load_name, version, slot in (
        ("tips", "opentrons_96_tiprack_300ul", 1, "1"),
        ("plate", "corning_96_wellplate_360ul_flat", 2, "2"),
    ):
        robot.enqueue_command(
            run_id,
            "loadLabware",
            {
                "loadName": load_name,
                "namespace": "opentrons",
                "version": version,
                "location": {"slotName": slot},
                "labwareId": labware_id,
            },
        )


def _cycle_params(n: int) -> list[tuple[str, dict[str, Any]]]:
    well = f"{'ABCDEFGH'[n % 8]}{1 + n // 8}"
    volume = {"pipetteId": "pip", "labwareId": "plate", "volume": 50, "flowRate": 100}
    return [
        ("pickUpTip", {"pipetteId": "pip", "labwareId": "tips", "wellName": well}),
        ("aspirate", {**volume, "wellName": "A1"}),
        ("dispense", {**volume, "wellName": "B1"}),
        (
            "moveToAddressableAreaForDropTip",
            {"pipetteId": "pip", "addressableAreaName": "fixedTrash"},
        ),
        ("dropTipInPlace", {"pipetteId": "pip"}),
    ]


def test_lookahead_runs_everything_and_ends_the_run(robot: RobotClient) -> None:
    run = robot.create_run()
    _setup(robot, run.id)
    with robot.lookahead(run.id, depth=7) as ahead:
        for n in range(8):
            for command_type, params in _cycle_params(n):
                ahead.enqueue(command_type, params)
    ended = robot.get_run(run.id)
    assert ended.status == "succeeded"
    ours = [c for c in robot.iter_commands(run.id) if c.commandType != "waitForResume"]
    assert [c.commandType for c in ours[3:]] == list(_CYCLE) * 8
    assert {c.status for c in ours} == {CommandStatus.SUCCEEDED}
    robot.archive_run(run.id)


def test_no_command_after_an_injected_fault_ever_runs(
    robot: RobotClient, emulator: EmulatorProcess
) -> None:
    """200 runs, each with a fault at a random command, random batch sizes and random pauses
    of the caller: the failure is the faulted command's, with its origin, and nothing issued
    after it started on the robot."""
    chance = random.Random(20261129)
    for attempt in range(200):
        cycles = 6
        commands = [step for n in range(cycles) for step in _cycle_params(n)]
        target = chance.randrange(len(commands))
        target_type = commands[target][0]
        nth = sum(1 for c in commands[: target + 1] if c[0] == target_type)
        rule = {"commandType": target_type, "nth": nth}
        with httpx.Client(base_url=emulator.url) as admin:
            admin.put("/otlink/faults", json={"data": {"rules": [rule]}}).raise_for_status()
        run = robot.create_run()
        _setup(robot, run.id)
        ahead = robot.lookahead(run.id, depth=chance.randint(1, 12))
        with pytest.raises(CommandFailed) as failed:
            try:
                for position, (command_type, params) in enumerate(commands):
                    ahead.enqueue(command_type, params, origin=("sequence", position))
                    if chance.random() < 0.05:
                        ahead.sync()
                ahead.finish()
            finally:
                ahead.close()
        failure = failed.value
        assert (failure.filename, failure.line) == ("sequence", target), attempt
        assert failure.command.commandType == target_type
        assert failure.detail.startswith("Injected fault:"), failure.detail
        listed = [c for c in robot.iter_commands(run.id) if c.commandType != "waitForResume"][3:]
        failed_at = next(i for i, c in enumerate(listed) if c.status == CommandStatus.FAILED)
        assert failed_at == target, attempt
        assert all(c.status == CommandStatus.SUCCEEDED for c in listed[:target])
        assert all(c.startedAt is None for c in listed[target + 1 :]), attempt
        assert len(listed) <= len(commands)
        final = robot.get_run(run.id)
        assert final.status == "failed"
        robot.archive_run(run.id)
        assert not robot.get_run(run.id).current


@pytest.mark.parametrize("action", ["DROP_RESPONSE", "DROP_IN_FLIGHT", "DROP_REQUEST"])
def test_a_dropped_connection_sends_each_command_once(
    robot: RobotClient, emulator: EmulatorProcess, action: str
) -> None:
    """The connection breaks at the 6th command post: posts the robot lists by key stand, the
    others are sent again, in order; every command runs exactly once."""
    from fault_proxy import FaultProxy

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
        with RobotClient(proxy.url) as through_proxy:
            run = through_proxy.create_run()
            with through_proxy.lookahead(run.id, depth=20) as ahead:
                for n in range(12):
                    ahead.enqueue("comment", {"message": str(n)})
    finally:
        proxy.stop()
    assert proxy.drops == 1
    messages = [
        c.params["message"] for c in robot.iter_commands(run.id) if c.commandType == "comment"
    ]
    assert messages == [str(n) for n in range(12)]
    assert robot.get_run(run.id).status == "succeeded"
    robot.archive_run(run.id)
