"""Fault injection: chosen run commands fail inside the engine, as hardware faults fail them."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from opentrons_shared_data.errors.exceptions import (
    MotionFailedError,
    PipetteOverpressureError,
    PositionUnknownError,
)

from otlink.emulator.child_process import EmulatorProcess
from protocol_http import TINY, analysed, unique, wait_for_analysis
from robot_http import end_run, new_run, post_command, set_up_deck, succeeded, wait_for_status, well

ENDED = {"succeeded", "failed", "stopped"}
FINAL = {"succeeded", "failed"}


@pytest.fixture
def faulty(robot: httpx.Client) -> Iterator[httpx.Client]:
    """The shared robot, whose fault rules the test sets; they are cleared after it."""
    robot.delete("/otlink/faults")
    yield robot
    robot.delete("/otlink/faults")


def set_faults(robot: httpx.Client, *rules: Any) -> dict[str, Any]:
    response = robot.put("/otlink/faults", json={"data": {"rules": list(rules)}})
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()["data"]
    return state


def comment(robot: httpx.Client, run_id: str, text: str = "hi", **kwargs: Any) -> dict[str, Any]:
    return post_command(robot, run_id, "comment", {"message": text}, **kwargs)


def assert_injected(command: dict[str, Any], error_type: str, code: str, rule: str) -> None:
    assert command["status"] == "failed"
    error = command["error"]
    assert error["errorType"] == error_type
    assert error["errorCode"] == code
    assert error["isDefined"] is False
    assert error["detail"].startswith("Injected fault: ")
    assert error["errorInfo"]["injected"] == "true"
    assert error["errorInfo"]["rule"] == rule
    assert error["wrappedErrors"] == []


def wait_until_final(robot: httpx.Client, run_id: str, command_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        command: dict[str, Any] = robot.get(f"/runs/{run_id}/commands/{command_id}").json()["data"]
        if command["status"] in FINAL:
            return command
        assert time.monotonic() < deadline, f"{command_id} stayed {command['status']}"
        time.sleep(0.02)


def test_a_command_type_fails_with_the_engines_error_shape(faulty: httpx.Client) -> None:
    set_faults(faulty, "aspirate")
    deck = set_up_deck(faulty)
    succeeded(
        post_command(
            faulty, deck.run_id, "pickUpTip", {"pipetteId": deck.left, **well(deck.tips, "A1")}
        )
    )
    aspirate = {
        "pipetteId": deck.left,
        "volume": 50,
        "flowRate": 100,
        **well(deck.plate, "A1", "bottom", 1),
    }
    failed = post_command(faulty, deck.run_id, "aspirate", aspirate)
    assert_injected(failed, "MotionFailedError", MotionFailedError().code.value.code, "aspirate")
    assert failed["error"]["detail"] == (
        "Injected fault: aspirate (command 6 of the run) failed, by rule 'aspirate'"
    )
    assert failed["startedAt"] and failed["completedAt"]
    # As after any failed setup command, the run stays idle and usable; the rule still holds.
    run = faulty.get(f"/runs/{deck.run_id}").json()["data"]
    assert run["status"] == "idle" and run["errors"] == []
    succeeded(
        post_command(
            faulty, deck.run_id, "moveToWell", {"pipetteId": deck.left, **well(deck.plate, "B1")}
        )
    )
    assert post_command(faulty, deck.run_id, "aspirate", aspirate)["status"] == "failed"
    state = faulty.get("/otlink/faults").json()["data"]
    assert state["rules"][0]["fired"] == 2
    assert state["fired"][0]["commandId"] == failed["id"]
    end_run(faulty, deck.run_id)


def test_nth_of_a_type_and_once(faulty: httpx.Client) -> None:
    set_faults(faulty, "comment#2", {"commandType": "home", "once": True})
    run_id = new_run(faulty)
    statuses = [comment(faulty, run_id)["status"] for _ in range(3)]
    assert statuses == ["succeeded", "failed", "succeeded"]
    home = post_command(faulty, run_id, "home")
    assert_injected(home, "HomingFailedError", "2002", "home,once")
    succeeded(post_command(faulty, run_id, "home"))
    rules = faulty.get("/otlink/faults").json()["data"]["rules"]
    assert [(r["fired"], r["spent"]) for r in rules] == [(1, False), (1, True)]
    end_run(faulty, run_id)
    # The n-th counts afresh in each run.
    run_id = new_run(faulty)
    assert [comment(faulty, run_id)["status"] for _ in range(2)] == ["succeeded", "failed"]
    end_run(faulty, run_id)


def test_index_counts_every_command_of_the_run(faulty: httpx.Client) -> None:
    set_faults(faulty, "index=6,error=PositionUnknownError")
    deck = set_up_deck(faulty)  # five commands: index 0 to 4
    assert [comment(faulty, deck.run_id)["status"] for _ in range(3)] == [
        "succeeded",
        "failed",
        "succeeded",
    ]
    commands = faulty.get(f"/runs/{deck.run_id}/commands").json()["data"]
    assert [c["status"] for c in commands].index("failed") == 6
    failed = faulty.get(f"/runs/{deck.run_id}/commands/{commands[6]['id']}").json()["data"]
    code = PositionUnknownError().code.value.code
    assert_injected(failed, "PositionUnknownError", code, "index=6,error=PositionUnknownError")
    assert failed["error"]["errorInfo"]["index"] == "6"
    end_run(faulty, deck.run_id)


def test_random_faults_repeat_with_their_seed(faulty: httpx.Client) -> None:
    def pattern() -> list[bool]:
        set_faults(faulty, "comment:random=0.5,seed=7")
        run_id = new_run(faulty)
        failed = [comment(faulty, run_id)["status"] == "failed" for _ in range(16)]
        end_run(faulty, run_id)
        return failed

    first = pattern()
    rng = random.Random(7)
    assert first == [rng.random() < 0.5 for _ in range(16)]
    assert 0 < sum(first) < 16
    assert pattern() == first


def test_error_named_by_the_rule(faulty: httpx.Client) -> None:
    set_faults(faulty, {"commandType": "comment", "error": "PipetteOverpressureError"})
    run_id = new_run(faulty)
    failed = comment(faulty, run_id)
    code = PipetteOverpressureError().code.value.code
    assert_injected(
        failed, "PipetteOverpressureError", code, "comment,error=PipetteOverpressureError"
    )
    end_run(faulty, run_id)


def test_setup_mode_queued_commands_fail_and_the_run_stays_usable(faulty: httpx.Client) -> None:
    set_faults(faulty, "index=1")
    run_id = new_run(faulty)
    # The wait keeps the engine busy while the rest is queued behind it.
    posted = [post_command(faulty, run_id, "waitForDuration", {"seconds": 0.5}, wait=False)]
    posted += [comment(faulty, run_id, f"c{n}", wait=False) for n in range(3)]
    ended = [wait_until_final(faulty, run_id, command["id"]) for command in posted]
    assert [c["status"] for c in ended] == ["succeeded", "failed", "failed", "failed"]
    assert_injected(ended[1], "GeneralError", "4000", "index=1")
    assert all("startedAt" not in c for c in ended[2:])  # never ran
    assert faulty.get(f"/runs/{run_id}").json()["data"]["status"] == "idle"
    succeeded(comment(faulty, run_id, "later"))
    end_run(faulty, run_id)


def test_a_played_live_run_fails_and_its_queue_with_it(faulty: httpx.Client) -> None:
    set_faults(faulty, "index=1")
    run_id = new_run(faulty)
    posted = [
        post_command(
            faulty, run_id, "waitForDuration", {"seconds": 0.3}, intent="protocol", wait=False
        )
    ]
    posted += [comment(faulty, run_id, f"c{n}", intent="protocol", wait=False) for n in range(3)]
    play = faulty.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    assert play.status_code == 201
    run = wait_for_status(faulty, run_id, ENDED)
    assert run["status"] == "failed"
    assert "Injected fault: " in str(run["errors"])
    commands = [faulty.get(f"/runs/{run_id}/commands/{c['id']}").json()["data"] for c in posted]
    assert [c["status"] for c in commands] == ["succeeded", "failed", "failed", "failed"]
    assert_injected(commands[1], "GeneralError", "4000", "index=1")
    assert all("startedAt" not in c for c in commands[2:])
    late = faulty.post(
        f"/runs/{run_id}/commands",
        json={"data": {"commandType": "comment", "params": {"message": "x"}}},
    )
    assert late.status_code == 409
    assert late.json()["errors"][0]["id"] == "RunStopped"
    end_run(faulty, run_id)


def test_a_protocol_run_fails_at_the_faulted_command(faulty: httpx.Client) -> None:
    set_faults(faulty, "aspirate:error=PipetteOverpressureError")
    protocol = analysed(faulty, {"tiny.py": unique(TINY)})
    assert wait_for_analysis(faulty, protocol["id"])["result"] == "ok"  # analyses never fault
    run_id = faulty.post("/runs", json={"data": {"protocolId": protocol["id"]}}).json()["data"][
        "id"
    ]
    faulty.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    run = wait_for_status(faulty, run_id, ENDED)
    assert run["status"] == "failed"
    [error] = run["errors"]
    assert "PipetteOverpressureError" in error["detail"] and "[line 10]" in error["detail"]
    commands = faulty.get(f"/runs/{run_id}/commands", params={"pageLength": 100}).json()["data"]
    executed = [c["commandType"] for c in commands if c["status"] in FINAL]
    assert "dispense" not in executed  # nothing after the failed aspirate ran
    [failed] = [c for c in commands if c["status"] == "failed"]
    assert failed["commandType"] == "aspirate"
    assert failed["error"]["errorType"] == "PipetteOverpressureError"
    end_run(faulty, run_id)


def test_the_admin_route(faulty: httpx.Client) -> None:
    url = str(faulty.base_url) + "/otlink/faults"
    assert httpx.get(url).json() == {"data": {"rules": [], "fired": []}}  # no version header
    put = httpx.put(url, json={"data": {"rules": ["aspirate#3", {"index": 17, "once": True}]}})
    assert put.status_code == 200
    rules = put.json()["data"]["rules"]
    assert [{k: v for k, v in rule.items() if k != "id"} for rule in rules] == [
        {"spec": "aspirate#3", "commandType": "aspirate", "nth": 3, "once": False}
        | {"fired": 0, "spent": False},
        {"spec": "index=17,once", "index": 17, "once": True, "fired": 0, "spent": False},
    ]
    added = httpx.post(url, json={"data": {"rules": ["random=0.05,seed=7"]}})
    assert added.status_code == 201
    assert [r["spec"] for r in added.json()["data"]["rules"]] == [
        "aspirate#3",
        "index=17,once",
        "random=0.05,seed=7",
    ]
    assert added.json()["data"]["rules"][2]["probability"] == 0.05
    # Ids are never reused while the robot runs, so a fired record names one rule.
    assert [int(r["id"]) for r in added.json()["data"]["rules"]] == [
        int(rules[0]["id"]) + n for n in range(3)
    ]
    cleared = httpx.delete(url)
    assert cleared.status_code == 200 and cleared.json() == {"data": {"rules": [], "fired": []}}


@pytest.mark.parametrize(
    ("body", "detail", "pointer"),
    [
        (
            {"data": {"rules": ["comment", "aspirte"]}},
            "unknown commandType 'aspirte'",
            "/data/rules/1",
        ),
        (
            {"data": {"rules": [{"commandType": "comment", "nth": "2"}]}},
            "nth has the wrong type (str)",
            "/data/rules/0",
        ),
        ({"data": {"rules": [{"kind": "comment"}]}}, "unknown rule field(s) kind", "/data/rules/0"),
        (
            {"data": {"rules": ["seed=4"]}},
            "a fault rule needs a commandType, an index or a probability",
            "/data/rules/0",
        ),
        ({"data": {"rules": ["dispense:error=Oops"]}}, "unknown error 'Oops'", "/data/rules/0"),
        ({"rules": ["comment"]}, 'expected {"data": {"rules": [...]}}', "/data/rules"),
    ],
)
def test_the_admin_route_refuses_bad_rules(
    faulty: httpx.Client, body: Any, detail: str, pointer: str
) -> None:
    set_faults(faulty, "home")
    refused = faulty.put("/otlink/faults", json=body)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["id"] == "InvalidRequest" and error["title"] == "Invalid Request"
    assert error["detail"].startswith(detail) and error["source"] == {"pointer": pointer}
    assert error["errorCode"] == "4000"
    assert [r["spec"] for r in faulty.get("/otlink/faults").json()["data"]["rules"]] == ["home"]


def test_the_admin_route_refuses_a_body_that_is_not_json(faulty: httpx.Client) -> None:
    refused = faulty.post("/otlink/faults", content=b"aspirate")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["detail"] == "the body is not JSON"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_emulate_fault_options(start_emulator: Callable[..., EmulatorProcess]) -> None:
    server = start_emulator("--fault", "comment#2", "--fault", "index=0,error=PositionUnknownError")
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "4"}, timeout=60) as robot:
        run_id = new_run(robot)
        results = [comment(robot, run_id) for _ in range(3)]
        assert [c.get("error", {}).get("errorType") for c in results] == [
            "PositionUnknownError",
            "GeneralError",
            None,
        ]
        rules = robot.get("/otlink/faults").json()["data"]["rules"]
        assert [(r["spec"], r["fired"]) for r in rules] == [
            ("comment#2", 1),
            ("index=0,error=PositionUnknownError", 1),
        ]
    output = server.stop()
    assert "faults comment#2 index=0,error=PositionUnknownError." in output


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_emulate_refuses_a_bad_fault() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "otlink", "emulate", "--port", "0", "--fault", "aspirate#0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--fault: nth (TYPE#N) needs a commandType and N >= 1" in done.stdout + done.stderr
