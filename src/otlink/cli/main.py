"""The ``otlink`` entry point."""

from __future__ import annotations

from collections.abc import Sequence

import click

from .deck import deck
from .demo import demo
from .discover import discover_robots
from .emulate import emulate
from .failures import ReportingGroup
from .home import home
from .lights import lights
from .protocols import protocols
from .run import run
from .runs import runs
from .serve import serve
from .status import status
from .worklist import worklist

EPILOG = """\b
Exit codes: 0 ok, 1 failure, 2 usage error, 3 robot unreachable,
4 robot error, 5 protocol failed, 130 interrupted."""


@click.group(
    cls=ReportingGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="otlink")
def cli() -> None:
    """Drive an Opentrons OT-2 from your own computer."""


cli.add_command(demo)
cli.add_command(emulate)
cli.add_command(run)
cli.add_command(status)
cli.add_command(runs)
cli.add_command(protocols)
cli.add_command(lights)
cli.add_command(home)
cli.add_command(discover_robots)
cli.add_command(serve)
cli.add_command(worklist)
cli.add_command(deck)


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="otlink")
