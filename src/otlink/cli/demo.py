"""``otlink demo``: a virtual OT-2 in this process, and a protocol run live on it."""

from __future__ import annotations

from pathlib import Path

import click

from otlink.extras import require_extra

from .failures import reports_failures
from .output import Output
from .robot_option import RobotChoice
from .run import run_live

DEMO_PROTOCOL = Path(__file__).with_name("demo_protocol.py")


@click.command()
@click.option("--steps", default=6, show_default=True, type=click.IntRange(1, 11))
@click.option(
    "--fast", is_flag=True, help="Delays and other waits on the virtual OT-2 end at once."
)
@reports_failures
def demo(steps: int, fast: bool) -> None:
    """Start a virtual OT-2 and run a serial dilution on it live, step by step.

    Nothing to set up: the virtual robot runs the real Opentrons engine on simulated hardware.
    """
    require_extra("emulator", "otlink demo")
    from otlink.emulator import EmulatorServer, RobotSettings, free_port

    output = Output()
    server = EmulatorServer(RobotSettings(name="otlink-demo", fast=fast), port=free_port())
    server.start_in_thread()
    output.line(f"Virtual OT-2 started at {server.url}.")
    try:
        run_live(output, DEMO_PROTOCOL, RobotChoice(server.url), parameters={"steps": str(steps)})
    finally:
        server.stop()
