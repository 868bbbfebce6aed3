"""Shared fixtures: virtual OT-2s running as real servers on free loopback ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess
from robot_http import MODULES, free_the_robot

HEADERS = {"Opentrons-Version": "4"}


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One virtual OT-2 (p300_single_gen2 left, p20_single_gen2 right) for the whole session."""
    server = EmulatorProcess()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def emulator_with_modules() -> Iterator[EmulatorProcess]:
    """One virtual OT-2 with a module of each kind (MODULES) for the whole session."""
    server = EmulatorProcess(args=tuple(arg for model in MODULES for arg in ("--module", model)))
    yield server
    server.stop()


@pytest.fixture
def robot_with_modules(emulator_with_modules: EmulatorProcess) -> EmulatorProcess:
    """The session's virtual OT-2 with modules, freed of other tests' runs and fault rules."""
    with httpx.Client(base_url=emulator_with_modules.url, headers=HEADERS, timeout=60) as client:
        free_the_robot(client)
    return emulator_with_modules


@pytest.fixture
def fresh_emulator() -> Iterator[EmulatorProcess]:
    """A virtual OT-2 of its own for one test: just booted (X, Y unhomed), no runs or protocols."""
    server = EmulatorProcess()
    yield server
    server.stop()


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., EmulatorProcess]]:
    """Start virtual OT-2s with ``otlink emulate`` options: ``start_emulator("--left", "none")``."""
    started: list[EmulatorProcess] = []

    def start(*args: str) -> EmulatorProcess:
        server = EmulatorProcess(args=args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def robot(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """An HTTP client on the session's virtual OT-2, sending the version header.

    The robot is shared by the session: a run another test left active is stopped first, so
    that this test can make its own.
    """
    with httpx.Client(base_url=emulator.url, headers=HEADERS, timeout=60) as client:
        free_the_robot(client)
        yield client


@pytest.fixture
def fresh_robot(fresh_emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_emulator.url, headers=HEADERS, timeout=60) as client:
        yield client
