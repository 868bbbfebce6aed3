"""``otlink emulate``: serve a virtual OT-2 on this machine."""

from __future__ import annotations

import atexit
import os
import sys

import click

from otlink.extras import require_extra

from .exit_codes import ExitCode
from .failures import reports_failures
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
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="SPEC",
    help=(
        "Make run commands fail as hardware faults (repeatable). SPEC is terms joined by , or :"
        " — TYPE (every command of that commandType), TYPE#N (the N-th of that type in each run,"
        " 1 = first), index=N (the run's N-th command, 0 = first), random=P[,seed=S], and"
        " optionally error=NAME (an opentrons error, e.g. PipetteOverpressureError) and once"
        " (fire one time only). E.g. aspirate#3, index=17, random=0.05,seed=7,"
        " dispense:error=PipetteOverpressureError. Change them live at /otlink/faults."
    ),
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help=(
        "Also answer web pages from ORIGIN, e.g. https://lab.example:8080 (repeatable; loopback"
        " pages always may). '*' answers every page and every host name, as a robot does."
    ),
)
@click.option(
    "--fast",
    is_flag=True,
    help=(
        "Let time run as fast as this machine allows: delays and other waits end at once (each"
        " command still records its start and end); pauses still wait for a resume."
    ),
)
@click.option(
    "--protocol-time-limit",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="Stop a protocol's code after this long when loading or analysing it.",
)
@click.option(
    "--protocol-code-limit",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help=(
        "Fail a run whose protocol's own code (a loop, a time.sleep) runs this long without a"
        " Protocol API call; 0: no limit. Real time, also with --fast."
    ),
)
@click.option("--advertise", is_flag=True, help="Announce the robot over mDNS (_http._tcp).")
@click.option("--verbose", is_flag=True, help="Log requests and engine activity.")
@click.pass_context
@reports_failures
def emulate(
    ctx: click.Context,
    host: str,
    port: int,
    name: str,
    left: str,
    right: str,
    modules: tuple[str, ...],
    faults: tuple[str, ...],
    cors_origins: tuple[str, ...],
    fast: bool,
    protocol_time_limit: float,
    protocol_code_limit: float,
    advertise: bool,
    verbose: bool,
) -> None:
    """Serve a virtual OT-2: the robot's HTTP API, backed by the Opentrons engine.

    \b
    Examples:
      otlink emulate
      otlink emulate --port 31951 --left p1000_single_gen2 --right none
      otlink emulate --module temperatureModuleV2 --module magneticModuleV2 --advertise
      otlink emulate --fault aspirate#3 --fault random=0.01,seed=7
      otlink emulate --fast                # a day of delays in seconds
      otlink emulate --host 0.0.0.0 --cors-origin '*'   # open like a robot (runs anyone's code)
    """
    require_extra("emulator", "otlink emulate")
    from otlink.emulator import EmulatorServer, RobotSettings, SettingsError

    out = Output()
    try:
        settings = RobotSettings(
            name=name,
            left=left,
            right=right,
            modules=modules,
            faults=faults,
            protocol_time_limit_s=protocol_time_limit,
            protocol_code_limit_s=protocol_code_limit,
            fast=fast,
        )
    except SettingsError as error:
        ctx.exit(out.fail(str(error), ExitCode.USAGE))
    server = EmulatorServer(
        settings,
        host=host,
        port=port,
        verbose=verbose,
        advertise=advertise,
        cors_origins=cors_origins,
        owns_process=True,
    )
    if server.access.exposed:
        reach = "any web page" if server.access.open_to_all else f"anyone who can reach {host}"
        out.errors.print(
            f"[bold yellow]warning:[/] {reach} can upload protocols to this virtual OT-2, and a"
            " protocol is a program: it runs as you, with your files and network.",
            soft_wrap=True,
        )

    def announce() -> None:
        pipettes = ", ".join(f"{m}: {p}" for m, p in settings.pipettes.items()) or "none"
        attached = ", ".join(settings.modules) or "none"
        out.line(
            f"Virtual OT-2 [bold]{settings.name}[/] at {server.url}"
            f" — pipettes {pipettes}; modules {attached}"
            f"{'; announced over mDNS' if advertise else ''}"
            f"{'; faults ' + ' '.join(faults) if faults else ''}"
            f"{'; fast: delays end at once' if fast else ''}. Ctrl-C stops it."
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
    # Exit now: a protocol thread blocked in a system call cannot be interrupted, and waiting
    # for threads and finalizers only delays the prompt. Exit handlers (temp dirs) still run.
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(0)
