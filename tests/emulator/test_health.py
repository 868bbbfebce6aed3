"""/health and /server/update/health, and the version header rules of a legacy route."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import opentrons
import pytest
from opentrons.protocol_api import MAX_SUPPORTED_VERSION, MIN_SUPPORTED_VERSION

from otlink.emulator.child_process import EmulatorProcess
from reference import SAMPLES

HEALTH_SAMPLE = {
    "name": "opentrons-refserver",
    "robot_model": "OT-2 Standard",
    "api_version": "8.1.0",
    "fw_version": "Virtual Smoothie",
    "board_revision": "2.1",
    "logs": ["/logs/serial.log", "/logs/api.log", "/logs/server.log", "/logs/update_server.log"],
    "system_version": "0.0.0",
    "maximum_protocol_api_version": [2, 21],
    "minimum_protocol_api_version": [2, 0],
    "robot_serial": "simulator",
    "links": {
        "apiLog": "/logs/api.log",
        "serialLog": "/logs/serial.log",
        "serverLog": "/logs/server.log",
        "apiSpec": "/openapi.json",
        "systemTime": "/system/time",
    },
}


@pytest.fixture
def bare(emulator: EmulatorProcess) -> httpx.Client:
    """A client that sends no version header unless told to."""
    return httpx.Client(base_url=emulator.url, timeout=30)


def test_health_reads_like_a_robot(robot: httpx.Client) -> None:
    response = robot.get("/health")
    assert response.status_code == 200
    health = response.json()
    assert list(health) == list(HEALTH_SAMPLE)  # same fields, same order
    assert health["name"] == "otlink-virtual-ot2"
    assert health["api_version"] == opentrons.__version__
    assert health["maximum_protocol_api_version"] == list(MAX_SUPPORTED_VERSION)
    assert health["minimum_protocol_api_version"] == list(MIN_SUPPORTED_VERSION) == [2, 0]
    assert health["robot_serial"] == "OT2VIRTUAL0001"
    same = ("robot_model", "fw_version", "board_revision", "logs", "system_version", "links")
    assert {key: health[key] for key in same} == {key: HEALTH_SAMPLE[key] for key in same}
    # Legacy routes render compact JSON and answer with the version headers.
    assert response.text.startswith('{"name":"otlink-virtual-ot2","robot_model":')
    assert response.headers["Opentrons-Version"] == "4"
    assert response.headers["Opentrons-Min-Version"] == "2"


def test_the_sample_file_is_the_one_these_tests_follow() -> None:
    assert json.loads((SAMPLES / "health.json").read_text()) == HEALTH_SAMPLE


def test_health_without_the_version_header(bare: httpx.Client) -> None:
    response = bare.get("/health")
    assert response.status_code == 422
    assert (
        response.text == '{"message":"header.opentrons-version: field required","errorCode":"4000"}'
    )
    assert response.headers["Opentrons-Version"] == "4"


@pytest.mark.parametrize(("sent", "answered"), [("99", "4"), ("*", "4"), ("2", "2"), ("3", "3")])
def test_health_answers_in_the_version_in_effect(
    bare: httpx.Client, sent: str, answered: str
) -> None:
    response = bare.get("/health", headers={"Opentrons-Version": sent})
    assert response.status_code == 200
    assert response.headers["Opentrons-Version"] == answered
    assert response.headers["Opentrons-Min-Version"] == "2"


def test_health_refuses_an_outdated_version(bare: httpx.Client) -> None:
    response = bare.get("/health", headers={"Opentrons-Version": "1"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["id"] == "OutdatedAPIVersion"
    assert error["title"] == "Requested HTTP API version no longer supported"
    assert "'Opentrons-Version' must be at least '2'" in error["detail"]


def test_health_refuses_a_version_that_is_no_number(bare: httpx.Client) -> None:
    response = bare.get("/health", headers={"Opentrons-Version": "abc"})
    assert response.status_code == 422
    assert response.json() == {
        "message": "header.opentrons-version: unexpected value; permitted: '*';"
        " header.opentrons-version: value is not a valid integer",
        "errorCode": "4000",
    }


def test_update_server_health(bare: httpx.Client) -> None:
    response = bare.get("/server/update/health")  # the update-server needs no version header
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Opentrons-Version" not in response.headers
    health = response.json()
    assert health["name"] == "otlink-virtual-ot2"
    assert health["robotModel"] == "OT-2 Standard"
    assert health["serialNumber"] == "OT2VIRTUAL0001"
    assert health["apiServerVersion"] == health["updateServerVersion"] == opentrons.__version__
    assert health["systemVersion"] == "0.0.0"
    assert health["capabilities"] == {
        "systemUpdate": "/server/update/begin",
        "buildrootUpdate": "/server/update/begin",
        "restart": "/server/restart",
    }
    assert bare.get("/server/update/health").json()["bootId"] == health["bootId"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_another_robot_has_its_own_name_and_boot_id(
    bare: httpx.Client, start_emulator: Callable[..., EmulatorProcess]
) -> None:
    other = start_emulator("--name", "bench-2")
    health = httpx.get(f"{other.url}/health", headers={"Opentrons-Version": "2"}).json()
    assert health["name"] == "bench-2"
    update_health = httpx.get(f"{other.url}/server/update/health").json()
    assert update_health["name"] == "bench-2"
    assert update_health["bootId"] != bare.get("/server/update/health").json()["bootId"]


LEGACY_ROUTES = (
    "/health",
    "/robot/lights",
    "/motors/engaged",
    "/pipettes",
    "/calibration/status",
    "/settings",
    "/settings/robot",
    "/settings/reset/options",
    "/networking/status",
)
MODERN_ROUTES = ("/instruments", "/modules", "/robot/door/status", "/deck_configuration")


@pytest.mark.parametrize("path", LEGACY_ROUTES)
def test_version_rules_on_legacy_routes(bare: httpx.Client, path: str) -> None:
    missing = bare.get(path)
    assert (missing.status_code, missing.json()) == (
        422,
        {"message": "header.opentrons-version: field required", "errorCode": "4000"},
    )
    newest = bare.get(path, headers={"Opentrons-Version": "99"})
    assert newest.status_code == 200
    assert (newest.headers["Opentrons-Version"], newest.headers["Opentrons-Min-Version"]) == (
        "4",
        "2",
    )
    outdated = bare.get(path, headers={"Opentrons-Version": "1"})
    assert outdated.status_code == 400
    assert outdated.json()["errors"][0]["id"] == "OutdatedAPIVersion"


@pytest.mark.parametrize("path", MODERN_ROUTES)
def test_version_rules_on_modern_routes(bare: httpx.Client, path: str) -> None:
    missing = bare.get(path)
    assert (missing.status_code, missing.json()) == (
        422,
        {
            "errors": [
                {
                    "id": "InvalidRequest",
                    "title": "Invalid Request",
                    "detail": "field required",
                    "source": {"header": "opentrons-version"},
                    "errorCode": "4000",
                }
            ]
        },
    )
    newest = bare.get(path, headers={"Opentrons-Version": "99"})
    assert newest.status_code == 200
    assert "Opentrons-Version" not in newest.headers  # pre-built, as on the robot
    not_a_number = bare.get(path, headers={"Opentrons-Version": "abc"})
    assert [error["detail"] for error in not_a_number.json()["errors"]] == [
        "unexpected value; permitted: '*'",
        "value is not a valid integer",
    ]
