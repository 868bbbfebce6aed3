"""Protocols: upload with labware and data files, analyses, runs of a protocol."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import custom_definition
from otlink.errors import NotFound, RunConflict
from otlink.models import Analysis, AnalysisResult, Protocol, RunStatus

TRANSFER = b"""
from opentrons import protocol_api

metadata = {"protocolName": "otlink transfer"}
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters):
    parameters.add_int(variable_name="volume", display_name="Volume", default=50,
                       minimum=10, maximum=100)


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", "1")
    plate = protocol.load_labware("otlink_custom_plate", "2", namespace="custom_beta")
    pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    pipette.transfer(protocol.params.volume, plate["A1"], plate["B1"])
"""

CSV_PROTOCOL = b"""
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="plan", display_name="Plan")


def run(protocol):
    protocol.comment(str(len(protocol.params.plan.parse_as_csv())))
"""


@pytest.fixture
def custom_plate(client: Any, live_run: Any) -> bytes:
    """A custom labware definition file (a Corning plate renamed)."""
    return json.dumps(custom_definition(client, live_run[0].id, "otlink_custom_plate")).encode()


def test_upload_analyse_run_and_delete(client: Any, custom_plate: bytes) -> None:
    protocol = client.upload_protocol(
        ("transfer.py", TRANSFER),
        [("plate.json", custom_plate)],
        run_time_parameter_values={"volume": 40},
        key="otlink-test",
    )
    assert isinstance(protocol, Protocol) and protocol.key == "otlink-test"
    assert {f.role for f in protocol.files} == {"main", "labware"}
    analysis = client.wait_for_analysis(protocol.id, timeout=120)
    assert isinstance(analysis, Analysis) and analysis.result == AnalysisResult.OK
    aspirate = next(c for c in analysis.commands if c.commandType == "aspirate")
    assert aspirate.params["volume"] == 40
    assert client.get_analysis(protocol.id).id == analysis.id
    assert client.get_analysis(protocol.id, analysis.id).status == "completed"
    assert analysis.id in [a.id for a in client.list_analyses(protocol.id)]
    assert protocol.id in [p.id for p in client.list_protocols()]
    assert client.get_protocol(protocol.id).metadata["protocolName"] == "otlink transfer"
    summaries = client.analyze_protocol(protocol.id, {"volume": 60})
    assert summaries[-1].id != analysis.id
    assert client.wait_for_analysis(protocol.id, timeout=120).commands

    run = client.create_run(protocol.id, run_time_parameter_values={"volume": 30})
    assert run.protocolId == protocol.id
    client.play_run(run.id)
    finished = client.wait_for_run(run.id, timeout=120)
    assert finished.status == RunStatus.SUCCEEDED
    volumes = [
        c.params["volume"] for c in client.iter_commands(run.id) if c.commandType == "aspirate"
    ]
    assert volumes == [30]
    with pytest.raises(RunConflict) as used:
        client.delete_protocol(protocol.id)
    assert "delete those runs" in used.value.hint
    client.delete_run(run.id)
    client.delete_protocol(protocol.id)
    with pytest.raises(NotFound):
        client.get_protocol(protocol.id)


def test_csv_run_time_parameters_travel_as_data_files(client: Any) -> None:
    stored = client.upload_data_file(("plan.csv", b"a,b\n1,2\n3,4\n"))
    assert stored.name == "plan.csv"
    protocol = client.upload_protocol(
        ("csv_protocol.py", CSV_PROTOCOL), data_files={"plan": ("plan.csv", b"a,b\n1,2\n3,4\n")}
    )
    analysis = client.wait_for_analysis(protocol.id, timeout=120)
    assert analysis.result == AnalysisResult.OK
    comments = [c.params["message"] for c in analysis.commands if c.commandType == "comment"]
    assert comments == ["3"]
