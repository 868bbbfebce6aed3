"""The sans-IO core, driven by hand: a flow's steps, fed real robot answers.

This is what both clients do; here the test plays the network, so each branch of the
at-most-once logic is seen step by step.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from samples import SAMPLES, answer

from otlink.client import ClientOptions
from otlink.client.commands import enqueue
from otlink.client.steps import Request, Sleep, Stepper
from otlink.errors import CommandFailed, RobotUnreachable

OPTIONS = ClientOptions(settle=0.25)
PATH = "/runs/r1/commands"


def _enqueue(**overrides: Any) -> Stepper[Any, Any]:
    arguments: dict[str, Any] = (
        dict(intent="setup", key="k-1", wait=True, timeout=None, check=True) | overrides
    )
    return Stepper(enqueue(OPTIONS, PATH, "home", None, **arguments))


def _cut_off() -> RobotUnreachable:
    return RobotUnreachable("robot:31950", "POST /runs/r1/commands", "closed", maybe_sent=True)


def _page(*keys: str, total: int | None = None) -> httpx.Response:
    commands = json.loads((SAMPLES / "get_run_commands.json").read_text())["data"][: len(keys)]
    for command, key in zip(commands, keys, strict=True):
        command["key"] = key
    body = {"data": commands, "meta": {"cursor": 0, "totalLength": total or len(keys)}}
    return httpx.Response(200, json=body, request=httpx.Request("GET", "http://robot/x"))


def test_a_command_is_posted_with_its_key_and_a_server_side_wait() -> None:
    stepper = _enqueue(timeout=2.5)
    post = stepper.next_step()
    assert isinstance(post, Request) and post.method == "POST" and post.path == PATH
    assert post.params == {"waitUntilComplete": "true", "timeout": 2500}
    assert post.json == {
        "data": {"commandType": "home", "params": {}, "key": "k-1", "intent": "setup"}
    }
    stepper.resume(answer("cmd_home.json", 201, "POST"))
    assert stepper.next_step() is None and stepper.result.commandType == "home"


def test_a_failed_command_answered_with_201_raises() -> None:
    stepper = _enqueue()
    stepper.next_step()
    stepper.resume(answer("cmd_aspirate_without_tip_error.json", 201, "POST"))
    with pytest.raises(CommandFailed, match="TipNotAttachedError"):
        stepper.next_step()


def test_a_cut_off_post_that_arrived_is_not_sent_again() -> None:
    stepper = _enqueue()
    stepper.next_step()
    stepper.resume(_cut_off())
    assert stepper.next_step() == Sleep(0.25)
    probe = stepper.next_step()
    assert isinstance(probe, Request) and probe.params == {"pageLength": 1}
    stepper.resume(_page("k-0", total=2))
    scan = stepper.next_step()
    assert isinstance(scan, Request) and scan.params == {"pageLength": 2, "cursor": 0}
    stepper.resume(_page("k-0", "k-1"))
    fetch = stepper.next_step()
    assert (
        isinstance(fetch, Request) and fetch.method == "GET" and fetch.path.startswith(PATH + "/")
    )
    stepper.resume(answer("cmd_home.json"))
    assert stepper.next_step() is None and stepper.result.status == "succeeded"


def test_a_cut_off_post_that_never_arrived_is_sent_again() -> None:
    stepper = _enqueue()
    first = stepper.next_step()
    stepper.resume(_cut_off())
    stepper.next_step()  # settle
    stepper.next_step()  # probe
    stepper.resume(_page("k-0"))
    stepper.next_step()  # scan
    stepper.resume(_page("k-0"))
    assert stepper.next_step() == first


def test_a_pause_until_a_deadline_already_past_is_a_pause_of_zero() -> None:
    # A flow that checks "now < due" and then sleeps "due - now" reads the clock twice;
    # the second read can be later than due, and time.sleep refuses a negative length.
    assert Sleep(-7.3e-07).seconds == 0.0
    assert Sleep(0.25).seconds == 0.25
