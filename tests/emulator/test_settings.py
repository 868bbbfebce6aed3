"""/settings and the robot's surroundings: network status, clock, deck configuration."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest


def test_advanced_settings(robot: httpx.Client) -> None:
    response = robot.get("/settings")
    assert response.status_code == 200
    assert response.headers["Opentrons-Version"] == "4"
    body = response.json()
    assert body["links"] == {}
    by_id = {setting["id"]: setting for setting in body["settings"]}
    assert {"shortFixedTrash", "disableHomeOnBoot", "enableDoorSafetySwitch"} <= set(by_id)
    assert by_id["shortFixedTrash"] == {
        "id": "shortFixedTrash",
        "old_id": "short-fixed-trash",
        "title": "Short (55mm) fixed trash",
        "description": "Trash box is 55mm tall (rather than the 77mm default)",
        "restart_required": False,
        "value": None,
    }


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_changing_a_setting_changes_the_robot(fresh_robot: httpx.Client) -> None:
    changed = fresh_robot.post("/settings", json={"id": "enableDoorSafetySwitch", "value": True})
    assert changed.status_code == 200
    by_id = {setting["id"]: setting for setting in changed.json()["settings"]}
    assert by_id["enableDoorSafetySwitch"]["value"] is True
    door = fresh_robot.get("/robot/door/status").json()["data"]
    assert door["doorRequiredClosedForProtocol"] is True
    reset = fresh_robot.post("/settings", json={"id": "enableDoorSafetySwitch", "value": None})
    by_id = {setting["id"]: setting for setting in reset.json()["settings"]}
    assert by_id["enableDoorSafetySwitch"]["value"] is None


def test_an_unknown_setting_is_refused(robot: httpx.Client) -> None:
    response = robot.post("/settings", json={"id": "makeCoffee", "value": True})
    assert response.status_code == 400
    assert response.json() == {
        "message": "ValueError: makeCoffee is not recognized",
        "errorCode": "4000",
    }
    missing = robot.post("/settings", json={"value": True})
    assert missing.json() == {"message": "body.id: field required", "errorCode": "4000"}


def test_robot_config(robot: httpx.Client) -> None:
    config = robot.get("/settings/robot").json()
    assert config["model"] == "OT-2 Standard"
    assert {"gantry_steps_per_mm", "acceleration", "default_current", "log_level"} <= set(config)
    assert config["left_mount_offset"] == [-34, 0, 0]


def test_reset_options(robot: httpx.Client) -> None:
    options = robot.get("/settings/reset/options").json()["options"]
    ids = [option["id"] for option in options]
    assert {"deckCalibration", "pipetteOffsetCalibrations", "runsHistory"} <= set(ids)
    assert "gripperOffsetCalibrations" not in ids  # a Flex option
    assert set(options[0]) == {"id", "name", "description"}


def test_networking_status(robot: httpx.Client) -> None:
    status = robot.get("/networking/status").json()
    assert status["status"] == "full"
    wired = status["interfaces"]["eth0"]
    assert (wired["ipAddress"], wired["state"], wired["type"]) == (
        "127.0.0.1/8",
        "connected",
        "ethernet",
    )
    assert status["interfaces"]["wlan0"]["type"] == "wifi"


def test_system_time(robot: httpx.Client) -> None:
    response = robot.get("/system/time")
    assert response.headers["Opentrons-Version"] == "4"  # returned as a model on the robot
    body = response.json()
    assert body["links"] == {"self": {"href": "/system/time", "meta": None}}
    assert body["data"]["id"] == "time"
    assert body["data"]["systemTime"].endswith("+00:00")
    robot_time = datetime.fromisoformat(body["data"]["systemTime"])
    assert abs(robot_time - datetime.now(timezone.utc)) < timedelta(seconds=30)


def test_deck_configuration_of_an_ot2(robot: httpx.Client) -> None:
    response = robot.get("/deck_configuration")
    assert response.status_code == 200
    fixtures = response.json()["data"]["cutoutFixtures"]
    assert fixtures == [
        *(
            {"cutoutFixtureId": "singleStandardSlot", "cutoutId": f"cutout{n}"}
            for n in range(1, 12)
        ),
        {"cutoutFixtureId": "fixedTrashSlot", "cutoutId": "cutout12"},
    ]
    assert "lastModifiedAt" not in response.json()["data"]
