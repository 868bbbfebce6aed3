"""``otlink serve``: the operator console, a web page for every robot of the lab."""

from __future__ import annotations

import secrets

import click
from rich.markup import escape

from otlink.client.robot_address import resolve_robot
from otlink.extras import require_extra

from .exit_codes import ExitCode
from .failures import reports_failures
from .output import Output


@click.command()
@click.option(
    "--robot",
    "robots",
    multiple=True,
    metavar="HOST[:PORT]",
    help="A robot to show (repeatable; default: $OTLINK_ROBOT or the config file's robot).",
)
@click.option("--discover", is_flag=True, help="Also show robots announced on this network.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8031, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--token",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[TOKEN]",
    help="Require this token (alone: a new random one); needed to listen beyond loopback.",
)
@click.pass_context
@reports_failures
def serve(
    ctx: click.Context,
    robots: tuple[str, ...],
    discover: bool,
    host: str,
    port: int,
    token: str | None,
) -> None:
    """Serve the operator console: robots, runs, Start / Pause / Resume / Stop in a browser.

    The page talks only to this server, which polls each robot once a second however many
    pages are open.

    \b
    Examples:
      otlink serve --robot 10.0.0.5 --robot 10.0.0.6
      otlink serve --discover
      otlink serve --host 0.0.0.0 --token      (others on the network, with a token)
    """
    require_extra("console", "otlink serve")
    from otlink.console import ConsoleSettings
    from otlink.console.guard import is_loopback
    from otlink.console.server import ConsoleServer

    out = Output()
    if not is_loopback(host) and token is None:
        ctx.exit(
            out.fail(
                f"listening on {host} lets others on the network drive your robots",
                ExitCode.USAGE,
                hint="add --token (a random token is made and shown once), or keep the default"
                " --host 127.0.0.1",
            )
        )
    if token == "":
        token = secrets.token_urlsafe(18)
    if not robots and not discover:
        robots = (resolve_robot(None),)
    settings = ConsoleSettings(robots=robots, discover=discover, token=token)
    server = ConsoleServer(settings, host=host, port=port)

    def announce() -> None:
        address = f"{server.url}/" + (f"?token={token}" if token else "")
        shown = ", ".join(robots) or "none yet"
        out.line(
            f"otlink console at [bold]{escape(address)}[/] — robots: {escape(shown)}"
            f"{'; looking for more on the network' if discover else ''}. Ctrl-C stops it."
        )
        if token:
            out.line("[dim]The token is shown only now: keep the address to open the console.[/]")

    server.serve(on_ready=announce)
    if not server.started:
        ctx.exit(
            out.fail(
                f"cannot listen on {host}:{port} (is another console or program using it?)",
                ExitCode.FAILURE,
                hint="pick another --port, or stop what is using it",
            )
        )
    out.line("otlink console stopped.")
