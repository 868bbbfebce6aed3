"""Maintenance runs and their commands."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import labware
from otlink.errors import NotFound
from otlink.models import CommandStatus, LabwareOffset, MaintenanceRun

PLATE = "opentrons/corning_96_wellplate_360ul_flat/2"


def test_maintenance_run_life(client: Any) -> None:
    client.create_run()  # an idle run does not block a maintenance run
    run = client.create_maintenance_run(
        labware_offsets=[
            {"definitionUri": PLATE, "location": {"slotName": "1"}, "vector": {"x": 1}}
        ]
    )
    assert isinstance(run, MaintenanceRun) and run.labwareOffsets[0].vector.x == 1
    assert client.get_current_maintenance_run().id == run.id
    assert client.get_maintenance_run(run.id).id == run.id
    home = client.enqueue_maintenance_command(run.id, "home")
    assert home.status == CommandStatus.SUCCEEDED and home.intent == "setup"
    assert client.get_maintenance_command(run.id, home.id).key == home.key
    page = client.list_maintenance_commands(run.id, cursor=0, page_length=10)
    assert [c.id for c in page.data] == [home.id]
    offset = client.add_maintenance_labware_offset(
        run.id, {"definitionUri": PLATE, "location": {"slotName": "4"}, "vector": {"z": 1}}
    )
    assert isinstance(offset, LabwareOffset)
    loaded = client.enqueue_maintenance_command(
        run.id, "loadLabware", labware("2", "corning_96_wellplate_360ul_flat", 2)
    )
    definition = {**loaded.result["definition"], "namespace": "custom_beta"}
    assert client.add_maintenance_labware_definition(run.id, definition).startswith("custom_beta/")
    client.delete_maintenance_run(run.id)
    with pytest.raises(NotFound):
        client.get_maintenance_run(run.id)
