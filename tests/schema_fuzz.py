"""Schema fuzzing of a virtual OT-2 with schemathesis, from robot-server's own OpenAPI document.

The document is robot-server 8.2's own (``reference_samples/robot-server-openapi-8.2.json``, the
API users call); every one of its operations that the virtual OT-2 serves is fuzzed, in
schemathesis' positive mode (requests the document allows) and negative mode (requests it
forbids). Half the examples have their ids (run, command, protocol, analysis, data file,
maintenance run) swapped for ones that exist on the robot, so that fuzzed bodies and queries
reach past the "not found" answer. Each answer is judged as robot-server's would be: no 5xx but
the documented ones, and every 4xx in robot-server's error shape.

>>> robot = httpx.Client(base_url=url, headers={"Opentrons-Version": "*"})  # doctest: +SKIP
>>> result = fuzz_operation(url, "GET /runs/{runId}", KnownIds(robot), examples=20, seed_value=1)
... # doctest: +SKIP
>>> result.requests, result.server_errors  # doctest: +SKIP
(40, [])
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.schemas import APIOperation

from otlink.emulator.app import create_app
from protocol_http import TINY, unique, upload, upload_csv
from reference import SAMPLES

ROBOT_DOC = SAMPLES / "robot-server-openapi-8.2.json"

#: The 5xx robot-server documents, by operation: (status, error id) pairs it may answer.
DOCUMENTED_5XX: dict[str, set[tuple[int, str]]] = {
    # A run's whole command list exists only once the run has ended.
    "GET /runs/{runId}/commandsAsPreSerializedList": {(503, "PreSerializedCommandsNotAvailable")},
    # A new analysis while the protocol's last one is pending.
    "POST /protocols": {(503, "LastAnalysisPending")},
    "POST /protocols/{protocolId}/analyses": {(503, "LastAnalysisPending")},
}

#: Operations of the document that the virtual OT-2 does not serve, by label prefix, and why.
OUT_OF_SCOPE: dict[str, str] = {
    "GET /wifi": "the robot's own Wi-Fi interface: a virtual OT-2 uses its host's network",
    "POST /wifi": "the robot's own Wi-Fi interface: a virtual OT-2 uses its host's network",
    "DELETE /wifi": "the robot's own Wi-Fi interface: a virtual OT-2 uses its host's network",
    "POST /identify": "blinks the physical robot's lights so a person can find it",
    "POST /camera": "the OT-2's camera",
    "GET /logs": "the robot computer's system journal",
    "POST /settings/log_level": "the robot computer's system log levels",
    "POST /settings/reset": "wipes the robot computer's stored calibrations, protocols and scripts",
    "GET /settings/pipettes": "config overrides stored on physical pipettes",
    "PATCH /settings/pipettes": "config overrides stored on physical pipettes",
    "GET /robot/positions": "legacy v1 calibration positions, replaced by maintenance runs",
    "POST /robot/move": "legacy v1 calibration moves, replaced by maintenance runs",
    "POST /modules/{serial}": "legacy serial commands and firmware updates of physical modules",
    "PUT /deck_configuration": "the Flex's configurable deck: an OT-2's deck is fixed",
    "GET /sessions": "legacy calibration sessions, which need a person at a physical robot",
    "POST /sessions": "legacy calibration sessions, which need a person at a physical robot",
    "DELETE /sessions": "legacy calibration sessions, which need a person at a physical robot",
    "GET /labware/calibrations": "stored calibration records: a virtual OT-2 has none",
    "DELETE /labware/calibrations": "stored calibration records: a virtual OT-2 has none",
    "GET /calibration/pipette_offset": "stored calibration records: a virtual OT-2 has none",
    "DELETE /calibration/pipette_offset": "stored calibration records: a virtual OT-2 has none",
    "GET /calibration/tip_length": "stored calibration records: a virtual OT-2 has none",
    "DELETE /calibration/tip_length": "stored calibration records: a virtual OT-2 has none",
    "PUT /system/time": "sets the clock of the computer it runs on",
    "GET /subsystems": "the Flex's CAN subsystems and their firmware",
    "POST /subsystems": "the Flex's CAN subsystems and their firmware",
}

REQUEST_TIMEOUT_S = 30
_MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def label_of(operation: APIOperation) -> str:
    return f"{operation.method.upper()} {operation.path}"


@cache
def robot_schema() -> Any:
    return schemathesis.openapi.from_path(ROBOT_DOC)


@cache
def robot_operations() -> dict[str, APIOperation]:
    """Every operation of the robot's document, by label (``"GET /runs/{runId}"``)."""
    operations = (result.ok() for result in robot_schema().get_all_operations())
    return {label_of(operation): operation for operation in operations}


@cache
def served_labels() -> frozenset[str]:
    """The operations the virtual OT-2 serves, from its own OpenAPI document."""
    paths = create_app().openapi()["paths"]
    return frozenset(f"{method.upper()} {path}" for path, item in paths.items() for method in item)


def in_scope() -> list[str]:
    """The robot's operations that the virtual OT-2 serves, in the document's order."""
    return [label for label in robot_operations() if label in served_labels()]


def out_of_scope() -> dict[str, str]:
    """The robot's other operations, each with the reason it has (empty if it has none)."""
    reasons = {}
    for label in robot_operations():
        if label not in served_labels():
            reasons[label] = next(
                (why for prefix, why in OUT_OF_SCOPE.items() if label.startswith(prefix)), ""
            )
    return reasons


class KnownIds:
    """Resources that exist on the robot, made again when fuzzing has deleted or ended them."""

    def __init__(self, robot: httpx.Client) -> None:
        self.robot = robot
        self.ids: dict[str, str] = {}

    def _exists(self, path: str) -> bool:
        return self.robot.get(path).status_code == 200

    def refresh(self) -> None:
        """Make sure each kind of resource exists, and note its id."""
        ids = self.ids
        if "protocolId" not in ids or not self._exists(f"/protocols/{ids['protocolId']}"):
            protocol = upload(self.robot, {"fuzz.py": unique(TINY)})
            ids["protocolId"] = protocol["id"]
            ids["analysisId"] = protocol["analysisSummaries"][-1]["id"]
        if "dataFileId" not in ids or not self._exists(f"/dataFiles/{ids['dataFileId']}"):
            ids["dataFileId"] = upload_csv(self.robot, "fuzz.csv", f"well\nA1\n{uuid.uuid4()}\n")
        self.robot.put("/clientData/fuzz", json={"data": {"fuzzed": True}})
        ids["key"] = "fuzz"
        self._refresh_stateless_command()
        self._refresh_run()
        self._refresh_maintenance_run()

    def _refresh_stateless_command(self) -> None:
        if "statelessCommandId" in self.ids:
            return
        commands = self.robot.get("/commands").json().get("data") or []
        if commands:
            self.ids["statelessCommandId"] = commands[-1]["id"]
            return
        self._end_current_run()
        posted = self.robot.post("/commands", params={"waitUntilComplete": "true"}, json=_HOME)
        self.ids["statelessCommandId"] = posted.json()["data"]["id"]

    def _end_current_run(self) -> None:
        current = self.robot.get("/runs").json().get("links", {}).get("current")
        if current:
            run_path = current["href"]
            self.robot.post(f"{run_path}/actions", json={"data": {"actionType": "stop"}})
            self.robot.patch(run_path, json={"data": {"current": False}})

    def _refresh_run(self) -> None:
        current = self.robot.get("/runs").json().get("links", {}).get("current")
        if current:
            run = self.robot.get(current["href"]).json()["data"]
            if run["status"] not in ("stopped", "failed", "succeeded"):
                self.ids["runId"] = run["id"]
                self._note_command(f"/runs/{run['id']}", "commandId")
                return
            self.robot.patch(current["href"], json={"data": {"current": False}})
        created = self.robot.post("/runs", json={"data": {}})
        self.ids["runId"] = created.json()["data"]["id"]
        self._note_command(f"/runs/{self.ids['runId']}", "commandId")

    def _refresh_maintenance_run(self) -> None:
        current = self.robot.get("/maintenance_runs/current_run")
        if current.status_code != 200:
            current = self.robot.post("/maintenance_runs", json={"data": {}})
        if current.status_code in (200, 201):
            self.ids["maintenanceRunId"] = current.json()["data"]["id"]
            self._note_command(f"/maintenance_runs/{self.ids['maintenanceRunId']}", "maintenanceId")

    def _note_command(self, run_path: str, name: str) -> None:
        commands = self.robot.get(f"{run_path}/commands").json().get("data") or []
        if not commands:
            posted = self.robot.post(
                f"{run_path}/commands", params={"waitUntilComplete": "true"}, json=_COMMENT
            )
            commands = [posted.json().get("data")] if posted.status_code == 201 else []
        if commands:
            self.ids[name] = commands[-1]["id"]

    def for_path(self, path: str) -> dict[str, str]:
        """The ids to put in a request to ``path``, by parameter name."""
        ids = dict(self.ids)
        if path.startswith("/maintenance_runs"):
            ids["runId"] = ids.get("maintenanceRunId", "")
            ids["commandId"] = ids.get("maintenanceId", "")
        elif path.startswith("/commands"):
            ids["commandId"] = ids.get("statelessCommandId", "")
        return ids


_HOME = {"data": {"commandType": "home", "params": {}}}
_COMMENT = {"data": {"commandType": "comment", "params": {"message": "fuzz"}}}


def _with_known_ids(values: dict[str, Any] | None, ids: dict[str, str]) -> None:
    for name in values or {}:
        if name in ids and values is not None:
            values[name] = ids[name]


def error_shape_problem(response: requests.Response | Any) -> str | None:
    """What is wrong with an error answer's body, if it is not in robot-server's shape.

    robot-server answers ``{"errors": [{"id", "title", "detail", "errorCode", ...}]}``, or
    ``{"message", "errorCode"}`` on its legacy routes; a validation problem is ``InvalidRequest``.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"not JSON: {response.content[:120]!r}"
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return None if isinstance(body.get("errorCode"), str) else "legacy error without errorCode"
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return f"neither errors nor message: {str(body)[:120]}"
    for error in errors:
        if not isinstance(error, dict) or not all(
            isinstance(error.get(key), str) for key in ("id", "title", "detail", "errorCode")
        ):
            return f"an error without id, title, detail or errorCode: {str(error)[:120]}"
        if error["id"] == "InvalidRequest" and (
            error["title"] != "Invalid Request" or error["errorCode"] != "4000"
        ):
            return f"a validation error unlike robot-server's: {str(error)[:120]}"
    return None


@dataclass
class OperationResult:
    """What one operation answered to its fuzzed requests."""

    label: str
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # undocumented 5xx and no answers
    bad_shapes: list[str] = field(default_factory=list)  # errors not in robot-server's shape
    documented_5xx: int = 0  # 5xx robot-server answers too (DOCUMENTED_5XX)
    unsendable: int = 0  # requests the HTTP client refused to send (e.g. bytes no header allows)
    # waitUntilComplete without a timeout on a command that cannot end yet (a protocol command
    # of a run not played): robot-server waits as long too ("The default is infinite").
    endless_waits: int = 0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def _judge(result: OperationResult, case: Any, response: Any) -> None:
    status = response.status_code
    result.statuses[status] += 1
    if status < 400:
        return
    problem = error_shape_problem(response)
    if problem is not None:
        result.bad_shapes.append(f"{status} {problem} <- {_describe(case)}")
    if status >= 500:
        ids = _error_ids(response)
        allowed = DOCUMENTED_5XX.get(result.label, set())
        if ids and all((status, error_id) in allowed for error_id in ids):
            result.documented_5xx += 1
        else:
            result.server_errors.append(f"{status} {response.content[:300]!r} <- {_describe(case)}")


def _error_ids(response: Any) -> list[str]:
    try:
        return [str(error.get("id")) for error in json.loads(response.content)["errors"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


def _describe(case: Any) -> str:
    body = "" if case.body is None or "NotSet" in type(case.body).__name__ else str(case.body)
    return f"{case.formatted_path} query={case.query} headers={case.headers} body={body[:300]}"


def fuzz_operation(
    url: str, label: str, ids: KnownIds, *, examples: int, seed_value: int
) -> OperationResult:
    """Send ``examples`` positive and ``examples`` negative requests of one operation."""
    operation = robot_operations()[label]
    result = OperationResult(label)
    with requests.Session() as session:
        for mode in _MODES:
            ids.refresh()
            send = _sender(url, session, result, ids.for_path(operation.path))
            strategy = operation.as_strategy(generation_mode=mode)
            fuzz = settings(
                max_examples=examples,
                database=None,
                deadline=None,
                phases=[Phase.generate],  # every answer is recorded, none fails: nothing to shrink
                suppress_health_check=list(HealthCheck),
            )(seed(seed_value)(given(case=strategy, use_known=st.booleans())(send)))
            fuzz()
    return result


def _waits_without_limit(case: Any) -> bool:
    query = case.query or {}
    return str(query.get("waitUntilComplete")).lower() == "true" and "timeout" not in query


def _sender(
    url: str, session: requests.Session, result: OperationResult, known: dict[str, str]
) -> Callable[[Any, bool], None]:
    def send(case: Any, use_known: bool) -> None:
        if use_known:
            _with_known_ids(case.path_parameters, known)
            _with_known_ids(case.query, known)
            if isinstance(case.body, dict) and isinstance(case.body.get("data"), dict):
                _with_known_ids(case.body["data"], known)
            case.headers = {**(case.headers or {}), "opentrons-version": "*"}
        try:
            response = case.call(base_url=url, session=session, timeout=REQUEST_TIMEOUT_S)
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, ValueError):
            result.unsendable += 1
            return
        except requests.exceptions.ReadTimeout as error:
            if _waits_without_limit(case):
                result.endless_waits += 1
            else:
                result.server_errors.append(f"no answer ({error!r}) <- {_describe(case)}")
            return
        except requests.RequestException as error:
            result.server_errors.append(f"no answer ({error!r}) <- {_describe(case)}")
            return
        _judge(result, case, response)

    return send
