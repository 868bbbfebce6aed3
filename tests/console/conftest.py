"""Fixtures of the console tests: ``otlink serve`` as a child process in front of virtual
OT-2s, and a real headless Chromium (Debian's ``chromium``) driven by Playwright.

Playwright never downloads a browser here: it is pointed at the system's Chromium, and the
browser tests skip (saying why) only when no Chromium is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from console_process import CHROMIUM_ARGS, ConsoleProcess, find_chromium

from otlink.emulator.child_process import EmulatorProcess


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh headless Chromium profile (a Playwright browser context)."""
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium here: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(30_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def two_robots() -> Iterator[tuple[EmulatorProcess, EmulatorProcess]]:
    """Two virtual OT-2s: ``bench-a`` with a temperature module, and ``bench-b`` whose second
    aspirate of every run fails as a hardware fault would."""
    first = EmulatorProcess(args=("--name", "bench-a", "--module", "temperatureModuleV2"))
    try:
        second = EmulatorProcess(args=("--name", "bench-b", "--fault", "aspirate#2"))
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture(scope="module")
def console(two_robots: tuple[EmulatorProcess, EmulatorProcess]) -> Iterator[ConsoleProcess]:
    first, second = two_robots
    server = ConsoleProcess(("--robot", first.url, "--robot", second.url))
    yield server
    server.stop()
