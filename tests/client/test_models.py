"""The wire models read what a real robot-server 8.2 sends, and keep what they don't know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples import SAMPLES

from otlink.models import (
    Analysis,
    AnalysisResult,
    Body,
    Command,
    CommandPage,
    CommandStatus,
    Health,
    LabwareOffsetCreate,
    Protocol,
    Run,
    RunAction,
    RunStatus,
)

COMMANDS = [p for p in sorted(SAMPLES.glob("cmd_*.json")) if not p.stem.endswith("request_error")]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: p.stem)
def test_every_command_sample_parses(path: Path) -> None:
    raw = path.read_bytes()
    command = Body[Command].model_validate_json(raw).data
    assert command.status in (CommandStatus.SUCCEEDED, CommandStatus.FAILED)
    assert command.is_done and command.key


def test_a_failed_command_carries_its_error() -> None:
    raw = (SAMPLES / "cmd_aspirate_without_tip_error.json").read_bytes()
    command = Body[Command].model_validate_json(raw).data
    assert command.error and command.error.errorType == "TipNotAttachedError"
    assert command.error.errorCode == "3005"


def test_runs_pages_protocols_and_analyses() -> None:
    run = Body[Run].model_validate_json((SAMPLES / "get_run.json").read_bytes()).data
    assert run.status == RunStatus.IDLE and not run.is_done and run.pipettes[0].mount == "left"
    archived = Body[Run].model_validate_json((SAMPLES / "patch_run_not_current.json").read_bytes())
    assert archived.data.is_done and not archived.data.current
    page = CommandPage.model_validate_json((SAMPLES / "get_run_commands.json").read_bytes())
    assert page.meta.totalLength == 15 and page.links and page.links.current
    protocol = Body[Protocol].model_validate_json((SAMPLES / "get_protocol_tiny.json").read_bytes())
    assert protocol.data.metadata["protocolName"] == "refserver tiny"
    raw = (SAMPLES / "get_protocol_bad_no_tip_analysis.json").read_bytes()
    analysis = Body[Analysis].model_validate_json(raw).data
    assert analysis.result == AnalysisResult.NOT_OK
    assert analysis.errors[0].wrappedErrors[0].wrappedErrors[0].errorCode == "3005"
    action = Body[RunAction].model_validate_json((SAMPLES / "run_action_stop.json").read_bytes())
    assert action.data.actionType == "stop"
    assert Health.model_validate_json((SAMPLES / "health.json").read_bytes()).robot_serial


def test_newer_robots_do_not_break_the_models() -> None:
    raw = json.loads((SAMPLES / "get_run.json").read_text())["data"]
    raw.update(status="some-new-status", cameraSettings={"on": True})
    run = Run.model_validate(raw)
    assert run.status == "some-new-status" and not run.is_done
    assert run.model_extra == {"cameraSettings": {"on": True}}


def test_enums_print_as_on_the_wire() -> None:
    assert f"{RunStatus.SUCCEEDED}" == "succeeded" and str(CommandStatus.QUEUED) == "queued"


def test_offsets_go_out_without_empty_fields() -> None:
    offset = LabwareOffsetCreate.model_validate(
        {"definitionUri": "a/b/1", "location": {"slotName": "1"}, "vector": {"x": 1}}
    )
    assert offset.to_wire() == {
        "definitionUri": "a/b/1",
        "location": {"slotName": "1"},
        "vector": {"x": 1.0, "y": 0.0, "z": 0.0},
    }
