"""Fixtures of the run-layer tests: a client of the session's virtual OT-2, freed before and
after. The fault proxy of the client tests is shared."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from robot_http import free_robot

sys.path.insert(0, str(Path(__file__).parent.parent / "client"))


@pytest.fixture
def robot(emulator: EmulatorProcess) -> Iterator[RobotClient]:
    with RobotClient(emulator.url) as client:
        free_robot(client)
        yield client
        free_robot(client)
