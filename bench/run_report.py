"""Run reports: how long the report of a 1,000-command run takes, against reading its commands.

Run: ``python bench/run_report.py``. A virtual OT-2 (``--fast``: delays end at once) runs a
protocol of 200 tip cycles (about 1,000 commands) once, not timed. Then, best of a few rounds:
the baseline, reading the run's command list (what ``otlink runs log`` reads); the report from
the robot (``robot_run_report``: the run, its commands with the loads' results, its protocol);
the report from commands at hand (``run_report``: the HTML alone); and ``otlink runs report``
as a user runs it (its Python start included).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from otlink.client import RobotClient
from otlink.deck import robot_run_report, run_report
from otlink.deck.sources import robot_run_commands
from otlink.emulator.child_process import EmulatorProcess

CYCLES = 200
REPORT_COMMAND = (sys.executable, "-m", "otlink", "runs", "report")
ROUNDS = 3
PROTOCOL = f"""\
requirements = {{"robotType": "OT-2", "apiLevel": "2.20"}}
metadata = {{"protocolName": "bench: {CYCLES} tip cycles"}}


def run(ctx):
    racks = [ctx.load_labware("opentrons_96_tiprack_300ul", slot) for slot in (1, 4, 7)]
    plate = ctx.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = ctx.load_instrument("p300_single_gen2", "left", tip_racks=racks)
    wells = plate.wells()
    for cycle in range({CYCLES}):
        p300.pick_up_tip()
        p300.aspirate(50, wells[cycle % 96])
        p300.dispense(50, wells[(cycle + 1) % 96])
        p300.drop_tip()
"""


def best_of(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def played(client: RobotClient, folder: Path) -> str:
    path = folder / "tip_cycles.py"
    path.write_text(PROTOCOL)
    analysed = client.upload_and_analyse(path)
    run = client.create_run(analysed.protocol.id)
    client.play_run(run.id)
    done = client.wait_for_run(run.id, timeout=900)
    assert str(done.status) == "succeeded", done.errors
    return run.id


def main() -> None:
    robot = EmulatorProcess(fast=True)
    try:
        with tempfile.TemporaryDirectory() as folder, RobotClient(robot.url) as client:
            run_id = played(client, Path(folder))
            run = client.get_run(run_id)
            commands = robot_run_commands(client, run_id)
            listing = best_of(lambda: list(client.iter_commands(run_id)))
            from_robot = best_of(lambda: robot_run_report(client, run_id))
            html_only = best_of(lambda: run_report(run, commands))
            output = Path(folder) / "report.html"
            cli = best_of(
                lambda: subprocess.run(
                    [*REPORT_COMMAND, run_id, "--robot", robot.url, "-o", str(output)],
                    check=True,
                    capture_output=True,
                ),
                rounds=1,
            )
            size = output.stat().st_size
            imports = best_of(
                lambda: subprocess.run([sys.executable, "-c", "import otlink.deck"], check=True),
                rounds=1,
            )
    finally:
        robot.stop()
    print(f"run of {len(commands)} commands, report {size / 1024:.0f} KiB")
    print(f"reading its command list (baseline):  {listing * 1000:7.0f} ms")
    print(
        f"robot_run_report (read and write):    {from_robot * 1000:7.0f} ms"
        f" ({from_robot / listing:.1f}x the baseline)"
    )
    print(
        f"run_report (the HTML alone):          {html_only * 1000:7.0f} ms"
        f" ({html_only / listing:.1f}x the baseline)"
    )
    print(f"otlink runs report (Python start too): {cli * 1000:6.0f} ms")
    print(f"  of which python -c 'import otlink.deck': {imports * 1000:4.0f} ms")


if __name__ == "__main__":
    main()
