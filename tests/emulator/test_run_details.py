"""A run's command errors, current state, serialized command list and recovery policy."""

from __future__ import annotations

import json

import httpx

from robot_http import end_run, post_command, set_up_deck, wait_for_status, well


def test_command_errors_oldest_first_paged_from_the_latest(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    for volume in (1, 2, 3):
        failed = post_command(
            robot,
            deck.run_id,
            "aspirate",
            {"pipetteId": deck.left, **well(deck.plate, "A1"), "volume": volume, "flowRate": 5},
        )
        assert failed["status"] == "failed"
    latest = robot.get(f"/runs/{deck.run_id}/commandErrors").json()
    assert latest["meta"] == {"cursor": 2, "totalLength": 3}
    assert [e["errorType"] for e in latest["data"]] == ["TipNotAttachedError"]
    everything = robot.get(
        f"/runs/{deck.run_id}/commandErrors", params={"cursor": 0, "pageLength": 10}
    ).json()
    assert len(everything["data"]) == 3 and everything["meta"]["cursor"] == 0
    assert {"id", "createdAt", "errorType", "errorCode", "detail"} <= set(everything["data"][0])
    end_run(robot, deck.run_id)
    refused = robot.get(f"/runs/{deck.run_id}/commandErrors")
    assert refused.status_code == 409 and refused.json()["errors"][0]["id"] == "RunStopped"


def test_current_state_shows_nozzle_layouts_and_the_last_command(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    state = robot.get(f"/runs/{deck.run_id}/currentState").json()
    layouts = state["data"]["activeNozzleLayouts"]
    assert set(layouts) == {deck.left, deck.right}
    assert layouts[deck.left] == {"startingNozzle": "A1", "activeNozzles": ["A1"], "config": "full"}
    last = robot.get(f"/runs/{deck.run_id}/commands", params={"pageLength": 1}).json()["data"][0]
    assert state["links"]["lastCompleted"] == {
        "id": last["id"],
        "href": f"/runs/{deck.run_id}/commands/{last['id']}",
    }
    end_run(robot, deck.run_id)


def test_serialized_commands_only_once_the_run_has_ended(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    too_soon = robot.get(f"/runs/{deck.run_id}/commandsAsPreSerializedList")
    assert too_soon.status_code == 503
    assert too_soon.json()["errors"][0]["id"] == "PreSerializedCommandsNotAvailable"
    robot.post(f"/runs/{deck.run_id}/actions", json={"data": {"actionType": "stop"}})
    wait_for_status(robot, deck.run_id, {"stopped"})
    listing = robot.get(f"/runs/{deck.run_id}/commandsAsPreSerializedList").json()
    commands = [json.loads(text) for text in listing["data"]]
    assert listing["meta"] == {"cursor": 0, "totalLength": 5}
    assert [c["commandType"] for c in commands][:2] == ["home", "loadPipette"]
    assert commands[1]["result"]["pipetteId"] == deck.left
    end_run(robot, deck.run_id)
    assert robot.get(f"/runs/{deck.run_id}/commandsAsPreSerializedList").status_code == 200


def test_error_recovery_policy_is_accepted_but_an_ot2_still_fails(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    policy = {
        "policyRules": [
            {
                "matchCriteria": {
                    "command": {
                        "commandType": "aspirate",
                        "error": {"errorType": "TipNotAttachedError"},
                    }
                },
                "ifMatch": "waitForRecovery",
            }
        ]
    }
    put = robot.put(f"/runs/{deck.run_id}/errorRecoveryPolicy", json={"data": policy})
    assert put.status_code == 200 and put.json() == {}
    post_command(
        robot,
        deck.run_id,
        "aspirate",
        {"pipetteId": deck.left, **well(deck.plate, "A1"), "volume": 5, "flowRate": 5},
        intent="protocol",
        wait=False,
    )
    robot.post(f"/runs/{deck.run_id}/actions", json={"data": {"actionType": "play"}})
    assert (
        wait_for_status(robot, deck.run_id, {"failed", "awaiting-recovery"})["status"] == "failed"
    )
    end_run(robot, deck.run_id)
