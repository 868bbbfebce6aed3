"""``otlink discover``: the robots on the network."""

from __future__ import annotations

import click

from otlink.discovery import discover

from .exit_codes import ExitCode
from .failures import reports_failures
from .output import command_output
from .records import format_option, json_option, show_records, wants_json

COLUMNS = ["name", "url", "model", "robotSoftware", "httpApiVersion", "via"]


@click.command("discover")
@click.option(
    "--probe",
    "targets",
    multiple=True,
    metavar="IP|HOST|SUBNET",
    help="Also ask this address, or every address of this subnet (e.g. 10.0.0.0/24), where"
    " mDNS does not reach (repeatable).",
)
@click.option("--no-mdns", is_flag=True, help="Only probe the --probe addresses.")
@click.option(
    "--seconds",
    type=click.FloatRange(0.1, 60),
    default=3.0,
    show_default=True,
    help="How long to listen for mDNS announcements.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 30),
    default=2.0,
    show_default=True,
    help="How long each address may take to answer /health.",
)
@format_option
@json_option
@reports_failures
def discover_robots(
    targets: tuple[str, ...],
    no_mdns: bool,
    seconds: float,
    timeout: float,
    fmt: str,
    as_json: bool,
) -> None:
    """Find robots: those announced over mDNS (as the Opentrons App finds them) and those
    answering at --probe addresses; each one is checked with GET /health.

    Exits 3 when no robot answered.

    \b
    Examples:
      otlink discover
      otlink discover --probe 192.168.1.0/24 --probe 10.0.0.5
      otlink discover --no-mdns --probe 127.0.0.1:31950 --json
    """
    output = command_output(as_json=wants_json(fmt, as_json))
    if no_mdns and not targets:
        raise click.UsageError("--no-mdns needs at least one --probe address")
    robots = discover(probe=targets, mdns=not no_mdns, seconds=seconds, timeout=timeout)
    if not robots:
        click.get_current_context().exit(
            output.fail(
                "no robot answered",
                ExitCode.ROBOT_UNREACHABLE,
                hint="mDNS does not cross subnets: try --probe with the robot's IP or subnet",
            )
        )
    show_records(output, [robot.to_record() for robot in robots], COLUMNS, fmt)
