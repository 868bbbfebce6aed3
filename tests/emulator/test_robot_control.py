"""Rail lights, homing, motors, the door and the estop: the robot's body over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from robot_http import post_command, set_up_deck


def _move_in_x_without_homing(robot: httpx.Client) -> dict[str, Any]:
    """Load pipettes in a new run, then move the left one along X; return that command.

    The robot homed only its Z axes at boot, so this move needs a home first.
    """
    deck = set_up_deck(robot, home=False)
    return post_command(
        robot, deck.run_id, "moveRelative", {"pipetteId": deck.left, "axis": "x", "distance": 1}
    )


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_rail_lights(fresh_robot: httpx.Client) -> None:
    assert fresh_robot.get("/robot/lights").json() == {"on": False}
    response = fresh_robot.post("/robot/lights", json={"on": True})
    assert (response.status_code, response.json()) == (200, {"on": True})
    assert response.headers["Opentrons-Version"] == "4"
    assert fresh_robot.get("/robot/lights").json() == {"on": True}
    # The engine's setRailLights drives the same lights.
    fresh_robot.post(
        "/commands",
        params={"waitUntilComplete": "true"},
        json={"data": {"commandType": "setRailLights", "params": {"on": False}}},
    )
    assert fresh_robot.get("/robot/lights").json() == {"on": False}


def test_rail_lights_need_a_state(robot: httpx.Client) -> None:
    missing = robot.post("/robot/lights", json={})
    assert missing.status_code == 422
    assert missing.json() == {"message": "body.on: field required", "errorCode": "4000"}
    wrong = robot.post("/robot/lights", json={"on": "maybe"})
    assert wrong.json()["message"] == "body.on: value could not be parsed to a boolean"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_motion_before_homing_fails_as_on_a_robot(fresh_robot: httpx.Client) -> None:
    command = _move_in_x_without_homing(fresh_robot)
    assert command["status"] == "failed"
    assert command["error"]["errorType"] == "MustHomeError"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_home_over_http_homes_the_robot_for_its_runs(fresh_robot: httpx.Client) -> None:
    response = fresh_robot.post("/robot/home", json={"target": "robot"})
    assert (response.status_code, response.json()) == (200, {"message": "Homing robot."})
    assert _move_in_x_without_homing(fresh_robot)["status"] == "succeeded"


def test_home_one_pipette(robot: httpx.Client) -> None:
    response = robot.post("/robot/home", json={"target": "pipette", "mount": "right"})
    assert response.json() == {"message": "Pipette on right homed successfully"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"target": "pipette"}, "body.__root__: mount must be specified if target is pipette"),
        (
            {"target": "gantry"},
            "body.target: value is not a valid enumeration member; permitted: 'pipette', 'robot'",
        ),
        ({}, "body.target: field required"),
    ],
)
def test_home_refuses_a_bad_target(robot: httpx.Client, body: dict[str, str], message: str) -> None:
    response = robot.post("/robot/home", json=body)
    assert response.status_code == 422
    assert response.json() == {"message": message, "errorCode": "4000"}


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_engaged_motors_and_disengaging_them(fresh_robot: httpx.Client) -> None:
    engaged = fresh_robot.get("/motors/engaged")
    assert engaged.status_code == 200
    axes = ("x", "y", "z_l", "z_r", "p_l", "p_r")
    assert engaged.json() == {
        **{axis: {"enabled": True} for axis in axes},
        "q": None,
        "g": None,
    }
    response = fresh_robot.post("/motors/disengage", json={"axes": ["X", "b", "q"]})
    assert response.json() == {"message": "Disengaged axes: x, b, q"}  # q is no OT-2 axis
    after = fresh_robot.get("/motors/engaged").json()
    assert (after["x"], after["p_l"], after["y"]) == (
        {"enabled": False},
        {"enabled": False},
        {"enabled": True},
    )
    refused = fresh_robot.post("/motors/disengage", json={"axes": ["w"]})
    assert refused.status_code == 422
    assert refused.json()["message"].startswith(
        "body.axes.0: value is not a valid enumeration member; permitted: 'x', 'y'"
    )


def test_door_status(robot: httpx.Client) -> None:
    response = robot.get("/robot/door/status")
    assert response.json() == {"data": {"status": "closed", "doorRequiredClosedForProtocol": False}}
    assert "Opentrons-Version" not in response.headers  # a pre-built modern response


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/robot/control/estopStatus"), ("PUT", "/robot/control/acknowledgeEstopDisengage")],
)
def test_an_ot2_has_no_estop(robot: httpx.Client, method: str, path: str) -> None:
    response = robot.request(method, path)
    assert response.status_code == 403
    assert response.json() == {
        "errors": [
            {
                "id": "NotSupportedOnOT2",
                "title": "Not Supported On OT-2",
                "detail": "This route is only available on a Flex.",
                "errorCode": "4000",
            }
        ]
    }
