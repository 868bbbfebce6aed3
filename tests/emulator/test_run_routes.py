"""Runs: the one-current-run rule, archiving, deletion and actions, as on a robot."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from reference import SAMPLES
from robot_http import end_run, new_run, post_command, set_up_deck, succeeded, wait_for_status


def recorded(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text())


def act(robot: httpx.Client, run_id: str, action: str) -> httpx.Response:
    return robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": action}})


def test_a_new_run_looks_like_the_robots(robot: httpx.Client) -> None:
    response = robot.post("/runs", json={"data": {}})
    assert response.status_code == 201
    run = response.json()["data"]
    expected = recorded("post_runs")["data"]
    assert list(run) == list(expected)
    assert {k: v for k, v in run.items() if k not in ("id", "createdAt")} == {
        k: v for k, v in expected.items() if k not in ("id", "createdAt")
    }
    # No version headers on a modern route's success, as on a robot.
    assert "Opentrons-Version" not in response.headers
    end_run(robot, run["id"])


def test_the_body_is_optional(robot: httpx.Client) -> None:
    response = robot.post("/runs")
    assert response.status_code == 201
    end_run(robot, response.json()["data"]["id"])


def test_a_loaded_run_reads_back_with_its_equipment(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    run = robot.get(f"/runs/{deck.run_id}").json()["data"]
    expected = recorded("get_run")["data"]
    assert list(run) == list(expected)
    assert [p["pipetteName"] for p in run["pipettes"]] == ["p300_single_gen2", "p20_single_gen2"]
    assert [lw["location"] for lw in run["labware"]] == [{"slotName": "1"}, {"slotName": "2"}]
    assert [lw["definitionUri"] for lw in run["labware"]] == [
        lw["definitionUri"] for lw in expected["labware"]
    ]
    end_run(robot, deck.run_id)


def test_an_idle_run_is_replaced_but_a_running_one_is_not(robot: httpx.Client) -> None:
    first = new_run(robot)
    second = new_run(robot)  # the idle first run is archived
    assert robot.get(f"/runs/{first}").json()["data"]["current"] is False
    post_command(robot, second, "waitForDuration", {"seconds": 5}, intent="protocol", wait=False)
    assert act(robot, second, "play").status_code == 201
    refused = robot.post("/runs", json={"data": {}})
    assert refused.status_code == 409
    assert refused.json() == recorded("err_second_run_while_active")
    deleting = robot.delete(f"/runs/{second}")
    assert deleting.status_code == 409
    assert deleting.json() == recorded("err_delete_active_run")
    archiving = robot.patch(f"/runs/{second}", json={"data": {"current": False}})
    assert archiving.status_code == 409 and archiving.json()["errors"][0]["id"] == "RunNotIdle"
    assert act(robot, second, "stop").status_code == 201
    wait_for_status(robot, second, {"stopped"})
    assert robot.delete(f"/runs/{second}").json() == {}
    assert robot.get(f"/runs/{second}").status_code == 404


def test_archiving_keeps_the_run_as_history(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    assert act(robot, deck.run_id, "stop").status_code == 201
    wait_for_status(robot, deck.run_id, {"stopped"})
    archived = robot.patch(f"/runs/{deck.run_id}", json={"data": {"current": False}})
    assert archived.status_code == 200
    run = archived.json()["data"]
    expected = recorded("patch_run_not_current")["data"]
    assert (run["status"], run["current"]) == ("stopped", False)
    assert [a["actionType"] for a in run["actions"]] == ["stop"]
    assert set(run) == set(expected)
    # History still answers reads, and refuses anything else.
    commands = robot.get(f"/runs/{deck.run_id}/commands", params={"pageLength": 2}).json()
    assert commands["meta"] == {"cursor": 3, "totalLength": 5}
    assert commands["links"]["current"]["meta"]["index"] == 4
    one = robot.get(f"/runs/{deck.run_id}/commands/{commands['data'][0]['id']}")
    assert one.json()["data"]["result"]["labwareId"] == deck.tips
    late = robot.post(
        f"/runs/{deck.run_id}/commands", json={"data": {"commandType": "home", "params": {}}}
    )
    assert late.status_code == 409 and late.json()["errors"][0]["id"] == "RunStopped"
    assert act(robot, deck.run_id, "play").status_code == 409
    again = robot.patch(f"/runs/{deck.run_id}", json={"data": {"current": False}})
    assert again.status_code == 409 and again.json()["errors"][0]["id"] == "RunStopped"


def test_listing_runs_oldest_first_with_the_current_link(robot: httpx.Client) -> None:
    ids = [new_run(robot) for _ in range(3)]
    listing = robot.get("/runs").json()
    assert [r["id"] for r in listing["data"]][-3:] == ids
    assert listing["links"]["current"] == {"href": f"/runs/{ids[-1]}"}
    assert listing["meta"]["totalLength"] == len(listing["data"])
    newest = robot.get("/runs", params={"pageLength": 2}).json()["data"]
    assert [r["id"] for r in newest] == ids[1:]
    assert [r["current"] for r in newest] == [False, True]
    end_run(robot, ids[-1])


def test_unknown_run_is_404_in_the_robots_words(robot: httpx.Client) -> None:
    response = robot.get("/runs/does-not-exist")
    assert response.status_code == 404
    assert response.json() == recorded("err_run_not_found")
    assert response.headers["Opentrons-Version"] == "4"
    assert response.headers["Opentrons-Min-Version"] == "2"


def test_pause_is_refused_unless_running(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    refused = act(robot, run_id, "pause")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["id"] == "RunActionNotAllowed"
    end_run(robot, run_id)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_play_pause_play_runs_a_live_run_to_success(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    post_command(robot, run_id, "waitForDuration", {"seconds": 2}, intent="protocol", wait=False)
    last = post_command(
        robot, run_id, "comment", {"message": "done"}, intent="protocol", wait=False
    )
    played = act(robot, run_id, "play")
    assert played.status_code == 201
    assert played.json()["data"]["actionType"] == "play"
    wait_for_status(robot, run_id, {"running"})
    assert act(robot, run_id, "pause").status_code == 201
    wait_for_status(robot, run_id, {"paused"})
    time.sleep(2.5)  # the wait is over, but a paused run starts nothing new
    assert robot.get(f"/runs/{run_id}/commands/{last['id']}").json()["data"]["status"] == "queued"
    assert act(robot, run_id, "play").status_code == 201
    run = wait_for_status(robot, run_id, {"succeeded"})
    assert [a["actionType"] for a in run["actions"]] == ["play", "pause", "play"]
    assert run["startedAt"] and run["completedAt"]
    end_run(robot, run_id)


def test_a_failed_protocol_command_fails_the_run(robot: httpx.Client) -> None:
    deck = set_up_deck(robot)
    post_command(
        robot,
        deck.run_id,
        "aspirate",
        {
            "pipetteId": deck.left,
            "labwareId": deck.plate,
            "wellName": "A1",
            "volume": 10,
            "flowRate": 10,
        },
        intent="protocol",
        wait=False,
    )
    after = post_command(
        robot, deck.run_id, "comment", {"message": "never"}, intent="protocol", wait=False
    )
    act(robot, deck.run_id, "play")
    run = wait_for_status(robot, deck.run_id, {"failed"})
    assert run["errors"][0]["errorType"] == "TipNotAttachedError"
    skipped = robot.get(f"/runs/{deck.run_id}/commands/{after['id']}").json()["data"]
    assert skipped["status"] == "failed"
    end_run(robot, deck.run_id)


def test_an_idle_run_can_be_stopped_directly(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    stopped = act(robot, run_id, "stop")
    assert stopped.status_code == 201
    assert set(stopped.json()["data"]) == set(recorded("run_action_stop")["data"])
    wait_for_status(robot, run_id, {"stopped"})
    end_run(robot, run_id)


def test_labware_offsets_apply_to_the_run(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    offset = {
        "definitionUri": "opentrons/corning_96_wellplate_360ul_flat/2",
        "location": {"slotName": "2"},
        "vector": {"x": 1, "y": 2, "z": 3},
    }
    created = robot.post(f"/runs/{run_id}/labware_offsets", json={"data": offset})
    assert created.status_code == 201
    body = created.json()["data"]
    assert body["vector"] == {"x": 1, "y": 2, "z": 3} and body["id"] and body["createdAt"]
    deck = set_up_deck(robot, run_id)
    labware = robot.get(f"/runs/{run_id}").json()["data"]["labware"]
    plate = next(lw for lw in labware if lw["id"] == deck.plate)
    assert plate["offsetId"] == body["id"]
    succeeded(
        post_command(
            robot,
            run_id,
            "pickUpTip",
            {"pipetteId": deck.left, "labwareId": deck.tips, "wellName": "A1"},
        )
    )
    moved = succeeded(
        post_command(
            robot,
            run_id,
            "moveToWell",
            {"pipetteId": deck.left, "labwareId": deck.plate, "wellName": "A1"},
        )
    )
    # Well A1 of slot 2 is at x 146.88, y 74.24 on this calibration; the offset moves it.
    assert moved["position"]["x"] == 147.88 and moved["position"]["y"] == 76.24
    several = robot.post(f"/runs/{run_id}/labware_offsets", json={"data": [offset, offset]})
    assert several.status_code == 201 and len(several.json()["data"]) == 2
    end_run(robot, run_id)


def test_custom_labware_definitions_can_be_added_and_loaded(robot: httpx.Client) -> None:
    from opentrons_shared_data.labware import load_definition

    definition = dict(load_definition("corning_96_wellplate_360ul_flat", 2))
    definition = {
        **definition,
        "namespace": "custom_beta",
        "parameters": {**definition["parameters"], "loadName": "lab_plate"},
    }
    run_id = new_run(robot)
    added = robot.post(f"/runs/{run_id}/labware_definitions", json={"data": definition})
    assert added.status_code == 201
    assert added.json()["data"] == {"definitionUri": "custom_beta/lab_plate/2"}
    loaded = post_command(
        robot,
        run_id,
        "loadLabware",
        {
            "location": {"slotName": "3"},
            "loadName": "lab_plate",
            "namespace": "custom_beta",
            "version": 2,
        },
    )
    assert succeeded(loaded)["definition"]["parameters"]["loadName"] == "lab_plate"
    bad = robot.post(f"/runs/{run_id}/labware_definitions", json={"data": {"wells": 3}})
    assert bad.status_code == 422
    end_run(robot, run_id)
