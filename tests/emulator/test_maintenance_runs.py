"""Maintenance runs: one at a time, setup commands only, gone when a protocol run plays."""

from __future__ import annotations

import httpx

from robot_http import end_run, new_run, post_command, succeeded, wait_for_status


def test_maintenance_run_lifecycle(robot: httpx.Client) -> None:
    created = robot.post("/maintenance_runs", json={"data": {}})
    assert created.status_code == 201
    run = created.json()["data"]
    assert (run["status"], run["current"]) == ("idle", True)
    current = robot.get("/maintenance_runs/current_run").json()
    assert current["data"]["id"] == run["id"]
    assert current["links"]["current"] == {"href": f"/maintenance_runs/{run['id']}"}

    # Commands are forced to setup intent, and run at once.
    homed = post_command(robot, run["id"], "home", intent="protocol", base="/maintenance_runs")
    assert homed["intent"] == "setup" and homed["status"] == "succeeded"
    loaded = post_command(
        robot,
        run["id"],
        "loadPipette",
        {"pipetteName": "p300_single_gen2", "mount": "left"},
        base="/maintenance_runs",
    )
    pipette = succeeded(loaded)["pipetteId"]
    listing = robot.get(f"/maintenance_runs/{run['id']}/commands").json()
    assert [c["commandType"] for c in listing["data"]] == ["home", "loadPipette"]
    assert (
        listing["links"]["current"]["href"]
        == f"/maintenance_runs/{run['id']}/commands/{loaded['id']}"
    )
    one = robot.get(f"/maintenance_runs/{run['id']}/commands/{loaded['id']}").json()["data"]
    assert one["result"]["pipetteId"] == pipette
    assert (
        robot.get(f"/maintenance_runs/{run['id']}").json()["data"]["pipettes"][0]["id"] == pipette
    )

    offset = {
        "definitionUri": "opentrons/opentrons_96_tiprack_300ul/1",
        "location": {"slotName": "1"},
        "vector": {"x": 0.5, "y": 0, "z": 0},
    }
    assert (
        robot.post(
            f"/maintenance_runs/{run['id']}/labware_offsets", json={"data": offset}
        ).status_code
        == 201
    )

    # A new one replaces the old one.
    replacement = robot.post("/maintenance_runs", json={"data": {}}).json()["data"]
    assert robot.get(f"/maintenance_runs/{run['id']}").status_code == 404
    assert robot.delete(f"/maintenance_runs/{replacement['id']}").json() == {}
    missing = robot.get("/maintenance_runs/current_run")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["id"] == "NoCurrentRunFound"


def test_playing_a_run_ends_the_maintenance_run_and_blocks_new_ones(robot: httpx.Client) -> None:
    robot.post("/maintenance_runs", json={"data": {}})
    run_id = new_run(robot)
    post_command(robot, run_id, "waitForDuration", {"seconds": 2}, intent="protocol", wait=False)
    robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    wait_for_status(robot, run_id, {"running"})
    assert robot.get("/maintenance_runs/current_run").status_code == 404
    refused = robot.post("/maintenance_runs", json={"data": {}})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["id"] == "ProtocolRunIsActive"
    end_run(robot, run_id)
