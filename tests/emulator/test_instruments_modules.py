"""What is attached: /pipettes, /instruments, /calibration/status and /modules."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from otlink.emulator.child_process import EmulatorProcess

HEADERS = {"Opentrons-Version": "4"}


def test_pipettes_by_mount(robot: httpx.Client) -> None:
    response = robot.get("/pipettes")
    assert response.status_code == 200
    assert response.headers["Opentrons-Version"] == "4"
    assert response.json() == {
        "left": {
            "model": "p300_single_v2.0",
            "name": "p300_single_gen2",
            "tip_length": 0.0,
            "mount_axis": "z",
            "plunger_axis": "b",
            "id": "LP300SINGLEGEN2V0001",
        },
        "right": {
            "model": "p20_single_v2.0",
            "name": "p20_single_gen2",
            "tip_length": 0.0,
            "mount_axis": "a",
            "plunger_axis": "c",
            "id": "RP20SINGLEGEN2V0001",
        },
    }
    assert robot.get("/pipettes", params={"refresh": "true"}).json() == response.json()
    refused = robot.get("/pipettes", params={"refresh": "sometimes"})
    assert refused.status_code == 422
    assert refused.json() == {
        "message": "query.refresh: value could not be parsed to a boolean",
        "errorCode": "4000",
    }


def test_instruments(robot: httpx.Client) -> None:
    response = robot.get("/instruments")
    assert response.status_code == 200
    assert "Opentrons-Version" not in response.headers
    body = response.json()
    assert body["meta"] == {"cursor": 0, "totalLength": 2}
    left, right = body["data"]
    assert left == {
        "mount": "left",
        "instrumentType": "pipette",
        "instrumentModel": "p300_single_v2.0",
        "serialNumber": "LP300SINGLEGEN2V0001",
        "subsystem": "pipette_left",
        "ok": True,
        "data": {"channels": 1, "min_volume": 20.0, "max_volume": 300.0},
        "instrumentName": "p300_single_gen2",
    }
    assert (right["mount"], right["instrumentName"]) == ("right", "p20_single_gen2")


def test_an_empty_mount(start_emulator: Callable[..., EmulatorProcess]) -> None:
    server = start_emulator("--right", "none", "--left", "p1000_single_gen2")
    with httpx.Client(base_url=server.url, headers=HEADERS) as robot:
        pipettes = robot.get("/pipettes").json()
        assert pipettes["right"] == {
            "model": None,
            "name": None,
            "tip_length": None,
            "mount_axis": "a",
            "plunger_axis": "c",
            "id": None,
        }
        assert pipettes["left"]["name"] == "p1000_single_gen2"
        instruments = robot.get("/instruments").json()
        assert [item["mount"] for item in instruments["data"]] == ["left"]
        assert robot.get("/modules").json() == {"data": [], "meta": {"cursor": 0, "totalLength": 0}}


def test_calibration_status(robot: httpx.Client) -> None:
    status = robot.get("/calibration/status").json()
    deck = status["deckCalibration"]
    assert deck["status"] == "IDENTITY"
    assert deck["data"]["type"] == "attitude"
    assert deck["data"]["matrix"] == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert deck["data"]["source"] == "default"
    assert deck["data"]["status"] == {"markedBad": False, "source": None, "markedAt": None}
    zeros = {"single": [0.0, 0.0, 0.0], "multi": [0.0, 0.0, 0.0]}
    assert status["instrumentCalibration"] == {"right": zeros, "left": zeros}


def test_modules_are_listed_and_driven_by_their_id(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    server = start_emulator("--module", "temperatureModuleV2", "--module", "magneticModuleV2")
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30) as robot:
        listed = robot.get("/modules")
        assert listed.status_code == 200
        assert "Opentrons-Version" not in listed.headers
        body = listed.json()
        assert body["meta"] == {"cursor": 0, "totalLength": 2}
        temperature, magnet = body["data"]
        assert list(temperature) == [
            "id",
            "serialNumber",
            "firmwareVersion",
            "hardwareRevision",
            "hasAvailableUpdate",
            "moduleType",
            "moduleModel",
            "compatibleWithRobot",
            "data",
            "usbPort",
        ]
        assert temperature["moduleModel"] == "temperatureModuleV2"
        assert temperature["moduleType"] == "temperatureModuleType"
        assert temperature["hardwareRevision"] == "temp_deck_v20"
        assert temperature["compatibleWithRobot"] is True
        assert temperature["data"] == {"status": "idle", "currentTemperature": 0.0}
        assert temperature["usbPort"] == {
            "port": 0,
            "portGroup": "unknown",
            "hub": False,
            "path": "",
        }
        assert len(temperature["id"]) == 40
        assert magnet["moduleModel"] == "magneticModuleV2"
        assert magnet["data"] == {"status": "disengaged", "engaged": False, "height": -2.5}

        command = robot.post(
            "/commands",
            params={"waitUntilComplete": "true"},
            json={
                "data": {
                    "commandType": "temperatureModule/setTargetTemperature",
                    "params": {"moduleId": temperature["id"], "celsius": 40},
                }
            },
        ).json()["data"]
        assert command["status"] == "succeeded", command.get("error")
        assert command["result"]["targetTemperature"] == 40.0
        heating = robot.get("/modules").json()["data"][0]["data"]
        assert heating["targetTemperature"] == 40.0

        unknown = robot.post(
            "/commands",
            params={"waitUntilComplete": "true"},
            json={
                "data": {
                    "commandType": "temperatureModule/setTargetTemperature",
                    "params": {"moduleId": "not-a-module", "celsius": 40},
                }
            },
        ).json()["data"]
        assert unknown["status"] == "failed"
        assert unknown["error"]["errorType"] == "ModuleNotLoadedError"
