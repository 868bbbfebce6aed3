"""Commands on a live run, checked against the real robot-server's recorded answers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess
from reference import SAMPLES
from robot_http import (
    Deck,
    end_run,
    new_run,
    post_command,
    set_up_deck,
    succeeded,
    wait_for_status,
    well,
)


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text())["data"]


@pytest.fixture
def deck(robot: httpx.Client) -> Iterator[Deck]:
    deck = set_up_deck(robot)
    yield deck
    end_run(robot, deck.run_id)


def _boot_moves(robot: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """moveToWell, then moveRelative in X, on a robot nothing has homed since it booted."""
    run_id = new_run(robot)
    pipette = succeeded(
        post_command(
            robot, run_id, "loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left"}
        )
    )["pipetteId"]
    plate = succeeded(
        post_command(
            robot,
            run_id,
            "loadLabware",
            {
                "location": {"slotName": "1"},
                "loadName": "corning_96_wellplate_360ul_flat",
                "namespace": "opentrons",
                "version": 2,
            },
        )
    )["labwareId"]
    to_well = post_command(robot, run_id, "moveToWell", {"pipetteId": pipette, **well(plate, "A1")})
    relative = post_command(
        robot, run_id, "moveRelative", {"pipetteId": pipette, "axis": "x", "distance": 1}
    )
    end_run(robot, run_id)
    return to_well, relative


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_the_robot_homes_z_at_boot_as_a_robot_does(fresh_robot: httpx.Client) -> None:
    # robot-server on an OT-2 homes the Z axes once its hardware is up: a move to a well works,
    # a move that needs X and Y names them.
    to_well, relative = _boot_moves(fresh_robot)
    assert to_well["status"] == "succeeded", to_well.get("error")
    assert relative["status"] == "failed"
    assert relative["error"]["errorType"] == "MustHomeError"
    (cause,) = relative["error"]["wrappedErrors"]
    assert cause["errorInfo"]["unhomed_axes"] == "['X', 'Y']"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_disable_home_on_boot_leaves_every_axis_unhomed(
    monkeypatch: pytest.MonkeyPatch,
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    monkeypatch.setenv(
        "OT_API_FF_disableHomeOnBoot", "true"
    )  # the robot setting, as opentrons reads it
    server = start_emulator()
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}, timeout=60) as robot:
        to_well, relative = _boot_moves(robot)
    assert to_well["status"] == relative["status"] == "failed"
    assert to_well["error"]["errorType"] == relative["error"]["errorType"] == "MustHomeError"


def test_a_pipette_that_is_not_attached_fails_to_load(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    loaded = post_command(
        robot, run_id, "loadPipette", {"pipetteName": "p1000_single_gen2", "mount": "left"}
    )
    assert loaded["status"] == "failed"
    assert loaded["error"]["errorType"] == "FailedToLoadPipetteError"
    assert loaded["error"]["errorCode"] == "3010"
    assert "p1000_single_gen2" in loaded["error"]["detail"]
    end_run(robot, run_id)


def test_liquid_handling_matches_the_robot(deck: Deck, robot: httpx.Client) -> None:
    no_tip = post_command(
        robot,
        deck.run_id,
        "aspirate",
        {
            "pipetteId": deck.right,
            **well(deck.plate, "A1", "bottom", 1),
            "volume": 10,
            "flowRate": 7.56,
        },
    )
    expected_error = sample("cmd_aspirate_without_tip_error")["error"]
    assert no_tip["status"] == "failed"
    for name in ("errorType", "errorCode", "detail", "isDefined"):
        assert no_tip["error"][name] == expected_error[name]

    picked = succeeded(
        post_command(
            robot, deck.run_id, "pickUpTip", {"pipetteId": deck.left, **well(deck.tips, "A1")}
        )
    )
    assert picked == sample("cmd_pickUpTip")["result"]

    aspirate = {
        "pipetteId": deck.left,
        **well(deck.plate, "A1", "bottom", 1),
        "volume": 100,
        "flowRate": 92.86,
    }
    aspirated = post_command(robot, deck.run_id, "aspirate", aspirate)
    assert succeeded(aspirated) == sample("cmd_aspirate")["result"]
    assert aspirated["params"] == {
        **sample("cmd_aspirate")["params"],
        "labwareId": deck.plate,
        "pipetteId": deck.left,
    }
    assert aspirated["intent"] == "setup" and aspirated["key"] == aspirated["id"]

    too_much = post_command(robot, deck.run_id, "aspirate", {**aspirate, "volume": 250})
    assert too_much["status"] == "failed"
    assert too_much["error"]["errorType"] == "InvalidAspirateVolumeError"

    dispensed = succeeded(
        post_command(
            robot, deck.run_id, "dispense", {**aspirate, **well(deck.plate, "B1", "bottom", 1)}
        )
    )
    assert dispensed == sample("cmd_dispense")["result"]


def test_tips_go_to_the_trash_without_fixed_trash_labware(deck: Deck, robot: httpx.Client) -> None:
    succeeded(
        post_command(
            robot, deck.run_id, "pickUpTip", {"pipetteId": deck.left, **well(deck.tips, "A1")}
        )
    )
    old_style = post_command(
        robot,
        deck.run_id,
        "dropTip",
        {"pipetteId": deck.left, "labwareId": "fixedTrash", "wellName": "A1"},
    )
    assert old_style["error"]["errorType"] == "LabwareNotLoadedError"
    # opentrons 8.8.2 says "Labware with id fixedTrash not found." (8.2 had no "with id").
    assert old_style["error"]["detail"].endswith("fixedTrash not found.")
    moved = succeeded(
        post_command(
            robot,
            deck.run_id,
            "moveToAddressableAreaForDropTip",
            {
                "pipetteId": deck.left,
                "addressableAreaName": "fixedTrash",
                "offset": {"x": 0, "y": 0, "z": 0},
            },
        )
    )
    assert moved == sample("cmd_moveToAddressableAreaForDropTip")["result"]
    succeeded(post_command(robot, deck.run_id, "dropTipInPlace", {"pipetteId": deck.left}))
    slot12 = post_command(
        robot,
        deck.run_id,
        "loadLabware",
        {
            "location": {"slotName": "12"},
            "loadName": "opentrons_1_trash_1100ml_fixed",
            "namespace": "opentrons",
            "version": 1,
        },
    )
    assert slot12["error"]["errorType"] == "AreaNotInDeckConfigurationError"
    assert slot12["error"]["detail"] == "12 not provided by deck configuration."
    # Back into its rack: the robot's own position for tip B1.
    succeeded(
        post_command(
            robot, deck.run_id, "pickUpTip", {"pipetteId": deck.left, **well(deck.tips, "B1")}
        )
    )
    dropped = succeeded(
        post_command(
            robot,
            deck.run_id,
            "dropTip",
            {"pipetteId": deck.left, "labwareId": deck.tips, "wellName": "B1"},
        )
    )
    assert dropped == sample("cmd_dropTip")["result"]


def test_an_occupied_slot_refuses_a_second_labware(deck: Deck, robot: httpx.Client) -> None:
    again = post_command(
        robot,
        deck.run_id,
        "loadLabware",
        {
            "location": {"slotName": "2"},
            "loadName": "nest_96_wellplate_100ul_pcr_full_skirt",
            "namespace": "opentrons",
            "version": 2,
        },
    )
    assert again["status"] == "failed"
    assert again["error"]["errorType"] == "LocationIsOccupiedError"


def test_a_failed_setup_command_leaves_the_run_usable(deck: Deck, robot: httpx.Client) -> None:
    failed = post_command(
        robot,
        deck.run_id,
        "aspirate",
        {"pipetteId": deck.left, **well(deck.plate, "A1"), "volume": 1, "flowRate": 1},
    )
    assert failed["status"] == "failed"
    assert robot.get(f"/runs/{deck.run_id}").json()["data"]["status"] == "idle"
    succeeded(post_command(robot, deck.run_id, "comment", {"message": "still here"}))


def _command_when_done(robot: httpx.Client, run_id: str, command_id: str) -> dict[str, Any]:
    """The command once it has ended (polled: the robot offers no event to wait on)."""
    deadline = time.monotonic() + 30
    while True:
        command: dict[str, Any] = robot.get(f"/runs/{run_id}/commands/{command_id}").json()["data"]
        if command["status"] not in ("queued", "running"):
            return command
        assert time.monotonic() < deadline, f"command {command_id} never ended"
        time.sleep(0.05)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_timeout_ends_the_wait_never_the_command(deck: Deck, robot: httpx.Client) -> None:
    waiting = post_command(robot, deck.run_id, "waitForDuration", {"seconds": 1.5}, timeout=200)
    # The answer came while the command still ran: the timeout ended the wait...
    assert waiting["status"] in ("queued", "running") and "completedAt" not in waiting
    # ...and the command went on to the end.
    assert _command_when_done(robot, deck.run_id, waiting["id"])["status"] == "succeeded"


def test_without_wait_the_command_comes_back_queued(deck: Deck, robot: httpx.Client) -> None:
    queued = post_command(robot, deck.run_id, "waitForDuration", {"seconds": 0.2}, wait=False)
    assert queued["status"] in ("queued", "running")
    assert "result" not in queued
    assert _command_when_done(robot, deck.run_id, queued["id"])["status"] == "succeeded"


def test_keys_are_kept_and_not_deduplicated(deck: Deck, robot: httpx.Client) -> None:
    for _ in range(2):
        response = robot.post(
            f"/runs/{deck.run_id}/commands",
            params={"waitUntilComplete": "true"},
            json={"data": {"commandType": "comment", "params": {"message": "hi"}, "key": "same"}},
        )
        assert response.json()["data"]["key"] == "same"
    listing = robot.get(f"/runs/{deck.run_id}/commands", params={"pageLength": 100}).json()["data"]
    assert [c["key"] for c in listing].count("same") == 2


def test_command_list_pages_end_at_the_latest(deck: Deck, robot: httpx.Client) -> None:
    # home, two loadPipette, two loadLabware
    page = robot.get(f"/runs/{deck.run_id}/commands", params={"pageLength": 3}).json()
    assert page["meta"] == {"cursor": 2, "totalLength": 5}
    assert [c["commandType"] for c in page["data"]] == ["loadPipette", "loadLabware", "loadLabware"]
    assert all("result" not in c for c in page["data"])
    current = page["links"]["current"]
    assert current["meta"]["index"] == 4 and current["meta"]["runId"] == deck.run_id
    assert current["href"] == f"/runs/{deck.run_id}/commands/{current['meta']['commandId']}"
    first = robot.get(f"/runs/{deck.run_id}/commands", params={"cursor": 0, "pageLength": 2}).json()
    assert first["meta"]["cursor"] == 0 and [c["commandType"] for c in first["data"]] == [
        "home",
        "loadPipette",
    ]
    one = robot.get(f"/runs/{deck.run_id}/commands/{first['data'][0]['id']}").json()["data"]
    assert one["commandType"] == "home" and one["result"] == {}


def test_command_shapes_match_the_robot_field_for_field(deck: Deck, robot: httpx.Client) -> None:
    listing = robot.get(f"/runs/{deck.run_id}/commands", params={"pageLength": 5}).json()
    recorded = json.loads((SAMPLES / "get_run_commands.json").read_text())
    assert list(listing["data"][0]) == list(recorded["data"][0])
    assert listing["data"][1]["params"] == recorded["data"][1]["params"]
    home = robot.get(f"/runs/{deck.run_id}/commands/{listing['data'][0]['id']}").json()["data"]
    assert list(home) == list(sample("cmd_home"))


def test_protocol_intent_commands_wait_for_play(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    queued = post_command(
        robot, run_id, "comment", {"message": "after play"}, intent="protocol", timeout=300
    )
    assert queued["status"] == "queued" and queued["intent"] == "protocol"
    assert (
        robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}}).status_code
        == 201
    )
    deadline = time.monotonic() + 30
    while robot.get(f"/runs/{run_id}").json()["data"]["status"] != "succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert (
        robot.get(f"/runs/{run_id}/commands/{queued['id']}").json()["data"]["status"] == "succeeded"
    )
    # A played live run has ended: the robot refuses more commands.
    late = robot.post(
        f"/runs/{run_id}/commands", json={"data": {"commandType": "home", "params": {}}}
    )
    assert late.status_code == 409
    assert late.json()["errors"][0]["id"] in ("RunStopped", "SetupCommandNotAllowed")
    end_run(robot, run_id)


def test_setup_commands_are_refused_once_the_run_is_playing(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    post_command(robot, run_id, "waitForDuration", {"seconds": 3}, intent="protocol", wait=False)
    robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    wait_for_status(robot, run_id, {"running"})  # the run starts once the robot has homed
    refused = robot.post(
        f"/runs/{run_id}/commands", json={"data": {"commandType": "home", "params": {}}}
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body == {
        "errors": [
            {
                **json.loads((SAMPLES / "err_setup_command_while_running.json").read_text())[
                    "errors"
                ][0]
            }
        ]
    }
    end_run(robot, run_id)


def test_commands_on_a_stopped_run_are_refused(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "stop"}})
    wait_for_status(robot, run_id, {"stopped"})
    refused = robot.post(
        f"/runs/{run_id}/commands", json={"data": {"commandType": "home", "params": {}}}
    )
    assert refused.status_code == 409
    assert refused.json() == json.loads((SAMPLES / "err_command_on_stopped_run.json").read_text())
    end_run(robot, run_id)


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"commandType": "notACommand", "params": {}}, "/data"),
        ({"commandType": "aspirate", "params": {"volume": "lots"}}, "/data/aspirate/params/volume"),
        ({"commandType": "home", "params": {}, "intent": "sometimes"}, "/data/home/intent"),
    ],
)
def test_invalid_commands_get_422_with_a_pointer(
    deck: Deck, robot: httpx.Client, data: dict, pointer: str
) -> None:
    response = robot.post(f"/runs/{deck.run_id}/commands", json={"data": data})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["id"] for e in errors} == {"InvalidRequest"}
    # pydantic names the union member it tried after the field (".../intent/str-enum[...]").
    pointers = [e.get("source", {}).get("pointer", "") for e in errors]
    assert any(p == pointer or p.startswith(pointer + "/") for p in pointers), pointers
    assert response.headers["Opentrons-Version"] == "4"


def test_unknown_command_type_lists_the_allowed_ones(deck: Deck, robot: httpx.Client) -> None:
    response = robot.post(
        f"/runs/{deck.run_id}/commands", json={"data": {"commandType": "notACommand", "params": {}}}
    )
    detail = response.json()["errors"][0]["detail"]
    assert detail.startswith("No match for discriminator 'commandType' and value 'notACommand'")
    assert "'aspirate'" in detail


def test_unknown_ids_are_404(deck: Deck, robot: httpx.Client) -> None:
    assert robot.get(f"/runs/{deck.run_id}/commands/nope").status_code == 404
    missing = robot.post(
        "/runs/nope/commands", json={"data": {"commandType": "home", "params": {}}}
    )
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["id"] == "RunNotFound"


def test_bad_query_parameters_name_the_parameter(deck: Deck, robot: httpx.Client) -> None:
    response = robot.post(
        f"/runs/{deck.run_id}/commands",
        params={"waitUntilComplete": "true", "timeout": "0"},
        json={"data": {"commandType": "home", "params": {}}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"] == {"parameter": "timeout"}


def test_reading_commands_and_runs_requires_the_version_header(
    deck: Deck, robot: httpx.Client
) -> None:
    command_id = robot.get(f"/runs/{deck.run_id}/commands").json()["data"][0]["id"]
    for path in (f"/runs/{deck.run_id}", f"/runs/{deck.run_id}/commands/{command_id}"):
        read = robot.get(path)
        assert read.status_code == 200
        assert "Opentrons-Version" not in read.headers  # as on a robot: success has none
        unversioned = httpx.get(robot.base_url.join(path))
        assert unversioned.status_code == 422, unversioned.text
        (error,) = unversioned.json()["errors"]
        assert error["source"] == {"header": "opentrons-version"}
        assert error["detail"] == "field required"


_JSON = {"Content-Type": "application/json"}
_VERSIONED_JSON = {"Opentrons-Version": "4", **_JSON}


@pytest.mark.parametrize(
    ("body", "headers", "sources"),
    [
        # FastAPI's order: a body that is not JSON first, then the header with the body's fields.
        (b"{bad", _JSON, [{"pointer": "/1"}]),
        (
            b'{"data": {"actionType": "nope"}}',
            _JSON,
            [{"header": "opentrons-version"}, {"pointer": "/data/actionType"}],
        ),
        (b"", _JSON, [{"header": "opentrons-version"}, {"pointer": "/"}]),
        (b'{"data": []}', _VERSIONED_JSON, [{"pointer": "/data"}]),
        # A body not declared JSON is not read as JSON.
        (b'{"data": {"actionType": "pause"}}', {"Opentrons-Version": "4"}, [{"pointer": "/"}]),
    ],
)
def test_action_errors_come_in_fastapis_order(
    deck: Deck, robot: httpx.Client, body: bytes, headers: dict[str, str], sources: list[dict]
) -> None:
    url = robot.base_url.join(f"/runs/{deck.run_id}/actions")
    response = httpx.post(url, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert [error.get("source") for error in response.json()["errors"]] == sources


def test_an_outdated_version_is_refused_before_the_action_is_read(
    deck: Deck, robot: httpx.Client
) -> None:
    response = robot.post(
        f"/runs/{deck.run_id}/actions",
        json={"data": {"actionType": "nope"}},
        headers={"Opentrons-Version": "1"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["id"] == "OutdatedAPIVersion"
