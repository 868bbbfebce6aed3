"""POST /commands: single setup commands outside a run."""

from __future__ import annotations

import httpx

from robot_http import end_run, new_run, post_command, wait_for_status


def test_home_and_rail_lights_outside_a_run(robot: httpx.Client) -> None:
    homed = robot.post(
        "/commands",
        params={"waitUntilComplete": "true"},
        json={"data": {"commandType": "home", "params": {}}},
    )
    assert homed.status_code == 201
    command = homed.json()["data"]
    assert (command["status"], command["intent"]) == ("succeeded", "setup")
    lights = robot.post(
        "/commands",
        params={"waitUntilComplete": "true", "timeout": 5000},
        json={"data": {"commandType": "setRailLights", "params": {"on": True}}},
    ).json()["data"]
    assert lights["status"] == "succeeded"
    history = robot.get("/commands", params={"pageLength": 100}).json()
    assert {command["id"], lights["id"]} <= {c["id"] for c in history["data"]}
    assert robot.get(f"/commands/{lights['id']}").json()["data"]["params"] == {"on": True}
    assert robot.get("/commands/nope").status_code == 404
    robot.post(
        "/commands",
        params={"waitUntilComplete": "true"},
        json={"data": {"commandType": "setRailLights", "params": {"on": False}}},
    )


def test_only_the_robot_level_commands_are_allowed(robot: httpx.Client) -> None:
    refused = robot.post("/commands", json={"data": {"commandType": "aspirate", "params": {}}})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["id"] == "InvalidRequest"


def test_refused_while_a_run_is_active(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    post_command(robot, run_id, "waitForDuration", {"seconds": 2}, intent="protocol", wait=False)
    robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    wait_for_status(robot, run_id, {"running"})
    refused = robot.post("/commands", json={"data": {"commandType": "home", "params": {}}})
    assert refused.status_code == 409
    (error,) = refused.json()["errors"]
    # robot-server 8.2 builds this answer from its store's RunConflictError.
    assert (error["id"], error["title"], error["errorCode"]) == ("RunActive", "Run Active", "4000")
    assert error["detail"] == (
        "robot_server.runs.run_orchestrator_store.RunConflictError: A run is currently active"
    )
    assert error["meta"]["type"] == "PythonException"
    assert error["meta"]["detail"]["class"] == "RunConflictError"
    end_run(robot, run_id)
