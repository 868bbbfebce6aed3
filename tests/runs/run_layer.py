"""What the run-layer tests share: quick client options, and a tip cycle's commands on a live
run prepared with known ids."""

from __future__ import annotations

from typing import Any

from otlink.client import ClientOptions, RobotClient

CYCLE = ("pickUpTip", "aspirate", "dispense", "moveToAddressableAreaForDropTip", "dropTipInPlace")
# Short timeouts keep fault tests short; the logic is the same as with the defaults.
QUICK = ClientOptions(timeout=3.0, connect_timeout=1.0, backoff=0.02, backoff_max=0.5, settle=0.05)


def prepare(robot: RobotClient, run_id: str) -> None:
    """Load a p300 ("pip"), tips ("tips") in 1 and a plate ("plate") in 2 (setup commands)."""
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
    """Tip ``n`` of the rack: pick up, aspirate from A1, dispense to B1, drop in the trash."""
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
