"""However many pages are open, each robot is polled once: 4 virtual OT-2s each running a
protocol, 3 browser tabs on the console, and every request counted at the robots' doors (a
counting proxy in front of each)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from console_process import PROTOCOLS, ConsoleProcess, screenshot
from playwright.sync_api import expect

from client.fault_proxy import Action, FaultProxy
from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import OtlinkError

ROBOTS = 4
WINDOW = 10.0
STATUS_POLL = ("GET", "/runs?pageLength=1")


@dataclass
class Doorman:
    """Counts the requests a robot receives: ``(time, method, path)``."""

    seen: list[tuple[float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, method: str, path: str) -> Action:
        with self.lock:
            self.seen.append((time.monotonic(), method, path))
        return "PASS"

    def between(self, start: float, end: float) -> list[tuple[str, str]]:
        with self.lock:
            return [(method, path) for at, method, path in self.seen if start <= at < end]


@pytest.fixture(scope="module")
def robots() -> Iterator[list[tuple[EmulatorProcess, FaultProxy, Doorman]]]:
    started: list[tuple[EmulatorProcess, FaultProxy, Doorman]] = []
    try:
        for index in range(ROBOTS):
            robot = EmulatorProcess(args=("--name", f"line-{index + 1}"))
            doorman = Doorman()
            started.append((robot, FaultProxy(("127.0.0.1", robot.port), doorman), doorman))
        yield started
    finally:
        for robot, proxy, _ in started:
            proxy.stop()
            robot.stop()


#: 40 transfers with a 2 s wait each: the runs outlast the set-up and the measured window.
LONG_RUN = {"transfers": 40, "wait": 2.0}


def start_long_run(robot: EmulatorProcess) -> str:
    with RobotClient(robot.url) as client:
        protocol = client.upload_protocol(
            PROTOCOLS / "steady_transfer.py", run_time_parameter_values=LONG_RUN
        )
        client.wait_for_analysis(protocol.id, timeout=120)
        run = client.create_run(protocol.id, run_time_parameter_values=LONG_RUN)
        client.play_run(run.id)
        return run.id


def updates(page: Any) -> int:
    return int(page.locator("body").get_attribute("data-updates") or 0)


@pytest.mark.slow
def test_each_robot_sees_at_most_one_status_poll_a_second(
    robots: list[tuple[EmulatorProcess, FaultProxy, Doorman]], browser: Any
) -> None:
    server = ConsoleProcess(tuple(arg for _, p, _ in robots for arg in ("--robot", p.url)))
    run_ids = [start_long_run(robot) for robot, _, _ in robots]
    try:
        keys = [f"127.0.0.1-{proxy.port}" for _, proxy, _ in robots]
        tabs = [browser.new_page() for _ in range(3)]
        tabs[0].goto(server.url)
        tabs[1].goto(f"{server.url}/robots/{keys[0]}")
        tabs[2].goto(f"{server.url}/robots/{keys[1]}/runs/{run_ids[1]}")
        for key in keys:
            expect(tabs[0].locator(f"[data-robot='{key}'] .run-summary")).to_contain_text(
                "running", timeout=20_000
            )
        expect(tabs[2].locator("#run-status")).to_have_text("running")

        before = [updates(tab) for tab in tabs]
        start = time.monotonic()
        time.sleep(WINDOW)
        end = time.monotonic()
        screenshot(tabs[0], "robots-four-running")
        received = [updates(tab) - seen for tab, seen in zip(tabs, before, strict=True)]
        expect(tabs[2].locator("#run-status")).to_have_text("running")  # all along the window

        figures = []
        for index, (_, _, doorman) in enumerate(robots):
            requests = doorman.between(start, end)
            polls = sum(1 for request in requests if request == STATUS_POLL)
            figures.append((index + 1, polls, len(requests)))
        print(f"\nover {end - start:.1f} s with 3 tabs open (robot, status polls, all requests):")
        for number, polls, total in figures:
            print(
                f"  line-{number}: {polls / WINDOW:.2f} status polls/s, {total / WINDOW:.2f} req/s"
            )
        print(f"  pushed updates per tab: {received}")

        for number, polls, total in figures:
            assert 0 < polls <= WINDOW + 1, f"line-{number} saw {polls} status polls"
            # besides the status poll: the run's progress every poll, inventory every 5th
            assert total <= 2.8 * WINDOW + 4, f"line-{number} saw {total} requests"
        # A page part is pushed when it changes: here a step ends every 2 s or so.
        assert all(count >= WINDOW / 4 for count in received), received
        for tab in tabs:
            tab.close()
    finally:
        for (robot, _, _), run_id in zip(robots, run_ids, strict=True):
            with RobotClient(robot.url) as client, contextlib.suppress(OtlinkError):
                client.stop_run(run_id)  # a run that ended cannot be stopped
        server.stop()
