"""Protocols for tests, and helpers to upload them to a virtual OT-2 and wait for their analyses."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx

from reference import SAMPLES

# The protocols behind the recorded samples: same metadata, same commands, same line numbers.
TINY = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "refserver tiny", "author": "measurement"}


def run(ctx):
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = ctx.load_labware("corning_96_wellplate_360ul_flat", 2)
    pipette = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    pipette.pick_up_tip()
    pipette.aspirate(100, plate["A1"])
    pipette.dispense(100, plate["B1"])
    pipette.drop_tip()
"""


def cycling_protocol(cycles: int) -> str:
    """A protocol of ``cycles`` tip cycles (pick up, aspirate 50 from A1, dispense to B1, drop);
    its lines 9 to 12 issue pickUpTip, aspirate, dispense and the drop."""
    return f"""\
metadata = {{"apiLevel": "2.20"}}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    for n in range({cycles}):
        p300.pick_up_tip()
        p300.aspirate(50, plate["A1"])
        p300.dispense(50, plate["B1"])
        p300.drop_tip()
"""


BAD_NO_TIP = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(ctx):
    plate = ctx.load_labware("corning_96_wellplate_360ul_flat", 2)
    pipette = ctx.load_instrument("p300_single_gen2", "left")
    # No tip is picked up, so the aspirate on line 9 fails.

    pipette.aspirate(100, plate["A1"])
"""

# Waits in the run (as a robot would) and in its analysis (a sleep in the protocol itself).
SLOW = """\
import time

requirements = {{"robotType": "OT-2", "apiLevel": "2.20"}}


def run(ctx):
    time.sleep({analysis_seconds})
    ctx.comment("{marker}")
    ctx.delay(seconds={run_seconds})
    ctx.comment("done")
"""

WITH_PARAMETERS = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters):
    parameters.add_int(
        variable_name="volume", display_name="Volume", default=50, minimum=10, maximum=200
    )
    parameters.add_bool(variable_name="mix", display_name="Mix", default=False)


def run(ctx):
    ctx.comment(f"volume {ctx.params.volume} mix {ctx.params.mix}")
"""

WITH_CSV = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="samples", display_name="Samples")


def run(ctx):
    rows = ctx.params.samples.parse_as_csv()
    ctx.comment(f"{len(rows) - 1} samples, first {rows[1][0]}")
"""

WITH_CUSTOM_LABWARE = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(ctx):
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = ctx.load_labware("otlink_test_plate", 3, namespace="custom_beta")
    pipette = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    pipette.pick_up_tip()
    pipette.aspirate(50, plate["H12"])
    pipette.dispense(50, plate["A1"])
    pipette.drop_tip()
"""


def unique(text: str) -> str:
    """The same protocol with a different hash, so each test uploads a protocol of its own."""
    return f"{text}# {uuid.uuid4()}\n"


def slow(analysis_seconds: float = 1.5, run_seconds: float = 0) -> str:
    """A protocol whose analysis takes ``analysis_seconds`` and whose run waits ``run_seconds``."""
    return SLOW.format(
        analysis_seconds=analysis_seconds, run_seconds=run_seconds, marker=uuid.uuid4()
    )


def fixed_trash_protocol(api_level: str) -> str:
    """Drops a tip in the fixed trash, which protocols below 2.16 load as labware."""
    return f"""\
metadata = {{"apiLevel": "{api_level}"}}


def run(ctx):
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 1)
    pipette = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    pipette.pick_up_tip()
    pipette.drop_tip()
"""


def custom_labware_definition() -> bytes:
    """A 96-well plate under a custom namespace and load name, as a user's JSON file."""
    from opentrons_shared_data.labware import load_definition

    definition: dict[str, Any] = dict(load_definition("corning_96_wellplate_360ul_flat", 2))
    definition["namespace"] = "custom_beta"
    definition["version"] = 1
    definition["parameters"] = {**definition["parameters"], "loadName": "otlink_test_plate"}
    definition["metadata"] = {**definition["metadata"], "displayName": "otlink test plate"}
    return json.dumps(definition).encode()


def json_protocol() -> str:
    """A schema-8 JSON protocol (as Protocol Designer writes them): pick up a tip, trash it."""
    from opentrons_shared_data.labware import load_definition

    tips = "opentrons/opentrons_96_tiprack_300ul/1"
    commands: list[tuple[str, dict[str, Any]]] = [
        ("loadPipette", {"pipetteId": "p", "pipetteName": "p300_single_gen2", "mount": "left"}),
        (
            "loadLabware",
            {
                "labwareId": "tips",
                "loadName": "opentrons_96_tiprack_300ul",
                "namespace": "opentrons",
                "version": 1,
                "location": {"slotName": "1"},
            },
        ),
        ("pickUpTip", {"pipetteId": "p", "labwareId": "tips", "wellName": "A1"}),
        (
            "moveToAddressableAreaForDropTip",
            {
                "pipetteId": "p",
                "addressableAreaName": "fixedTrash",
                "offset": {"x": 0, "y": 0, "z": 0},
            },
        ),
        ("dropTipInPlace", {"pipetteId": "p"}),
    ]
    return json.dumps(
        {
            "$otSharedSchema": "#/protocol/schemas/8",
            "schemaVersion": 8,
            "metadata": {"protocolName": f"json {uuid.uuid4()}"},
            "designerApplication": {"name": "otlink tests", "version": "1"},
            "robot": {"model": "OT-2 Standard", "deckId": "ot2_standard"},
            "liquidSchemaId": "opentronsLiquidSchemaV1",
            "liquids": {},
            "labwareDefinitionSchemaId": "opentronsLabwareSchemaV2",
            "labwareDefinitions": {tips: load_definition("opentrons_96_tiprack_300ul", 1)},
            "commandSchemaId": "opentronsCommandSchemaV8",
            "commands": [
                {"key": str(n), "commandType": kind, "params": params}
                for n, (kind, params) in enumerate(commands)
            ],
            "commandAnnotationSchemaId": "opentronsCommandAnnotationSchemaV1",
            "commandAnnotations": [],
        }
    )


def recorded(name: str) -> dict[str, Any]:
    recording: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text())
    return recording


def upload(
    robot: httpx.Client,
    files: dict[str, str | bytes],
    expect: int = 201,
    **form: Any,
) -> dict[str, Any]:
    """POST /protocols with ``{file name: contents}``; the protocol (asserting ``expect``)."""
    response = robot.post(
        "/protocols",
        files=[("files", (name, contents)) for name, contents in files.items()],
        data={k: v if isinstance(v, str) else json.dumps(v) for k, v in form.items()},
    )
    assert response.status_code == expect, response.text
    protocol: dict[str, Any] = response.json()["data"]
    return protocol


def wait_for_analysis(
    robot: httpx.Client, protocol_id: str, analysis_id: str | None = None, timeout: float = 60
) -> dict[str, Any]:
    """The completed analysis (the protocol's last one unless ``analysis_id`` is given)."""
    deadline = time.monotonic() + timeout
    while True:
        if analysis_id is None:
            summaries = robot.get(f"/protocols/{protocol_id}").json()["data"]["analysisSummaries"]
            analysis_id = summaries[-1]["id"]
        analysis: dict[str, Any] = robot.get(
            f"/protocols/{protocol_id}/analyses/{analysis_id}"
        ).json()["data"]
        if analysis["status"] == "completed":
            return analysis
        assert time.monotonic() < deadline, "the analysis stayed pending"
        time.sleep(0.05)


def analysed(robot: httpx.Client, files: dict[str, str | bytes], **form: Any) -> dict[str, Any]:
    """Upload a protocol and wait for its analysis; return the protocol as GET shows it."""
    protocol = upload(robot, files, **form)
    wait_for_analysis(robot, protocol["id"], protocol["analysisSummaries"][-1]["id"])
    body: dict[str, Any] = robot.get(f"/protocols/{protocol['id']}").json()["data"]
    return body


def upload_csv(robot: httpx.Client, name: str, contents: str, expect: int = 201) -> str:
    response = robot.post("/dataFiles", files={"file": (name, contents.encode())})
    assert response.status_code == expect, response.text
    file_id: str = response.json()["data"]["id"]
    return file_id


def without(value: Any, keys: frozenset[str]) -> Any:
    """``value`` with the given keys dropped at every depth (ids and times differ per robot)."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(item, keys) for item in value]
    return value


VOLATILE = frozenset({"id", "createdAt", "startedAt", "completedAt", "labwareId", "pipetteId"})


def as_recorded_by_8_2(value: Any) -> Any:
    """``value`` without what opentrons 8.8's engine adds to robot-server 8.2's recordings.

    Newer engines give ``loadLabware`` results a ``locationSequence`` and note on a failed
    command how error recovery handled it (``debugErrorRecovery``); both come from the engine.
    """
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, item in value.items():
            if key == "notes":
                item = [note for note in item if note.get("noteKind") != "debugErrorRecovery"]
            if key != "locationSequence":
                kept[key] = as_recorded_by_8_2(item)
        return kept
    if isinstance(value, list):
        return [as_recorded_by_8_2(item) for item in value]
    return value
