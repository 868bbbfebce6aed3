"""/clientData and /errorRecovery/settings."""

from __future__ import annotations

import httpx


def test_client_data_round_trip(robot: httpx.Client) -> None:
    put = robot.put("/clientData/lab-notes-v1", json={"data": {"step": 3, "user": "ana"}})
    assert put.status_code == 200 and put.json() == {"data": {"step": 3, "user": "ana"}}
    assert robot.get("/clientData/lab-notes-v1").json() == {"data": {"step": 3, "user": "ana"}}
    assert robot.delete("/clientData/lab-notes-v1").json() == {}
    missing = robot.get("/clientData/lab-notes-v1")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["id"] == "ClientDataKeyDoesNotExist"
    assert robot.put("/clientData/bad key!", json={"data": {}}).status_code == 422
    robot.put("/clientData/a", json={"data": {}})
    assert robot.delete("/clientData").json() == {}
    assert robot.get("/clientData/a").status_code == 404


def test_error_recovery_settings(robot: httpx.Client) -> None:
    assert robot.get("/errorRecovery/settings").json() == {"data": {"enabled": True}}
    off = robot.patch("/errorRecovery/settings", json={"data": {"enabled": False}})
    assert off.json() == {"data": {"enabled": False}}
    assert robot.patch("/errorRecovery/settings", json={"data": {}}).json() == {
        "data": {"enabled": False}
    }
    assert robot.delete("/errorRecovery/settings").json() == {"data": {"enabled": True}}
