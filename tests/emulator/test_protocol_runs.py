"""Runs made from uploaded protocols, played to succeeded, failed and stopped."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess
from protocol_http import (
    BAD_NO_TIP,
    TINY,
    WITH_CSV,
    WITH_CUSTOM_LABWARE,
    WITH_PARAMETERS,
    analysed,
    custom_labware_definition,
    fixed_trash_protocol,
    json_protocol,
    slow,
    unique,
    upload_csv,
    wait_for_analysis,
)
from robot_http import end_run, wait_for_status

ENDED = {"succeeded", "failed", "stopped"}


def protocol_run(robot: httpx.Client, protocol_id: str, **data: Any) -> dict[str, Any]:
    response = robot.post("/runs", json={"data": {"protocolId": protocol_id, **data}})
    assert response.status_code == 201, response.text
    run: dict[str, Any] = response.json()["data"]
    return run


def act(robot: httpx.Client, run_id: str, action: str) -> httpx.Response:
    response = robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": action}})
    assert response.status_code == 201, response.text
    return response


def statuses_until_ended(robot: httpx.Client, run_id: str, timeout: float = 60) -> list[str]:
    """The run's statuses as polled, without repeats, until it ends."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while not seen or seen[-1] not in ENDED:
        status = robot.get(f"/runs/{run_id}").json()["data"]["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        assert time.monotonic() < deadline, f"the run stayed {status}"
        time.sleep(0.01)
    return seen


def command_types(robot: httpx.Client, run_id: str) -> list[str]:
    commands = robot.get(f"/runs/{run_id}/commands", params={"pageLength": 200}).json()["data"]
    return [command["commandType"] for command in commands]


def is_in_order(seen: list[str], order: list[str]) -> bool:
    positions = [order.index(status) for status in seen]
    return positions == sorted(positions)


def test_upload_analyse_run_succeed(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"tiny.py": unique(TINY)})
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "ok"

    run = protocol_run(robot, protocol["id"])
    assert run["status"] == "idle"
    assert run["protocolId"] == protocol["id"]
    assert run["current"] is True
    act(robot, run["id"], "play")
    seen = ["idle", *statuses_until_ended(robot, run["id"])]
    assert seen[-1] == "succeeded"
    assert is_in_order(seen, ["idle", "running", "finishing", "succeeded"])

    ended = robot.get(f"/runs/{run['id']}").json()["data"]
    assert ended["errors"] == []
    assert [p["pipetteName"] for p in ended["pipettes"]] == ["p300_single_gen2"]
    assert [a["actionType"] for a in ended["actions"]] == ["play"]
    assert ended["startedAt"] and ended["completedAt"]
    # The run issued what the analysis predicted, with the same command keys.
    assert command_types(robot, run["id"]) == [c["commandType"] for c in analysis["commands"]]

    links = robot.get(f"/protocols/{protocol['id']}").json()["links"]
    assert links == {"referencingRuns": [{"id": run["id"], "href": f"/runs/{run['id']}"}]}
    in_use = robot.delete(f"/protocols/{protocol['id']}")
    assert in_use.status_code == 409
    assert in_use.json()["errors"][0] == {
        "id": "ProtocolUsedByRun",
        "title": "Protocol Used by Run",
        "detail": f"Protocol {protocol['id']} is used by a run and cannot be deleted.",
        "errorCode": "4000",
    }
    end_run(robot, run["id"])
    assert robot.delete(f"/runs/{run['id']}").status_code == 200
    assert robot.delete(f"/protocols/{protocol['id']}").status_code == 200


def test_a_failing_protocol_fails_the_run_with_the_error(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"bad_no_tip.py": unique(BAD_NO_TIP)})
    analysis = wait_for_analysis(robot, protocol["id"])
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    ended = wait_for_status(robot, run["id"], ENDED)
    assert ended["status"] == "failed"
    [error] = ended["errors"]
    [predicted] = analysis["errors"]
    assert error["errorType"] == predicted["errorType"] == "ExceptionInProtocolError"
    assert error["detail"] == predicted["detail"]
    assert "TipNotAttachedError" in error["detail"]
    assert "[line 9]" in error["detail"]
    commands = robot.get(f"/runs/{run['id']}/commands").json()["data"]
    failed = [c for c in commands if c["status"] == "failed"]
    assert [c["commandType"] for c in failed] == ["aspirate"]
    assert failed[0]["error"]["errorType"] == "TipNotAttachedError"
    end_run(robot, run["id"])


def test_stop_mid_run(robot: httpx.Client) -> None:
    text = slow(analysis_seconds=0, run_seconds=30)
    protocol = analysed(robot, {"long.py": text})
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    wait_for_status(robot, run["id"], {"running"})
    time.sleep(0.3)
    started = time.monotonic()
    act(robot, run["id"], "stop")
    ended = wait_for_status(robot, run["id"], ENDED, timeout=15)
    assert ended["status"] == "stopped"
    assert time.monotonic() - started < 10
    assert ended["errors"] == []
    assert "done" not in str(robot.get(f"/runs/{run['id']}/commands").json()["data"][-1])
    end_run(robot, run["id"])


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_pause_and_resume(robot: httpx.Client) -> None:
    text = slow(analysis_seconds=0, run_seconds=1)
    protocol = analysed(robot, {"pausable.py": text})
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    wait_for_status(robot, run["id"], {"running"})
    act(robot, run["id"], "pause")
    assert robot.get(f"/runs/{run['id']}").json()["data"]["status"] == "paused"
    time.sleep(1.5)  # the delay ends, but nothing after it runs while paused
    assert robot.get(f"/runs/{run['id']}").json()["data"]["status"] == "paused"
    # The protocol may already have queued its next command; it must not have started.
    listed = robot.get(f"/runs/{run['id']}/commands", params={"pageLength": 100}).json()["data"]
    after = [c for c in listed if c["params"].get("message") == "done"]
    assert all(c["status"] == "queued" for c in after), after
    act(robot, run["id"], "play")
    ended = wait_for_status(robot, run["id"], ENDED)
    assert ended["status"] == "succeeded"
    assert [a["actionType"] for a in ended["actions"]] == ["play", "pause", "play"]
    end_run(robot, run["id"])


def test_a_protocol_pause_waits_for_play(robot: httpx.Client) -> None:
    text = (
        'requirements = {"robotType": "OT-2", "apiLevel": "2.20"}\n\n\n'
        "def run(ctx):\n"
        '    ctx.pause("load the plate")\n'
        '    ctx.comment("after")\n'
    )
    protocol = analysed(robot, {"protocol_pause.py": unique(text)})
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    wait_for_status(robot, run["id"], {"paused"})
    act(robot, run["id"], "play")
    assert wait_for_status(robot, run["id"], ENDED)["status"] == "succeeded"
    assert command_types(robot, run["id"])[-2:] == ["waitForResume", "comment"]
    end_run(robot, run["id"])


@pytest.mark.parametrize("api_level", ["2.13", "2.15"])
def test_old_protocols_drop_tips_in_the_fixed_trash(robot: httpx.Client, api_level: str) -> None:
    protocol = analysed(robot, {f"trash_{api_level}.py": unique(fixed_trash_protocol(api_level))})
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "ok", analysis["errors"]
    run = protocol_run(robot, protocol["id"])
    # The fixed trash is labware in slot 12 from the start, as robot-server loads it.
    assert [lw["loadName"] for lw in run["labware"]] == ["opentrons_1_trash_1100ml_fixed"]
    act(robot, run["id"], "play")
    ended = wait_for_status(robot, run["id"], ENDED)
    assert ended["status"] == "succeeded", ended["errors"]
    assert command_types(robot, run["id"])[-2:] == ["pickUpTip", "dropTip"]
    end_run(robot, run["id"])


def test_a_json_protocol(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"designed.json": json_protocol()})
    assert protocol["protocolType"] == "json"
    assert protocol["files"] == [{"name": "designed.json", "role": "main"}]
    analysis = wait_for_analysis(robot, protocol["id"])
    assert analysis["result"] == "ok", analysis["errors"]
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    ended = wait_for_status(robot, run["id"], ENDED)
    assert ended["status"] == "succeeded", ended["errors"]
    assert command_types(robot, run["id"]) == [c["commandType"] for c in analysis["commands"]]
    end_run(robot, run["id"])


def test_run_time_parameter_values_for_the_run(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"rtp_run.py": unique(WITH_PARAMETERS)})
    run = protocol_run(robot, protocol["id"], runTimeParameterValues={"volume": 150, "mix": True})
    values = {p["variableName"]: p["value"] for p in run["runTimeParameters"]}
    assert values == {"volume": 150, "mix": True}
    act(robot, run["id"], "play")
    assert wait_for_status(robot, run["id"], ENDED)["status"] == "succeeded"
    commands = robot.get(f"/runs/{run['id']}/commands").json()["data"]
    assert commands[-1]["params"]["message"] == "volume 150 mix True"
    end_run(robot, run["id"])


def test_a_csv_file_for_the_run(robot: httpx.Client) -> None:
    name = f"run-{uuid.uuid4().hex[:8]}.csv"
    file_id = upload_csv(robot, name, "sample,volume\nR1,10\nR2,20\nR3,30\n")
    protocol = analysed(robot, {"csv_run.py": unique(WITH_CSV)})
    run = protocol_run(robot, protocol["id"], runTimeParameterFiles={"samples": file_id})
    [parameter] = run["runTimeParameters"]
    assert parameter["file"] == {"id": file_id, "name": name}
    act(robot, run["id"], "play")
    assert wait_for_status(robot, run["id"], ENDED)["status"] == "succeeded"
    commands = robot.get(f"/runs/{run['id']}/commands").json()["data"]
    assert commands[-1]["params"]["message"] == "3 samples, first R1"
    in_use = robot.delete(f"/dataFiles/{file_id}")
    assert in_use.status_code == 409
    assert f"runs: {{'{run['id']}'}}" in in_use.json()["errors"][0]["detail"]
    assert [
        f["id"] for f in robot.get(f"/protocols/{protocol['id']}/dataFiles").json()["data"]
    ] == [file_id]
    end_run(robot, run["id"])


def test_custom_labware_in_a_run(robot: httpx.Client) -> None:
    protocol = analysed(
        robot,
        {
            "custom_run.py": unique(WITH_CUSTOM_LABWARE),
            "otlink_test_plate.json": custom_labware_definition(),
        },
    )
    run = protocol_run(robot, protocol["id"])
    act(robot, run["id"], "play")
    ended = wait_for_status(robot, run["id"], ENDED)
    assert ended["status"] == "succeeded", ended["errors"]
    assert "custom_beta/otlink_test_plate/1" in [lw["definitionUri"] for lw in ended["labware"]]
    end_run(robot, run["id"])


def test_a_run_of_an_unknown_protocol(robot: httpx.Client) -> None:
    response = robot.post("/runs", json={"data": {"protocolId": "nope"}})
    assert response.status_code == 404
    assert response.json()["errors"][0] == {
        "id": "ProtocolNotFound",
        "title": "Protocol Not Found",
        "detail": "'Protocol nope was not found.'",
        "errorCode": "4000",
    }


def test_a_run_with_an_unknown_data_file(robot: httpx.Client) -> None:
    protocol = analysed(robot, {"csv_unknown.py": unique(WITH_CSV)})
    response = robot.post(
        "/runs",
        json={"data": {"protocolId": protocol["id"], "runTimeParameterFiles": {"samples": "nope"}}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["id"] == "FileIdNotFound"


@pytest.mark.parametrize(
    ("values", "detail"),
    [
        ({"volume": 500}, "Parameter must be between 10 and 200 inclusive."),
        ({"nope": 5}, "Parameter nope is not defined as a parameter for this protocol."),
    ],
)
def test_a_bad_parameter_value_refuses_the_run_and_leaves_the_robot_free(
    robot: httpx.Client, values: dict[str, Any], detail: str
) -> None:
    protocol = analysed(robot, {"rtp_bad.py": unique(WITH_PARAMETERS)})
    response = robot.post(
        "/runs", json={"data": {"protocolId": protocol["id"], "runTimeParameterValues": values}}
    )
    # robot-server answers 500 here (and keeps the half-made run's engine); we answer 422.
    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == detail
    run = protocol_run(robot, protocol["id"])
    end_run(robot, run["id"])


LEGACY_WITH_MODULES = """
metadata = {'apiLevel': '2.13'}
def run(ctx):
    temperature = ctx.load_module('temperature module gen2', 1)
    temperature.load_labware('opentrons_96_aluminumblock_generic_pcr_strip_200ul')
    temperature.set_temperature(40)
    magnet = ctx.load_module('magnetic module gen2', 4)
    magnet.engage(height=10)
"""


def test_a_legacy_protocol_with_modules_analyses_and_runs(
    robot_with_modules: EmulatorProcess,
) -> None:
    # opentrons' legacy core on Python 3.11 cannot find a simulated module's definition; a robot
    # (Python 3.10) can, and so does the virtual OT-2.
    with httpx.Client(
        base_url=robot_with_modules.url, headers={"Opentrons-Version": "*"}, timeout=60
    ) as robot:
        protocol = analysed(robot, {"legacy_modules.py": unique(LEGACY_WITH_MODULES)})
        analysis = wait_for_analysis(robot, protocol["id"])
        assert analysis["result"] == "ok", analysis["errors"]
        planned = [c["commandType"] for c in analysis["commands"]]
        assert planned.count("loadModule") == 2
        assert [m["model"] for m in analysis["modules"]] == [
            "temperatureModuleV2",
            "magneticModuleV2",
        ]
        run = protocol_run(robot, protocol["id"])
        act(robot, run["id"], "play")
        ended = wait_for_status(robot, run["id"], ENDED)
        assert ended["status"] == "succeeded", ended["errors"]
        assert command_types(robot, run["id"]) == planned
        end_run(robot, run["id"])
