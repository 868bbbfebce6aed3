"""Small helpers for talking to a virtual OT-2 in tests, in the robot's own wire format."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from otlink.client import RobotClient
from otlink.runs.ending import is_otlink_hold

#: What the ``robot_with_modules`` fixture has attached: one module of each kind.
MODULES = (
    "temperatureModuleV2",
    "magneticModuleV2",
    "thermocyclerModuleV1",
    "heaterShakerModuleV1",
)


def post_command(
    robot: httpx.Client,
    run_id: str,
    command_type: str,
    params: dict[str, Any] | None = None,
    *,
    wait: bool = True,
    intent: str | None = None,
    base: str = "/runs",
    **query: Any,
) -> dict[str, Any]:
    """POST a command; return the command object (asserting the robot's 201)."""
    data: dict[str, Any] = {"commandType": command_type, "params": params or {}}
    if intent is not None:
        data["intent"] = intent
    response = robot.post(
        f"{base}/{run_id}/commands",
        params={"waitUntilComplete": str(wait).lower(), **query},
        json={"data": data},
    )
    assert response.status_code == 201, response.text
    command: dict[str, Any] = response.json()["data"]
    return command


def succeeded(command: dict[str, Any]) -> dict[str, Any]:
    assert command["status"] == "succeeded", command.get("error")
    result: dict[str, Any] = command.get("result", {})
    return result


@dataclass
class Deck:
    """A live run with both pipettes, a 300 µL tip rack in 1 and a 96-well plate in 2."""

    run_id: str
    left: str
    right: str
    tips: str
    plate: str


def new_run(robot: httpx.Client) -> str:
    response = robot.post("/runs", json={"data": {}})
    assert response.status_code == 201, response.text
    run_id: str = response.json()["data"]["id"]
    return run_id


def set_up_deck(robot: httpx.Client, run_id: str | None = None, *, home: bool = True) -> Deck:
    run_id = run_id or new_run(robot)
    if home:
        succeeded(post_command(robot, run_id, "home"))
    left = succeeded(
        post_command(
            robot, run_id, "loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left"}
        )
    )["pipetteId"]
    right = succeeded(
        post_command(
            robot, run_id, "loadPipette", {"pipetteName": "p20_single_gen2", "mount": "right"}
        )
    )["pipetteId"]
    tips = succeeded(
        post_command(
            robot,
            run_id,
            "loadLabware",
            {
                "location": {"slotName": "1"},
                "loadName": "opentrons_96_tiprack_300ul",
                "namespace": "opentrons",
                "version": 1,
            },
        )
    )["labwareId"]
    plate = succeeded(
        post_command(
            robot,
            run_id,
            "loadLabware",
            {
                "location": {"slotName": "2"},
                "loadName": "corning_96_wellplate_360ul_flat",
                "namespace": "opentrons",
                "version": 2,
            },
        )
    )["labwareId"]
    return Deck(run_id, left, right, tips, plate)


def well(labware_id: str, name: str, origin: str = "top", z: float = 0.0) -> dict[str, Any]:
    return {
        "labwareId": labware_id,
        "wellName": name,
        "wellLocation": {"origin": origin, "offset": {"x": 0, "y": 0, "z": z}},
    }


def end_run(robot: httpx.Client, run_id: str) -> None:
    """Stop the run if it is still active and archive it, so the next test can make its own."""
    run = robot.get(f"/runs/{run_id}").json()["data"]
    if run["current"] and run["status"] not in ("succeeded", "failed", "stopped"):
        robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "stop"}})
        wait_for_status(robot, run_id, {"stopped", "succeeded", "failed"})
    if robot.get(f"/runs/{run_id}").json()["data"]["current"]:
        robot.patch(f"/runs/{run_id}", json={"data": {"current": False}})


def wait_for_status(
    robot: httpx.Client, run_id: str, statuses: set[str], timeout: float = 60
) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = robot.get(f"/runs/{run_id}").json()["data"]
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, f"run stayed {run['status']}, wanted {statuses}"
        time.sleep(0.05)


def free_robot(client: RobotClient) -> None:
    """No fault rules, and no current run left active by another test."""
    httpx.delete(f"{client.url}/otlink/faults").raise_for_status()
    for run in client.list_runs():
        if run.current:
            if run.status not in ("succeeded", "failed", "stopped"):
                client.stop_run(run.id)
                client.wait_for_run(run.id, timeout=30)
            client.archive_run(run.id)


def free_the_robot(client: httpx.Client) -> None:
    current = client.get("/runs").json().get("links", {}).get("current")
    if not current:
        return
    run_path = current["href"]
    if client.get(run_path).json()["data"]["status"] not in ("succeeded", "failed", "stopped"):
        client.post(f"{run_path}/actions", json={"data": {"actionType": "stop"}})
        deadline = time.monotonic() + 30
        while client.get(run_path).json()["data"]["status"] != "stopped":
            assert time.monotonic() < deadline, f"{run_path} would not stop"
            time.sleep(0.05)
    client.patch(run_path, json={"data": {"current": False}})


def protocol_commands(client: RobotClient, run_id: str) -> list[Any]:
    """The run's commands without the holds otlink adds to keep a played live run open."""
    return [
        command
        for command in client.iter_commands(run_id)
        if not is_otlink_hold(command.commandType, command.params)
    ]
