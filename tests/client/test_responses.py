"""Error answers of a real robot-server become the right otlink errors."""

from __future__ import annotations

import httpx
import pytest
from samples import answer

from otlink.client.responses import api_error, read
from otlink.errors import ApiError, NotFound, RobotBusy, RunConflict, UnexpectedResponse
from otlink.models import Health


def test_not_found() -> None:
    error = api_error(answer("err_run_not_found.json", 404, path="/runs/does-not-exist"))
    assert isinstance(error, NotFound)
    assert (error.status, error.error_id, error.error_code) == (404, "RunNotFound", "4000")
    assert error.detail == "Run does-not-exist not found."
    assert error.request == "GET http://robot:31950/runs/does-not-exist"


@pytest.mark.parametrize(
    ("sample", "error_id", "hint"),
    [
        ("err_second_run_while_active.json", "RunAlreadyActive", "stop it"),
        ("err_setup_command_while_running.json", "SetupCommandNotAllowed", "intent='protocol'"),
        ("err_delete_active_run.json", "RunNotIdle", "stop_run"),
        ("err_command_on_stopped_run.json", "RunStopped", "create a new run"),
    ],
)
def test_conflicts_say_how_to_fix_them(sample: str, error_id: str, hint: str) -> None:
    error = api_error(answer(sample, 409, "POST"))
    assert isinstance(error, RunConflict) and error.error_id == error_id
    assert hint in error.hint and hint in str(error)


def test_legacy_and_validation_errors() -> None:
    legacy = api_error(answer("err_missing_version_header.json", 422))
    assert type(legacy) is ApiError and legacy.error_code == "4000"
    assert "opentrons-version" in legacy.detail
    invalid = api_error(answer("cmd_invalid_request_error.json", 422, "POST"))
    assert invalid.error_id == "InvalidRequest" and invalid.errors[0]["source"]


def test_busy_and_unreadable_answers() -> None:
    request = httpx.Request("GET", "http://robot:31950/health")
    busy = httpx.Response(
        503, json={"errors": [{"id": "HardwareNotYetInitialized"}]}, request=request
    )
    assert isinstance(api_error(busy), RobotBusy)
    garbage = httpx.Response(200, content=b"<html>", request=request)
    with pytest.raises(UnexpectedResponse):
        read(garbage, Health)
    assert read(answer("health.json"), Health).name == "opentrons-refserver"
