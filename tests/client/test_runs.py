"""Runs: create, read, list, archive, delete, actions, waiting and following, labware."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import custom_definition, labware
from otlink.errors import NotFound, RunConflict
from otlink.models import LabwareOffset, LabwareOffsetCreate, Run, RunAction, RunStatus

PLATE = "opentrons/corning_96_wellplate_360ul_flat/2"


def _played_live_run(client: Any, commands: int) -> Run:
    run = client.create_run()
    for index in range(commands):
        client.enqueue_command(
            run.id, "comment", {"message": f"#{index}"}, intent="protocol", wait=False
        )
    client.play_run(run.id)
    return run


def test_create_with_offsets_then_read_and_list(client: Any) -> None:
    offset = LabwareOffsetCreate.model_validate(
        {"definitionUri": PLATE, "location": {"slotName": "2"}, "vector": {"x": 0.5, "z": -0.2}}
    )
    run = client.create_run(labware_offsets=[offset])
    assert isinstance(run, Run) and run.current and run.status == RunStatus.IDLE
    assert run.labwareOffsets[0].vector.x == 0.5
    assert client.get_run(run.id).id == run.id
    assert run.id in [r.id for r in client.list_runs()]
    assert len(client.list_runs(page_length=1)) == 1


def test_archive_then_delete(client: Any) -> None:
    run = client.create_run()
    archived = client.archive_run(run.id)
    assert archived.current is False
    client.delete_run(run.id)
    with pytest.raises(NotFound):
        client.get_run(run.id)


def test_actions_and_conflicts(client: Any) -> None:
    run = client.create_run()
    client.enqueue_command(run.id, "waitForDuration", {"seconds": 1}, intent="protocol", wait=False)
    action = client.play_run(run.id)
    assert isinstance(action, RunAction) and action.actionType == "play"
    with pytest.raises(RunConflict) as busy:
        client.create_run()
    assert busy.value.error_id == "RunAlreadyActive" and "stop" in busy.value.hint
    with pytest.raises(RunConflict) as active:
        client.delete_run(run.id)
    assert active.value.error_id == "RunNotIdle"
    assert client.pause_run(run.id).actionType == "pause"
    assert client.resume_run(run.id).actionType == "play"
    assert client.stop_run(run.id).actionType == "stop"
    assert client.wait_for_run(run.id, timeout=30).status == RunStatus.STOPPED
    with pytest.raises(RunConflict) as stopped:
        client.run_action(run.id, "play")
    assert stopped.value.hint


def test_follow_a_run_to_its_end(client: Any) -> None:
    run = _played_live_run(client, commands=4)
    followed = list(client.follow_run(run.id))
    messages = [c.params.get("message") for c in followed if c.commandType == "comment"]
    assert messages == ["#0", "#1", "#2", "#3"]
    assert all(c.is_done for c in followed)
    assert client.wait_for_run(run.id).status == RunStatus.SUCCEEDED


def test_labware_offset_and_definition_on_a_run(client: Any, live_run: Any) -> None:
    run, _ = live_run
    offset = client.add_labware_offset(
        run.id, {"definitionUri": PLATE, "location": {"slotName": "3"}, "vector": {"y": 1.0}}
    )
    assert isinstance(offset, LabwareOffset) and offset.id
    assert offset.id in [o.id for o in client.get_run(run.id).labwareOffsets]
    definition = custom_definition(client, run.id, "otlink_test_plate")
    uri = client.add_labware_definition(run.id, definition)
    assert uri == "custom_beta/otlink_test_plate/2"
    custom = client.enqueue_command(
        run.id, "loadLabware", labware("5", "otlink_test_plate", 2, "custom_beta")
    )
    assert custom.result["labwareId"]
