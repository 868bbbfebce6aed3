"""A run's report: one self-contained HTML file (inline SVG and CSS; nothing is fetched to open
it, and it prints) with the run's summary, a time line of its commands, its errors at the
protocol's line, and the deck at the run's start and end.

Example::

    from otlink.client import RobotClient
    from otlink.deck import robot_run_report

    with RobotClient("10.0.0.5") as robot:
        html = robot_run_report(robot, run_id, source=Path("transfer.py"))
    Path("report.html").write_text(html, encoding="utf-8")

or, from a run and its commands already at hand, ``run_report(run, commands)``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from otlink.client import RobotClient
from otlink.errors import ApiError
from otlink.models import Protocol, Run
from otlink.models.command_words import CommandWords

from .definitions import labware_uri
from .report_errors import RunFailure, failed_commands, run_failures, source_excerpt
from .report_summary import summary_rows, time_words, totals_by_type
from .sources import robot_run_commands
from .state import DeckState
from .svg import deck_svg
from .timeline import timeline_svg
from .timeline_layout import duration_words

_STYLE = """
:root { color-scheme: light; }
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #1d252c; margin: 1.5em auto;
  max-width: 1140px; padding: 0 1em; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; } h2 { font-size: 1.15em; margin: 1.8em 0 0.5em;
  border-bottom: 2px solid #1d252c; padding-bottom: 0.15em; }
.status { display: inline-block; padding: 0.1em 0.6em; border-radius: 3px; color: #fff;
  font-weight: bold; background: #56616b; }
.status.succeeded { background: #2e7d32; } .status.failed { background: #c8102e; }
.status.stopped { background: #8a6d00; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.7em;
  border-bottom: 1px solid #d5dae0; }
table.summary th { width: 10em; white-space: nowrap; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.failure { border-left: 4px solid #c8102e; padding: 0.4em 0.9em; margin: 0.8em 0;
  background: #fdf3f4; }
.failure .where { font-weight: bold; }
pre.source { background: #f4f5f7; padding: 0.5em 0.8em; overflow-x: auto; margin: 0.5em 0; }
pre.source .this { background: #ffd9de; font-weight: bold; display: block; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
svg { max-width: 100%; height: auto; }
.decks { display: flex; flex-wrap: wrap; gap: 1.2em; }
.decks figure { margin: 0; flex: 1 1 520px; }
figcaption { font-weight: bold; margin-bottom: 0.3em; }
.note { color: #56616b; }
footer { margin-top: 2.5em; color: #56616b; font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } figure, .failure, table.summary tr, svg { break-inside: avoid; }
  .decks figure { flex-basis: 45%; }
  .status { color: #000; background: none; border: 1px solid #000; }
}
"""

_ID = re.compile(r' id="[^"]*"')


def run_report(
    run: Run,
    commands: Sequence[Mapping[str, Any]],
    *,
    protocol: Protocol | None = None,
    source: str | None = None,
    source_name: str | None = None,
    robot: str | None = None,
) -> str:
    """The report of ``run`` as an HTML page (text).

    ``commands`` are the run's commands as dicts, in order (``robot_run_commands`` gives them,
    the loads with their results); ``protocol`` is the run's protocol as the robot has it;
    ``source`` the text of its main file (from ``source_name``), to quote the line an error names.

    Example::

        html = run_report(client.get_run(run_id), robot_run_commands(client, run_id))
    """
    deck = DeckState.from_commands(commands, liquids=run.liquids)
    names = {labware_uri(lw.definition): lw.title for lw in deck.labware.values()}
    words = CommandWords(
        run.labware, run.modules, name_of=lambda uri, load_name: names.get(uri, load_name)
    )
    title = protocol.name if protocol else ("Live run" if not run.protocolId else "Protocol run")
    status = html.escape(str(run.status))
    parts = [
        f'<h1>{html.escape(title)} <span class="status {status}">{status}</span></h1>',
        f'<p class="note">Run report of run {html.escape(run.id)}</p>',
        "<h2>Summary</h2>",
        _table(summary_rows(run, commands, deck, protocol=protocol, robot=robot), "summary"),
        _errors_html(run, commands, words, protocol, source, source_name),
        "<h2>Timeline</h2>",
        '<p class="note">One bar per command, one row per command type; shaded: no command '
        "running; dashed: the run's actions. Hover over a bar for the command.</p>",
        timeline_svg(
            commands,
            actions=[a.model_dump(mode="json") for a in run.actions],
            describe=words,
        ),
        "<h2>Commands by type</h2>",
        _totals_html(commands),
        "<h2>Deck</h2>",
        '<div class="decks">',
        _figure("At the start: the set-up", deck_svg(deck, at_start=True), "start"),
        _figure(f"At the end ({status})", deck_svg(deck), "end"),
        "</div>",
        f"<footer>Made by otlink on {time_words(_now())} from the robot's records.</footer>",
    ]
    return _page(f"Run report: {title}", "\n".join(part for part in parts if part))


def robot_run_report(client: RobotClient, run_id: str, *, source: Path | None = None) -> str:
    """The report of a robot's run, read from the robot (its protocol too, if it still has it);
    ``source``: the protocol file here, to quote the line an error names (a robot gives no
    way to download a protocol's files).

    Example::

        Path("report.html").write_text(robot_run_report(client, run_id), encoding="utf-8")
    """
    run = client.get_run(run_id)
    commands = robot_run_commands(client, run_id)
    protocol = None
    if run.protocolId:
        try:
            protocol = client.get_protocol(run.protocolId)
        except ApiError:  # deleted since: the run still says which it was
            protocol = None
    try:
        robot = f"{client.health().name} ({client.url})"
    except ApiError:
        robot = client.url
    text = source.read_text(encoding="utf-8", errors="replace") if source else None
    return run_report(
        run,
        commands,
        protocol=protocol,
        source=text,
        source_name=source.name if source else None,
        robot=robot,
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def _table(rows: Sequence[tuple[str, str]], cls: str) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(text)}</td></tr>"
        for label, text in rows
    )
    return f'<table class="{cls}">{cells}</table>'


def _figure(caption: str, svg: str, which: str) -> str:
    # Two decks in one page: the outlines' ids would repeat, and nothing refers to them.
    return (
        f'<figure class="deck" data-at="{which}"><figcaption>{html.escape(caption)}</figcaption>'
        f"{_ID.sub('', svg)}</figure>"
    )


def _totals_html(commands: Sequence[Mapping[str, Any]]) -> str:
    head = (
        "<tr><th>Command type</th><th>Count</th><th>Failed</th><th>Total time</th>"
        "<th>Longest</th></tr>"
    )
    rows = "".join(
        f"<tr><td><code>{html.escape(t.command_type)}</code></td>"
        f'<td class="number">{t.count}</td><td class="number">{t.failed or ""}</td>'
        f'<td class="number">{duration_words(t.seconds)}</td>'
        f'<td class="number">{duration_words(t.longest)}</td></tr>'
        for t in totals_by_type(commands)
    )
    return f'<table class="totals">{head}{rows}</table>'


def _errors_html(
    run: Run,
    commands: Sequence[Mapping[str, Any]],
    words: CommandWords,
    protocol: Protocol | None,
    source: str | None,
    source_name: str | None,
) -> str:
    failures = run_failures(run.errors, commands)
    failed = failed_commands(commands)
    if not failures and not failed:
        return ""
    main = next((f.name for f in protocol.files if f.role == "main"), None) if protocol else None
    parts = ["<h2>Errors</h2>"]
    parts += [_failure_html(f, commands, words, main, source, source_name) for f in failures]
    tied = {f.command_index for f in failures}
    loose = [(i, c) for i, c in failed if i not in tied]
    if loose:
        parts.append("<p>Commands that failed:</p>" if failures else "")
        parts += [_failed_command_html(i, c, words) for i, c in loose]
    return "\n".join(parts)


def _failure_html(
    failure: RunFailure,
    commands: Sequence[Mapping[str, Any]],
    words: CommandWords,
    main: str | None,
    source: str | None,
    source_name: str | None,
) -> str:
    where = "The run failed"
    if failure.line is not None:
        where += f" at line {failure.line}" + (f" of {main}" if main else "")
    if failure.command_index is not None:
        command = commands[failure.command_index]
        what = words(str(command["commandType"]), command.get("params") or {})
        where += f", in command {failure.command_index} ({what})"
    parts = [
        f'<div class="failure" data-line="{failure.line or ""}">',
        f'<p class="where">{html.escape(where)}</p>',
        f"<p><code>{html.escape(failure.cause_type)}</code>: {html.escape(failure.cause)}</p>",
    ]
    if failure.cause_info.get("injected"):
        parts.append('<p class="note">A fault injected by the virtual robot (/otlink/faults).</p>')
    parts.append(_source_html(failure.line, main, source, source_name))
    parts.append(
        f'<p class="note">The robot said: {html.escape(failure.error_type)} '
        f"{html.escape(failure.error_code)}: {html.escape(failure.detail)}</p></div>"
    )
    return "\n".join(parts)


def _source_html(
    line: int | None, main: str | None, source: str | None, source_name: str | None
) -> str:
    if line is None:
        return ""
    if source is None:
        name = main or "the protocol file"
        return (
            f'<p class="note">Pass --protocol {html.escape(name)} to show the source of line '
            f"{line} here (the robot keeps the file but gives no way to read it back).</p>"
        )
    excerpt = source_excerpt(source, line)
    if not excerpt:
        return f'<p class="note">{html.escape(source_name or "The source")} has no line {line}.</p>'
    note = ""
    if main and source_name and source_name != main:
        note = (
            f'<p class="note">Quoted from {html.escape(source_name)}; the robot ran '
            f"{html.escape(main)}.</p>"
        )
    rows = "".join(
        f'<span class="{"this" if this else "other"}">{number:>4}  {html.escape(text)}</span>'
        + ("" if this else "\n")
        for number, text, this in excerpt
    )
    return f'{note}<pre class="source">{rows}</pre>'


def _failed_command_html(index: int, command: Mapping[str, Any], words: CommandWords) -> str:
    error = command.get("error") or {}
    what = words(str(command["commandType"]), command.get("params") or {})
    return (
        f'<div class="failure" data-command-index="{index}">'
        f'<p class="where">Command {index} failed: {html.escape(what)}</p>'
        f"<p><code>{html.escape(str(error.get('errorType', '')))}</code>: "
        f"{html.escape(str(error.get('detail', '')))}</p></div>"
    )
