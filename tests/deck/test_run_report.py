"""``otlink runs report``: reports of runs the virtual OT-2 ran (one succeeded, one failed at a
protocol line, one failed by a fault injected into the robot), read as HTML, and opened in a
real Chromium (Debian's ``chromium``), which must fetch nothing and log no error."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from otlink.cli.main import cli
from otlink.client import RobotClient
from otlink.deck import run_report, timeline_svg
from otlink.deck.sources import robot_run_commands
from otlink.emulator.child_process import EmulatorProcess
from otlink.emulator.server import free_port
from protocol_http import BAD_NO_TIP, TINY, analysed
from robot_http import free_the_robot, wait_for_status

SVG = "{http://www.w3.org/2000/svg}"
HEADERS = {"Opentrons-Version": "4"}
SCREENSHOTS = Path(
    os.environ.get("OTLINK_SCREENSHOTS", Path(__file__).parents[2] / "build" / "screenshots")
)

WITH_MODULE = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "report: buffer onto a cold block", "author": "otlink tests"}


def add_parameters(parameters):
    parameters.add_int(
        variable_name="transfers", display_name="Transfers", default=2, minimum=1, maximum=8
    )


def run(ctx):
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 1)
    reservoir = ctx.load_labware("nest_12_reservoir_15ml", 2)
    module = ctx.load_module("temperature module gen2", 3)
    block = module.load_labware("opentrons_96_aluminumblock_generic_pcr_strip_200ul")
    buffer = ctx.define_liquid("Buffer", description="wash buffer", display_color="#1f77b4")
    reservoir["A1"].load_liquid(buffer, 10000)
    p300 = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    module.set_temperature(8)
    for well in block.wells()[: ctx.params.transfers]:
        p300.transfer(50, reservoir["A1"], well)
    ctx.delay(seconds=1)
"""


@dataclass
class Reported:
    """A run the robot ran, its commands as the robot lists them, and its report."""

    run_id: str
    commands: list[dict[str, Any]]
    html: str
    path: Path


def _play(robot: httpx.Client, name: str, text: str, values: dict[str, Any] | None = None) -> str:
    free_the_robot(robot)
    protocol = analysed(robot, {name: text})
    created = robot.post(
        "/runs",
        json={"data": {"protocolId": protocol["id"], "runTimeParameterValues": values or {}}},
    )
    assert created.status_code == 201, created.text
    run_id: str = created.json()["data"]["id"]
    robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    wait_for_status(robot, run_id, {"succeeded", "failed", "stopped"})
    return run_id


def _report(url: str, run_id: str, path: Path, *options: str) -> Reported:
    result = CliRunner().invoke(
        cli, ["runs", "report", run_id, "--robot", url, "-o", str(path), *options]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {path}" in " ".join(result.output.split())
    commands = httpx.get(
        f"{url}/runs/{run_id}/commands", params={"pageLength": 10_000}, headers=HEADERS
    ).json()["data"]
    return Reported(run_id, commands, path.read_text(encoding="utf-8"), path)


@pytest.fixture(scope="module")
def reports(
    emulator_with_modules: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Reported]]:
    """Three runs on the virtual OT-2 with modules and their reports: ``ok`` succeeded,
    ``no_tip`` failed at line 9 of its protocol, ``fault`` failed by a fault the robot injected."""
    url = emulator_with_modules.url
    folder = tmp_path_factory.mktemp("reports")
    source = folder / "bad_no_tip.py"
    source.write_text(BAD_NO_TIP)
    made: dict[str, Reported] = {}
    with httpx.Client(base_url=url, headers=HEADERS, timeout=60) as robot:
        try:
            run_id = _play(robot, "cold_block.py", WITH_MODULE, {"transfers": 3})
            made["ok"] = _report(url, run_id, folder / "ok.html")
            run_id = _play(robot, "bad_no_tip.py", BAD_NO_TIP)
            made["no_tip"] = _report(url, run_id, folder / "no_tip.html", "--protocol", str(source))
            httpx.post(f"{url}/otlink/faults", json={"data": {"rules": ["dispense#1"]}})
            run_id = _play(robot, "tiny.py", TINY)
            made["fault"] = _report(url, run_id, folder / "fault.html")
        finally:
            httpx.delete(f"{url}/otlink/faults")
            free_the_robot(robot)
    yield made


def _timeline(html: str) -> ET.Element:
    found = re.findall(r'<svg[^>]*class="otlink-timeline".*?</svg>', html, re.S)
    assert len(found) == 1
    return ET.fromstring(found[0])


def _bars(html: str) -> list[ET.Element]:
    return [
        e for e in _timeline(html).iter(f"{SVG}rect") if "command" in (e.get("class") or "").split()
    ]


class _Page(HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self._in_style = tag == "style"
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
            self._in_style = False


def _assert_needs_no_network(html: str) -> None:
    page = _Page()
    page.feed(html)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    fetched = [
        (tag, name, value)
        for tag, name, value in page.attributes
        if re.search(r"https?://", value) and name != "xmlns"
    ]
    assert fetched == []
    assert not any(re.search(r"url\(|@import|@font-face", style) for style in page.styles)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_succeeded_run_has_its_summary(reports: dict[str, Reported]) -> None:
    html = reports["ok"].html
    for fact in (
        "report: buffer onto a cold block",
        "cold_block.py (main)",
        '<span class="status succeeded">succeeded</span>',
        "<th>Created</th>",
        "<th>Started</th>",
        "<th>Completed</th>",
        "<th>Duration</th>",
        "left: p300_single_gen2",
        "slot 2: NEST 12 Well Reservoir 15 mL",
        "on temperatureModuleV2 in slot 3: Opentrons 96 Well Aluminum Block with Generic PCR Strip",
        "temperatureModuleV2 in slot 3",
        "Transfers = 3 (default 2)",
        "Buffer",
        "the robot&#x27;s engine running the python protocol",
        "play at 20",
    ):
        assert fact in html, fact
    assert "<h2>Errors</h2>" not in html
    commands = reports["ok"].commands
    assert f"<th>Commands</th><td>{len(commands)}: {len(commands)} succeeded</td>" in html
    for command_type, count in Counter(c["commandType"] for c in commands).items():
        assert f'<code>{command_type}</code></td><td class="number">{count}</td>' in html


def test_the_timeline_has_one_bar_per_command_in_a_row_per_type(
    reports: dict[str, Reported],
) -> None:
    commands = reports["ok"].commands
    bars = _bars(reports["ok"].html)
    assert [int(bar.get("data-index", -1)) for bar in bars] == list(range(len(commands)))
    assert [bar.get("data-command-type") for bar in bars] == [c["commandType"] for c in commands]
    rows = {bar.get("data-command-type"): bar.get("y") for bar in bars}
    assert len(set(rows.values())) == len(rows)  # one row per type
    delay = bars[[c["commandType"] for c in commands].index("waitForDuration")]
    assert float(delay.get("width", 0)) > 40  # one second of a run of a few seconds
    title = delay.find(f"{SVG}title")
    assert title is not None and re.search(r"waitForDuration.*: 1(\.\d+)? s from", title.text or "")
    assert all(bar.find(f"{SVG}title") is not None for bar in bars)


def _later(timestamp: str, seconds: float) -> str:
    return (datetime.fromisoformat(timestamp) + timedelta(seconds=seconds)).isoformat()


def test_a_long_idle_stretch_is_drawn_shortened(reports: dict[str, Reported]) -> None:
    """The run's commands as if the robot had waited two hours before its first pickUpTip (a
    paused run): the wait is drawn as a break, and the work keeps its width."""
    commands = [dict(c) for c in reports["ok"].commands]
    first_tip = [c["commandType"] for c in commands].index("pickUpTip")
    for command in commands[first_tip:]:
        for key in ("startedAt", "completedAt"):
            command[key] = _later(command[key], 7200)
    svg = ET.fromstring(timeline_svg(commands))
    titles = [t.text or "" for t in svg.iter(f"{SVG}title")]
    assert any(re.match(r"idle 2 h 00 min \(drawn shortened\)", t) for t in titles), titles
    bars = [e for e in svg.iter(f"{SVG}rect") if e.get("class") == "command"]
    assert len(bars) == len(commands)
    index = [c["commandType"] for c in commands].index("waitForDuration")
    assert float(bars[index].get("width", 0)) > 40
    assert any(t.startswith(f"#{index} waitForDuration") and "from 2:00:0" in t for t in titles)


def test_the_deck_is_drawn_before_and_after(reports: dict[str, Reported]) -> None:
    html = reports["ok"].html
    decks = re.findall(r'<figure class="deck" data-at="(\w+)">.*?(<svg.*?</svg>)', html, re.S)
    assert [at for at, _ in decks] == ["start", "end"]
    start, end = (ET.fromstring(svg) for _, svg in decks)

    def tips(root: ET.Element, kind: str) -> int:
        return sum(1 for e in root.iter() if kind in (e.get("class") or "").split())

    assert tips(start, "to-use") == 3 and tips(start, "used") == 0
    assert tips(end, "used") == 3
    modules = [e.get("data-model") for e in end.iter(f"{SVG}g") if e.get("class") == "module"]
    assert modules == ["temperatureModuleV2"]
    assert " id=" not in html  # two decks in one page: no id twice


def test_reports_need_no_network(reports: dict[str, Reported]) -> None:
    for reported in reports.values():
        _assert_needs_no_network(reported.html)


def test_a_protocol_error_is_shown_at_its_line_with_the_source(
    reports: dict[str, Reported],
) -> None:
    reported = reports["no_tip"]
    html = reported.html
    failed = [i for i, c in enumerate(reported.commands) if c["status"] == "failed"]
    assert len(failed) == 1
    assert '<div class="failure" data-line="9">' in html
    assert f"The run failed at line 9 of bad_no_tip.py, in command {failed[0]} (aspirate" in html
    assert "<code>TipNotAttachedError</code>: Pipette should have a tip attached" in html
    assert (
        '<span class="this">   9      pipette.aspirate(100, plate[&quot;A1&quot;])</span>' in html
    )
    bars = _bars(html)
    assert len(bars) == len(reported.commands)
    assert [b.get("data-index") for b in bars if "failed" in (b.get("class") or "")] == [
        str(failed[0])
    ]


def test_a_robot_side_failure_is_shown_at_its_line(reports: dict[str, Reported]) -> None:
    reported = reports["fault"]
    html = reported.html
    index = next(i for i, c in enumerate(reported.commands) if c["status"] == "failed")
    assert reported.commands[index]["commandType"] == "dispense"
    assert f"The run failed at line 11 of tiny.py, in command {index} (dispense 100" in html
    assert "<code>MotionFailedError</code>: Injected fault: dispense" in html
    assert "A fault injected by the virtual robot" in html
    assert "Pass --protocol tiny.py to show the source of line 11" in html
    assert len(_bars(html)) == len(reported.commands)


def test_the_library_call_makes_the_same_report(
    reports: dict[str, Reported], emulator_with_modules: EmulatorProcess
) -> None:
    with RobotClient(emulator_with_modules.url) as client:
        run = client.get_run(reports["no_tip"].run_id)
        html = run_report(
            run, robot_run_commands(client, run.id), source=BAD_NO_TIP, source_name="copy.py"
        )
    assert "The run failed at line 9" in html and "Quoted from copy.py" not in html
    assert html.count('class="otlink-deck"') == 2


@pytest.mark.parametrize(
    ("output", "says"),
    [
        ("missing/report.html", "is not a folder"),
        ("report.txt", "is not an .html file"),
        (".", "is not an .html file"),
    ],
)
def test_a_bad_output_path_is_a_usage_error(
    output: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["runs", "report", "some-run", "--robot", "127.0.0.1:9", "-o", output]
    )
    assert result.exit_code == 2, result.output
    assert says in result.output and "Traceback" not in result.output


def test_an_unknown_run_is_the_robot_s_message(
    emulator_with_modules: EmulatorProcess, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "runs",
            "report",
            "no-such-run",
            "--robot",
            emulator_with_modules.url,
            "-o",
            str(tmp_path / "r.html"),
        ],
    )
    assert result.exit_code == 4, result.output
    assert "Run no-such-run not found" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_an_unreachable_robot(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "runs",
            "report",
            "a-run",
            "--robot",
            f"127.0.0.1:{free_port()}",
            "--timeout",
            "1",
            "-o",
            str(tmp_path / "r.html"),
        ],
    )
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output


@pytest.mark.slow  # a browser: about 20 s on a busy machine
def test_the_reports_render_in_chromium_offline(reports: dict[str, Reported]) -> None:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no Chromium here: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            for name, reported in reports.items():
                page.goto(reported.path.as_uri())
                assert page.locator("svg.otlink-timeline rect.command").count() == len(
                    reported.commands
                )
                for svg in page.locator("svg").all():
                    box = svg.bounding_box()
                    assert box is not None and box["width"] > 300
                page.screenshot(path=str(SCREENSHOTS / f"run-report-{name}.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(path=str(SCREENSHOTS / "run-report-fault.pdf"))
        finally:
            browser.close()
    assert problems == []
    assert all(url.startswith("file://") for url in requests), requests
    assert pdf.startswith(b"%PDF")
