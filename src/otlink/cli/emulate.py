"""``otlink emulate``: serve a virtual OT-2 on this machine."""

from __future__ import annotations

import click

from .exit_codes import ExitCode
from .output import Output


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=31950, show_default=True, type=click.IntRange(0, 65535))
@click.option("--name", default="otlink-virtual-ot2", show_default=True, help="Robot name.")
@click.option(
    "--left", default="p300_single_gen2", show_default=True, help="Left pipette, or none."
)
@click.option(
    "--right", default="p20_single_gen2", show_default=True, help="Right pipette, or none."
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="MODEL",
    help="Attach a module (repeatable), e.g. temperatureModuleV2, magneticModuleV2.",
)
@click.option("--advertise", is_flag=True, help="Announce the robot over mDNS (_http._tcp).")
@click.option("--verbose", is_flag=True, help="Log requests and engine activity.")
@click.pass_context
def emulate(
    ctx: click.Context,
    host: str,
    port: int,
    name: str,
    left: str,
    right: str,
    modules: tuple[str, ...],
    advertise: bool,
    verbose: bool,
) -> None:
    """Serve a virtual OT-2: the robot's HTTP API, backed by the Opentrons engine.

    \b
    Examples:
      otlink emulate
      otlink emulate --port 31951 --left p1000_single_gen2 --right none
      otlink emulate --module temperatureModuleV2 --module magneticModuleV2 --advertise
    """
    from otlink.emulator import EmulatorServer, RobotSettings, SettingsError

    out = Output()
    try:
        settings = RobotSettings(name=name, left=left, right=right, modules=modules)
    except SettingsError as error:
        ctx.exit(out.fail(str(error), ExitCode.USAGE))
    server = EmulatorServer(settings, host=host, port=port, verbose=verbose, advertise=advertise)

    def announce() -> None:
        pipettes = ", ".join(f"{m}: {p}" for m, p in settings.pipettes.items()) or "none"
        attached = ", ".join(settings.modules) or "none"
        out.line(
            f"Virtual OT-2 [bold]{settings.name}[/] at {server.url}"
            f" — pipettes {pipettes}; modules {attached}"
            f"{'; announced over mDNS' if advertise else ''}. Ctrl-C stops it."
        )

    server.serve(on_ready=announce)
    if not server.started:
        ctx.exit(
            out.fail(
                f"cannot listen on {host}:{port} (is another robot or emulator using it?)",
                ExitCode.FAILURE,
                hint="pick another --port, or stop what is using it",
            )
        )
    out.line("Virtual OT-2 stopped.")
