"""The tip cycle that bench/latency.py and the run-layer tests (tests/runs) send: a p300 ("pip"),
tips ("tips") in slot 1 and a plate ("plate") in slot 2 loaded with known ids, then per cycle a
new tip: pick up, aspirate from A1, dispense to B1, drop in the trash.

    run = robot.create_run()
    prepare(robot, run.id)
    for command_type, params in cycle(0):
        robot.enqueue_command(run.id, command_type, params)
"""

from __future__ import annotations

from typing import Any

from otlink.client import RobotClient

CYCLE = ("pickUpTip", "aspirate", "dispense", "moveToAddressableAreaForDropTip", "dropTipInPlace")


def prepare(robot: RobotClient, run_id: str) -> None:
    """Load the pipette and the labware of the cycle (setup commands, waited)."""
    robot.enqueue_command(
        run_id,
        "loadPipette",
        {"pipetteName": "p300_single_gen2", "mount": "left", "pipetteId": "pip"},
    )
    for labware_id, load_name, version, slot in (
        ("tips", "opentrons_96_tiprack_300ul", 1, "1"),
        ("plate", "corning_96_wellplate_360ul_flat", 2, "2"),
    ):
        robot.enqueue_command(
            run_id,
            "loadLabware",
            {
                "loadName": load_name,
                "namespace": "opentrons",
                "version": version,
                "location": {"slotName": slot},
                "labwareId": labware_id,
            },
        )


def cycle(n: int) -> list[tuple[str, dict[str, Any]]]:
    """Tip ``n`` of the rack (modulo 96): the five commands of one cycle, in order."""
    well = f"{'ABCDEFGH'[n % 8]}{1 + n // 8 % 12}"
    volume = {"pipetteId": "pip", "labwareId": "plate", "volume": 50, "flowRate": 300}
    return [
        ("pickUpTip", {"pipetteId": "pip", "labwareId": "tips", "wellName": well}),
        ("aspirate", {**volume, "wellName": "A1"}),
        ("dispense", {**volume, "wellName": "B1"}),
        (
            "moveToAddressableAreaForDropTip",
            {"pipetteId": "pip", "addressableAreaName": "fixedTrash"},
        ),
        ("dropTipInPlace", {"pipetteId": "pip"}),
    ]
