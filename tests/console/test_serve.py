"""``otlink serve`` from outside, over plain HTTP: who may use it, what it refuses, and what it
shows of a robot (a live run started elsewhere, the command log as CSV)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from console_process import ConsoleProcess

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from robot_http import free_robot


@pytest.fixture(scope="module")
def served(emulator: EmulatorProcess) -> Iterator[ConsoleProcess]:
    server = ConsoleProcess(("--robot", emulator.url))
    yield server
    server.stop()


def key_of(robot: EmulatorProcess) -> str:
    return f"127.0.0.1-{robot.port}"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF value"
    return found.group(1)


def otlink(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otlink", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_listening_beyond_loopback_needs_a_token() -> None:
    result = otlink("serve", "--robot", "127.0.0.1:9", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "lets others on the network drive your robots" in result.stderr
    assert "--token" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_port_in_use_is_said_plainly(served: ConsoleProcess) -> None:
    result = otlink("serve", "--robot", "127.0.0.1:9", "--port", str(served.port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{served.port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_no_robot_is_a_usage_error(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "otlink", "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "no robot given" in result.stderr


def test_a_foreign_host_name_is_refused(served: ConsoleProcess) -> None:
    """No DNS rebinding: a page of another site that resolves to 127.0.0.1 gets nothing."""
    answer = httpx.get(served.url, headers={"Host": "evil.example:8031"})
    assert answer.status_code == 403
    assert "answers only as localhost" in answer.text


def test_state_changes_need_the_consoles_own_page(
    served: ConsoleProcess, emulator: EmulatorProcess
) -> None:
    with RobotClient(emulator.url) as robot:
        robot.set_lights(False)
    lights = f"{served.url}/robots/{key_of(emulator)}/lights"
    with httpx.Client() as browser:
        page = browser.get(f"{served.url}/robots/{key_of(emulator)}")
        assert page.status_code == 200, page.text
        csrf = csrf_of(page.text)
        cross_site = browser.post(
            lights, data={"csrf": csrf, "on": "true"}, headers={"Origin": "http://evil.example"}
        )
        no_origin = browser.post(lights, data={"csrf": csrf, "on": "true"})
        no_csrf = browser.post(lights, data={"on": "true"}, headers={"Origin": served.url})
        assert [r.status_code for r in (cross_site, no_origin, no_csrf)] == [403, 403, 403]
        with RobotClient(emulator.url) as robot:
            assert robot.get_lights().on is False
        own = browser.post(
            lights, data={"csrf": csrf, "on": "true"}, headers={"Origin": served.url}
        )
        assert own.status_code == 303
    with RobotClient(emulator.url) as robot:
        assert robot.get_lights().on is True
        robot.set_lights(False)


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_token_is_asked_for_then_kept_in_a_cookie(emulator: EmulatorProcess) -> None:
    server = ConsoleProcess(("--robot", emulator.url, "--token", "s3cret-token"))
    try:
        deadline = time.monotonic() + 5
        while "?token=s3cret-token" not in server.output():
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.05)
        with httpx.Client() as browser:
            assert browser.get(server.url).status_code == 401
            assert browser.get(f"{server.url}/?token=wrong").status_code == 401
            first = browser.get(f"{server.url}/?token=s3cret-token")
            assert first.status_code == 303 and first.headers["location"] == "/"
            assert browser.get(server.url).status_code == 200
    finally:
        server.stop()


def test_an_unknown_robot_is_a_404_page(served: ConsoleProcess) -> None:
    answer = httpx.get(f"{served.url}/robots/10.9.9.9-31950")
    assert answer.status_code == 404
    assert "no robot 10.9.9.9-31950 in this console" in answer.text


def test_a_live_run_from_the_laptop_shows_up_and_its_log_downloads(
    served: ConsoleProcess, emulator: EmulatorProcess
) -> None:
    with RobotClient(emulator.url) as robot:
        free_robot(robot)
        run = robot.create_run()
        robot.enqueue_command(run.id, "home")
        robot.enqueue_command(run.id, "comment", {"message": "from a notebook"})
        deadline = time.monotonic() + 10
        while "2 commands" not in (page := httpx.get(served.url).text):
            assert time.monotonic() < deadline, "the live run never showed on the Robots page"
            time.sleep(0.2)
        assert "live run" in page
        answer = httpx.get(f"{served.url}/robots/{key_of(emulator)}/runs/{run.id}/commands.csv")
        robot.archive_run(run.id)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["commandType"] for row in rows] == ["home", "comment"]
    assert rows[1]["step"] == "comment 'from a notebook'"
    assert rows[1]["status"] == "succeeded"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_discover_shows_robots_announced_on_the_network(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    name = f"otlink-console-{uuid.uuid4().hex[:8]}"  # other emulators may be announced nearby
    robot = start_emulator("--advertise", "--name", name)
    server = ConsoleProcess(("--discover",))
    try:
        deadline = time.monotonic() + 20
        while name not in (page := httpx.get(server.url).text):
            assert time.monotonic() < deadline, "the announced robot never showed"
            time.sleep(0.3)
        card = page[page.index(f'id="robot-{key_of(robot)}"') :]
        assert "found on the network" in card
    finally:
        server.stop()


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_busy_robot_starts_nothing_and_says_why(
    served: ConsoleProcess, emulator: EmulatorProcess
) -> None:
    protocol = Path(__file__).parents[1] / "cli" / "protocols" / "long_delay.py"
    base = f"{served.url}/robots/{key_of(emulator)}"
    with RobotClient(emulator.url) as robot, httpx.Client(timeout=120) as browser:
        free_robot(robot)
        busy = robot.create_run()
        robot.enqueue_command(busy.id, "home")
        robot.enqueue_command(
            busy.id, "waitForDuration", {"seconds": 30}, intent="protocol", wait=False
        )
        robot.play_run(busy.id)
        try:
            csrf = csrf_of(browser.get(f"{base}/start").text)
            uploaded = browser.post(
                f"{base}/protocols",
                data={"csrf": csrf},
                files={"protocol": ("long_delay.py", protocol.read_bytes())},
                headers={"Origin": served.url},
            )
            assert uploaded.status_code == 303, uploaded.text
            answer = browser.post(
                served.url + uploaded.headers["location"] + "/start",
                data={"csrf": csrf},
                headers={"Origin": served.url},
            )
            assert answer.status_code == 409, answer.text
            assert "the robot did not start the run" in answer.text
            assert [r.id for r in robot.list_runs() if r.current] == [busy.id]
        finally:
            robot.stop_run(busy.id)
            robot.wait_for_run(busy.id, timeout=30)
            robot.archive_run(busy.id)
