"""Every route with an id in its path, asked with an unknown id, and every route without the version
header: robot-server's 404 and 422, in its shapes, never a 5xx.

The routes are all the robot-server operations the virtual OT-2 serves (tests/schema_fuzz.py).
An id is unknown on its own (``/runs/{unknown}/commands/{unknown}``) and under a parent that
exists (``/runs/{current run}/commands/{unknown}``), where a lookup bug would hide.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from robot_http import end_run
from schema_fuzz import KnownIds, error_shape_problem, in_scope

WITH_IDS = [label for label in in_scope() if "{" in label]
_PARAMETER = re.compile(r"\{(\w+)\}")
_BODIES: dict[str, Any] = {
    "commands": {"data": {"commandType": "comment", "params": {"message": "unknown ids"}}},
    "actions": {"data": {"actionType": "play"}},
    "labware_offsets": {
        "data": {
            "definitionUri": "opentrons/opentrons_96_tiprack_300ul/1",
            "location": {"slotName": "1"},
            "vector": {"x": 0, "y": 0, "z": 0},
        }
    },
    "errorRecoveryPolicy": {"data": {"policyRules": []}},
}


def _body(path: str) -> Any:
    return _BODIES.get(path.rsplit("/", 1)[-1], {"data": {}})


def _ask(robot: httpx.Client, label: str, values: dict[str, str], **kwargs: Any) -> httpx.Response:
    method, path = label.split(" ", 1)
    url = _PARAMETER.sub(lambda match: values[match.group(1)], path)
    body = _body(path) if method in ("POST", "PUT", "PATCH") else None
    return robot.request(method, url, json=body, **kwargs)


def _unknown_variants(label: str, known: dict[str, str]) -> list[dict[str, str]]:
    """Each id unknown in turn, with the ids before it known (and all unknown)."""
    names = _PARAMETER.findall(label)
    variants = [{name: f"unknown-{uuid.uuid4()}" for name in names}]
    for position in range(1, len(names)):
        variant = {name: known[name] for name in names[:position]}
        variant.update({name: f"unknown-{uuid.uuid4()}" for name in names[position:]})
        variants.append(variant)
    return variants


def test_an_unknown_id_is_robot_servers_404_on_every_route(robot: httpx.Client) -> None:
    known = KnownIds(robot)
    known.refresh()
    problems = []
    for label in WITH_IDS:
        for values in _unknown_variants(label, known.for_path(label.split(" ", 1)[1])):
            response = _ask(robot, label, values)
            if label == "PUT /clientData/{key}":  # a key names what the client stores, new or not
                expected_404 = response.status_code == 200
            else:
                expected_404 = (
                    response.status_code == 404
                    and error_shape_problem(response) is None
                    and response.json()["errors"][0]["id"].endswith(("NotFound", "DoesNotExist"))
                )
            if not expected_404:
                problems.append(f"{label} {values}: {response.status_code} {response.text[:200]}")
    robot.delete(f"/maintenance_runs/{known.ids['maintenanceRunId']}")
    end_run(robot, known.ids["runId"])
    assert not problems, "\n".join(problems)


def test_a_request_without_the_version_header_is_robot_servers_422_on_every_route(
    emulator: Any,
) -> None:
    problems = []
    with httpx.Client(base_url=emulator.url, timeout=60) as bare:
        for label in in_scope():
            # The header is checked before any id is looked up.
            response = _ask(bare, label, {name: "any" for name in _PARAMETER.findall(label)})
            if response.status_code != 422 or error_shape_problem(response) is not None:
                problems.append(f"{label}: {response.status_code} {response.text[:200]}")
                continue
            body = response.json()
            # Other problems of the request may follow: robot-server reports them together.
            if "message" in body:  # robot-server's legacy (v1) routes
                if not body["message"].startswith("header.opentrons-version: field required"):
                    problems.append(f"{label}: {body}")
            elif body["errors"][0] != MISSING_HEADER:
                problems.append(f"{label}: {body}")
    assert not problems, "\n".join(problems)


MISSING_HEADER = {
    "id": "InvalidRequest",
    "title": "Invalid Request",
    "detail": "field required",
    "source": {"header": "opentrons-version"},
    "errorCode": "4000",
}
