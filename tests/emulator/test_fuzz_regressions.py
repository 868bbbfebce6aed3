"""What schema fuzzing found: inputs that once answered 5xx, now answered as robot-server's 4xx."""

from __future__ import annotations

import httpx

from robot_http import end_run, new_run


def test_a_fixit_command_outside_error_recovery_is_a_conflict(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    response = robot.post(
        f"/runs/{run_id}/commands",
        json={"data": {"commandType": "home", "params": {}, "intent": "fixit"}},
    )
    assert response.status_code == 409, response.text
    (error,) = response.json()["errors"]
    assert error["id"] == "FixitCommandNotAllowed" and error["errorCode"] == "4000"
    assert "not in a recoverable state" in error["detail"]
    end_run(robot, run_id)


def test_waiting_for_a_protocol_command_of_a_run_not_played_ends_at_its_timeout(
    robot: httpx.Client,
) -> None:
    # Fuzzing found the wait without a timeout: as robot-server's, it lasts until the command ends.
    run_id = new_run(robot)
    response = robot.post(
        f"/runs/{run_id}/commands",
        params={"waitUntilComplete": "true", "timeout": "100"},
        json={"data": {"commandType": "comment", "params": {"message": "a"}, "intent": "protocol"}},
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["status"] == "queued"
    end_run(robot, run_id)
