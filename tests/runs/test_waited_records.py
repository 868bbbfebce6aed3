"""What the robot records of a waited live run, and the robot facts its design stands on.

Waited (get_protocol_api's default), each command is a protocol command of the played run,
waited for, with a hold behind it and a play that releases the hold before it, sent on a second
connection (otlink.runs.waited). A robot failure is recorded ``failed`` with the robot's error;
a complete protocol ``succeeded`` and Ctrl-C ``stopped`` (tests/runs/test_records.py). The facts
below, checked against the virtual OT-2 (the real opentrons engine behind robot-server's API),
are why it takes that shape: only a failed protocol-intent command of a played run fails a run;
a played live run ends as soon as nothing is queued, so each command needs a hold behind it and
a play to release the one before it; a play that reaches the robot before its hold has started
is lost (WaitedRun looks when a command is late, and plays again); and a hold's own key says
whether its command was queued before it.
"""

from __future__ import annotations

import time
from hashlib import md5

import httpx
import pytest

from otlink.client import RobotClient
from otlink.errors import CommandFailed, RunConflict
from otlink.models import Run
from otlink.runs import WaitedRun
from otlink.runs.waited import chained

HOLD = "waitForResume"
# An aspirate of a pipette that was never loaded: refused by the robot before anything moves.
REFUSED = {"pipetteId": "no-such-pipette", "labwareId": "x", "wellName": "A1", "volume": 1}


def _settled(robot: RobotClient, run_id: str) -> Run:
    return robot.wait_for_run(run_id, timeout=30)


def test_a_waited_failure_is_recorded_failed_with_the_robots_error(robot: RobotClient) -> None:
    run = WaitedRun(robot)
    run.execute("home", {})
    with pytest.raises(CommandFailed) as refused:
        run.execute("aspirate", {**REFUSED, "flowRate": 10})
    end = run.stop()
    record = robot.get_run(run.run_id)
    assert (end.status, record.status, record.current) == ("failed", "failed", False)
    assert record.errors[0].errorType == refused.value.error_type
    commands = [c for c in robot.iter_commands(run.run_id) if c.commandType != HOLD]
    assert [(c.commandType, c.intent, c.status) for c in commands] == [
        ("home", "protocol", "succeeded"),
        ("aspirate", "protocol", "failed"),
    ]


def test_a_command_behind_a_hold_nobody_explains_is_refused_and_never_runs(
    robot: RobotClient,
) -> None:
    """Someone else queued a hold in the run: the new hold's key fits no order WaitedRun made,
    so it says so at once; the command, behind that hold, never runs."""
    run = WaitedRun(robot)
    run.execute("home", {})
    extra = {"data": {"commandType": HOLD, "params": {}, "intent": "protocol"}}
    path = f"{robot.url}/runs/{run.run_id}/commands"
    httpx.post(path, json=extra, headers={"Opentrons-Version": "3"}).raise_for_status()
    started = time.monotonic()
    with pytest.raises(RunConflict) as refused:
        run.execute("comment", {"message": "behind an extra hold"})
    assert refused.value.error_id == "UnexpectedCommand"
    assert time.monotonic() - started < 5
    assert run.stop().status == "stopped"
    comment = [c for c in robot.iter_commands(run.run_id) if c.commandType == "comment"]
    assert [c.status for c in comment] == ["failed"] or comment[0].startedAt is None


def test_a_command_behind_a_hold_the_robot_waits_at_is_played_on(robot: RobotClient) -> None:
    """What a lost play leaves (the robot waiting at a hold before the command): the command
    is late, the robot is seen paused with it queued, and WaitedRun plays again. Made here by
    a hold posted by hand, which the run is told of as one of its own."""
    run = WaitedRun(robot)
    run.execute("home", {})
    extra = {"data": {"commandType": HOLD, "params": {}, "intent": "protocol"}}
    path = f"{robot.url}/runs/{run.run_id}/commands"
    httpx.post(path, json=extra, headers={"Opentrons-Version": "3"}).raise_for_status()
    run._chain = chained(run._chain, HOLD)
    started = time.monotonic()
    done = run.execute("comment", {"message": "behind the hold"})
    assert done is not None and done.status == "succeeded"
    assert time.monotonic() - started >= 0.9  # found late, then played on
    assert run.finish().status == "succeeded"


def test_a_failed_setup_command_does_not_fail_a_played_run(robot: RobotClient) -> None:
    """Why a waited run is stopped after a failure: played, the robot would say succeeded."""
    run_id = robot.create_run().id
    failed = robot.enqueue_command(run_id, "aspirate", {**REFUSED, "flowRate": 10}, check=False)
    assert failed.status == "failed"
    robot.play_run(run_id)
    assert _settled(robot, run_id).status == "succeeded"


def test_a_failed_protocol_command_of_a_played_run_fails_it_with_its_error(
    robot: RobotClient,
) -> None:
    run_id = robot.create_run().id
    robot.enqueue_command(run_id, HOLD, intent="protocol", wait=False)
    robot.play_run(run_id)
    failed = robot.enqueue_command(
        run_id, "aspirate", {**REFUSED, "flowRate": 10}, intent="protocol", wait=False
    )
    robot.play_run(run_id)  # releases the hold
    record = _settled(robot, run_id)
    assert record.status == "failed"
    assert record.errors[0].errorType == robot.get_command(run_id, failed.id).error.errorType  # type: ignore[union-attr]


def test_a_played_live_run_ends_as_soon_as_nothing_is_queued(robot: RobotClient) -> None:
    """Why each waited protocol command would need a hold behind it, and a play per hold."""
    run_id = robot.create_run().id
    robot.enqueue_command(run_id, HOLD, intent="protocol", wait=False)
    robot.play_run(run_id)
    robot.enqueue_command(run_id, "comment", {"message": "k"}, intent="protocol", wait=False)
    robot.play_run(run_id)
    assert _settled(robot, run_id).status == "succeeded"
    with pytest.raises(RunConflict) as refused:
        robot.enqueue_command(run_id, "comment", {"message": "k+1"}, intent="protocol")
    assert refused.value.error_id == "RunStopped"


@pytest.mark.slow  # a 0.5 s delay on the robot, then a look
def test_a_play_that_reaches_the_robot_before_its_hold_has_started_is_lost(
    robot: RobotClient,
) -> None:
    """Why a hold's release cannot be sent blind: the robot stops at the hold after it."""
    run_id = robot.create_run().id
    robot.enqueue_command(
        run_id, "waitForDuration", {"seconds": 0.5}, intent="protocol", wait=False
    )
    hold = robot.enqueue_command(run_id, HOLD, intent="protocol", wait=False)
    after = robot.enqueue_command(
        run_id, "comment", {"message": "after"}, intent="protocol", wait=False
    )
    robot.enqueue_command(run_id, HOLD, intent="protocol", wait=False)
    robot.play_run(run_id)
    time.sleep(0.1)
    robot.play_run(run_id)  # meant for the hold, which has not started yet
    time.sleep(1.0)
    assert robot.get_run(run_id).status == "paused"
    assert robot.get_command(run_id, hold.id).status == "running"
    assert robot.get_command(run_id, after.id).status == "queued"


def test_a_holds_own_key_says_what_was_queued_before_it(robot: RobotClient) -> None:
    """The order check a pipelined hold would need costs no request: a protocol command sent
    without a key gets one chained over the types of the protocol commands queued before it."""
    run_id = robot.create_run().id

    def unkeyed(command_type: str) -> str:
        body = {"data": {"commandType": command_type, "params": {}, "intent": "protocol"}}
        answer = httpx.post(
            f"{robot.url}/runs/{run_id}/commands", json=body, headers={"Opentrons-Version": "3"}
        )
        return str(answer.json()["data"]["key"])

    def chained(before: str, command_type: str) -> str:
        return md5(before.encode() + md5(command_type.encode()).digest()).hexdigest()

    first = unkeyed(HOLD)
    robot.enqueue_command(run_id, "waitForDuration", {"seconds": 0}, intent="protocol", wait=False)
    behind = unkeyed(HOLD)
    assert first == chained("", HOLD)
    assert behind == chained(chained(first, "waitForDuration"), HOLD) != chained(first, HOLD)
