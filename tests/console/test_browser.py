"""The console driven as an operator would: a real headless Chromium on ``otlink serve`` in
front of two virtual OT-2s. Each test saves screenshots in build/screenshots/."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from console_process import PROTOCOLS, ConsoleProcess, screenshot
from playwright.sync_api import expect

from otlink.emulator.child_process import EmulatorProcess

LABWARE = Path(__file__).parents[1] / "live" / "protocols" / "labware"
CLI_PROTOCOLS = Path(__file__).parents[1] / "cli" / "protocols"

# Two virtual OT-2s, a console and a browser: about 40 s in all.
pytestmark = pytest.mark.slow


def count(page: Any) -> tuple[int, int]:
    """``(done, total)`` from the run page's "12 of 40 commands"."""
    text = page.locator("#run-count").inner_text()
    found = re.match(r"(\d+) of (\d+) commands", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def wait_until(condition: Any, what: str, timeout: float = 20) -> None:
    """Look at the page until ``condition()`` holds (the page's CSP allows no evaluated
    script, so Playwright's wait_for_function cannot be used)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)


def upload(page: Any, console: ConsoleProcess, key: str, protocol: str | Path) -> None:
    page.goto(f"{console.url}/robots/{key}/start")
    page.set_input_files("input[name=protocol]", str(PROTOCOLS / protocol))
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.locator("#analysis-result")).to_be_visible()


def key_of(robot: EmulatorProcess) -> str:
    return f"127.0.0.1-{robot.port}"


def test_both_robots_appear_with_their_state(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    page.goto(console.url)
    first, second = (page.locator(f"[data-robot='{key_of(r)}']") for r in two_robots)
    expect(first.get_by_role("heading")).to_contain_text("bench-a")
    expect(second.get_by_role("heading")).to_contain_text("bench-b")
    expect(first).to_contain_text("reachable")
    expect(first).to_contain_text("robot software 8.8")
    expect(first).to_contain_text("left: p300_single_gen2")
    expect(first).to_contain_text("temperatureModuleV2")
    expect(first).to_contain_text("°C")
    screenshot(page, "robots")
    page.close()


def test_upload_fill_a_parameter_start_pause_resume_and_succeed(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    upload(page, console, key_of(two_robots[0]), "steady_transfer.py")
    expect(page.locator("#analysis-result")).to_have_text("ok")
    transfers = page.get_by_label("Transfers")
    expect(transfers).to_have_value("3")
    transfers.fill("14")
    screenshot(page, "analysis")
    page.get_by_role("button", name="Start run").click()

    expect(page.locator("h1")).to_have_text("Steady transfer")
    expect(page.locator("#run-status")).to_have_text("running", timeout=15_000)
    done, total = count(page)
    assert total > 14 * 3, f"the run should plan 14 transfers, plans {total} commands"
    wait_until(lambda: count(page)[0] > done, "progress to advance")
    expect(page.locator("#run-step")).not_to_be_empty()
    screenshot(page, "run-running")

    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#run-status")).to_have_text("paused", timeout=10_000)
    expect(page.get_by_role("button", name="Resume")).to_be_enabled()
    held = count(page)[0]
    time.sleep(2.5)  # the robot holds: nothing more is done while paused
    assert count(page)[0] == held
    screenshot(page, "run-paused")

    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=60_000)
    assert count(page) == (total, total)
    expect(page.locator("#run-remaining")).to_have_text("0 s")
    screenshot(page, "run-succeeded")
    page.close()


def test_a_failing_run_shows_the_robots_error(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    upload(page, console, key_of(two_robots[1]), "steady_transfer.py")
    page.get_by_role("button", name="Start run").click()
    expect(page.locator("#run-status")).to_have_text("failed", timeout=30_000)
    errors = page.locator("#run-errors")
    expect(errors).to_contain_text("The robot reports")
    expect(errors).to_contain_text("aspirate")
    # Once the run has ended, the page reads its whole command log again by itself.
    expect(page.locator("table.commands tr.failed")).not_to_have_count(0)
    screenshot(page, "run-failed")
    expect(page.locator("#run-errors")).to_contain_text("aspirate")

    page.goto(f"{console.url}/robots/{key_of(two_robots[1])}")
    expect(page.locator("table.history tbody tr").first).to_contain_text("failed")
    screenshot(page, "robot-history")
    page.close()


def test_an_analysis_error_names_its_line(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    upload(page, console, key_of(two_robots[0]), CLI_PROTOCOLS / "no_tip.py")
    expect(page.locator("#analysis-result")).to_have_text("not-ok")
    errors = page.locator("#analysis-errors")
    expect(errors).to_contain_text("Line 7")
    expect(errors).to_contain_text('p300.aspirate(50, plate["A1"])')
    screenshot(page, "analysis-error")
    page.close()


def test_stop_asks_first_and_then_stops(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    upload(page, console, key_of(two_robots[0]), "steady_transfer.py")
    page.get_by_label("Transfers").fill("40")
    page.get_by_role("button", name="Start run").click()
    expect(page.locator("#run-status")).to_have_text("running", timeout=15_000)

    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Stop").click()
    time.sleep(1.5)
    expect(page.locator("#run-status")).to_have_text("running")
    assert questions and "Stop this run?" in questions[0]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("#run-status")).to_have_text("stopped", timeout=30_000)
    screenshot(page, "run-stopped")
    page.close()


def test_custom_labware_a_csv_file_and_a_choice(
    browser: Any, console: ConsoleProcess, two_robots: tuple[EmulatorProcess, EmulatorProcess]
) -> None:
    page = browser.new_page()
    page.goto(f"{console.url}/robots/{key_of(two_robots[0])}/start")
    page.set_input_files("input[name=protocol]", str(PROTOCOLS / "plate_map_custom.py"))
    page.set_input_files("input[name=labware]", str(LABWARE / "otlink_deep_96_wellplate.json"))
    page.set_input_files("input[name=data]", str(PROTOCOLS / "plate_map.csv"))
    page.get_by_role("button", name="Upload and analyse").click()
    expect(page.locator("#analysis-result")).to_have_text("parameter-value-required")
    page.get_by_label("Plate map").select_option("plate_map.csv")
    page.get_by_label("Mode").select_option("careful")
    screenshot(page, "analysis-csv")
    page.get_by_role("button", name="Start run").click()
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=30_000)
    steps = page.locator("table.commands")
    expect(steps).to_contain_text("comment 'careful: C1 gets 10 uL'")
    expect(steps).to_contain_text("loadLabware otlink_deep_96_wellplate in slot 2")
    screenshot(page, "run-csv")
    page.close()
