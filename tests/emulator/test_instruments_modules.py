"""What is attached: /pipettes, /instruments, /calibration/status and /modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

HEADERS = {"Opentrons-Version": "4"}


def _listed(robot: httpx.Client, path: str, count: int) -> list[dict[str, Any]]:
    """The items of a modern collection route, checked for a robot's envelope and headers."""
    response = robot.get(path)
    assert response.status_code == 200
    assert "Opentrons-Version" not in response.headers  # a pre-built modern response
    body = response.json()
    assert body["meta"] == {"cursor": 0, "totalLength": count}
    items: list[dict[str, Any]] = body["data"]
    return items


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
    left, right = _listed(robot, "/instruments", 2)
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


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
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
        assert [item["mount"] for item in _listed(robot, "/instruments", 1)] == ["left"]
        assert _listed(robot, "/modules", 0) == []


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


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_modules_are_listed_and_driven_by_their_id(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    server = start_emulator("--module", "temperatureModuleV2", "--module", "magneticModuleV2")
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30) as robot:
        temperature, magnet = _listed(robot, "/modules", 2)
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

        legacy = robot.get("/modules", headers={"Opentrons-Version": "2"})
        assert "Opentrons-Version" not in legacy.headers
        old_temperature, old_magnet = legacy.json()["modules"]
        assert old_temperature == {
            "name": "tempdeck",
            "displayName": "tempdeck",
            "moduleModel": "temperatureModuleV2",
            "port": old_temperature["port"],
            "usbPort": {"hub": False, "port": 0, "portGroup": "unknown", "hubPort": None},
            "serial": temperature["serialNumber"],
            "model": "temp_deck_v20",
            "revision": "temp_deck_v20",
            "fwVersion": temperature["firmwareVersion"],
            "hasAvailableUpdate": False,
            "status": "idle",
            "data": {"currentTemp": 0.0, "targetTemp": None},
        }
        assert old_magnet["data"] == {"engaged": False, "height": 0.0}

        def heat(module_id: str) -> dict[str, Any]:
            command: dict[str, Any] = robot.post(
                "/commands",
                params={"waitUntilComplete": "true"},
                json={
                    "data": {
                        "commandType": "temperatureModule/setTargetTemperature",
                        "params": {"moduleId": module_id, "celsius": 40},
                    }
                },
            ).json()["data"]
            return command

        command = heat(temperature["id"])
        assert command["status"] == "succeeded", command.get("error")
        assert command["result"]["targetTemperature"] == 40.0
        heating = robot.get("/modules").json()["data"][0]["data"]
        assert heating["targetTemperature"] == 40.0
        unknown = heat("not-a-module")
        assert unknown["status"] == "failed"
        assert unknown["error"]["errorType"] == "ModuleNotLoadedError"
