"""Commands of a run: at-most-once keys, server-side waits, failures, paging."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from conftest import FAST, labware
from otlink.client import RobotClient
from otlink.errors import CommandFailed, CommandTimeout, NotFound, RunConflict
from otlink.models import Command, CommandIntent, CommandStatus, CommandSummary


def test_enqueue_waits_and_returns_the_result(client: Any, live_run: Any) -> None:
    run, pipette_id = live_run
    loaded = client.enqueue_command(
        run.id, "loadLabware", labware("1", "opentrons_96_tiprack_300ul", 1)
    )
    assert isinstance(loaded, Command) and loaded.status == CommandStatus.SUCCEEDED
    assert loaded.result and loaded.result["labwareId"]
    assert loaded.key and loaded.key.startswith("otlink-")
    assert loaded.intent == CommandIntent.SETUP
    tip = client.enqueue_command(
        run.id,
        "pickUpTip",
        {"pipetteId": pipette_id, "labwareId": loaded.result["labwareId"], "wellName": "A1"},
    )
    assert tip.result and tip.result["tipVolume"] == 300


def test_a_failed_command_raises_with_the_robots_reason(client: Any, live_run: Any) -> None:
    run, pipette_id = live_run
    params = {
        "pipetteId": pipette_id,
        "labwareId": "nope",
        "wellName": "A1",
        "volume": 10,
        "flowRate": 10,
    }
    with pytest.raises(CommandFailed) as failure:
        client.enqueue_command(run.id, "aspirate", params)
    assert failure.value.error_type == "LabwareNotLoadedError"
    assert failure.value.error_code == "4000"
    assert failure.value.command.status == CommandStatus.FAILED
    unchecked = client.enqueue_command(run.id, "aspirate", params, check=False)
    assert unchecked.error and unchecked.error.errorType == "LabwareNotLoadedError"


def test_own_key_and_no_wait(client: Any, live_run: Any) -> None:
    run, _ = live_run
    queued = client.enqueue_command(run.id, "comment", {"message": "hi"}, key="mine-1", wait=False)
    assert queued.key == "mine-1"
    done = client.wait_for_command(run.id, queued.id, timeout=30)
    assert done.status == CommandStatus.SUCCEEDED
    assert client.get_command(run.id, queued.id).key == "mine-1"
    found = client.find_command(run.id, "mine-1")
    assert isinstance(found, CommandSummary) and found.id == queued.id
    assert client.find_command(run.id, "absent") is None


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_timeout_leaves_the_command_running(client: Any, live_run: Any) -> None:
    run, _ = live_run
    with pytest.raises(CommandTimeout) as timeout:
        client.enqueue_command(run.id, "waitForDuration", {"seconds": 1.5}, timeout=0.2)
    command = timeout.value.command
    assert command.status in (CommandStatus.QUEUED, CommandStatus.RUNNING)
    assert client.wait_for_command(run.id, command.id).status == CommandStatus.SUCCEEDED


def test_protocol_intent_waits_for_play(client: Any) -> None:
    run = client.create_run()
    queued = client.enqueue_command(run.id, "home", intent="protocol", wait=False)
    assert client.get_command(run.id, queued.id).status == CommandStatus.QUEUED
    client.play_run(run.id)
    assert client.wait_for_command(run.id, queued.id, timeout=30).status == CommandStatus.SUCCEEDED
    with pytest.raises(RunConflict) as conflict:
        client.enqueue_command(run.id, "home")
    assert conflict.value.status == 409 and "new run" in conflict.value.hint
    client.wait_for_run(run.id, timeout=30)


def test_list_pages_and_iterate(client: Any, live_run: Any) -> None:
    run, _ = live_run
    for index in range(5):
        client.enqueue_command(run.id, "comment", {"message": f"c{index}"})
    first = client.list_commands(run.id, cursor=0, page_length=3)
    assert [c.commandType for c in first.data] == ["home", "loadPipette", "comment"]
    assert first.meta.totalLength == 7
    latest = client.list_commands(run.id, page_length=2)
    assert latest.links and latest.links.current
    everything = list(client.iter_commands(run.id, page_length=2))
    assert len(everything) == 7 and everything[-1].params == {"message": "c4"}
    assert len({c.id for c in everything}) == 7


def test_unknown_run_is_not_found(client: Any) -> None:
    with pytest.raises(NotFound) as missing:
        client.enqueue_command("no-such-run", "home")
    assert missing.value.error_id == "RunNotFound"


def test_a_command_longer_than_one_server_wait_is_waited_for_again(emulator: Any) -> None:
    short_hold = dataclasses.replace(FAST, command_hold=0.1)
    with RobotClient(emulator.url, options=short_hold) as robot:
        run = robot.create_run()
        done = robot.enqueue_command(run.id, "waitForDuration", {"seconds": 0.6})
        assert done.status == CommandStatus.SUCCEEDED
