"""Fixtures of the client tests: every test that takes ``client`` runs twice, once with
``RobotClient`` and once with ``AsyncRobotClient``, against a real virtual OT-2 over HTTP."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from otlink.client import AsyncRobotClient, ClientOptions, RobotClient
from otlink.client.operations import stream
from otlink.emulator.child_process import EmulatorProcess

# Quick retries keep the fault tests short; the logic is the same as with the defaults.
FAST = ClientOptions(backoff=0.01, backoff_max=0.05, settle=0.05, poll_interval=0.02, poll_max=0.1)


class Blocking:
    """An ``AsyncRobotClient`` driven from synchronous test code: each call runs on an event
    loop in another thread; a stream comes back as a list."""

    def __init__(self, client: AsyncRobotClient, portal: BlockingPortal) -> None:
        self.client = client
        self.url = client.url
        self._portal = portal

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if isinstance(inspect.getattr_static(AsyncRobotClient, name), stream):
            return lambda *args, **kwargs: self._portal.call(self._collect, method, args, kwargs)
        return lambda *args, **kwargs: self._portal.call(functools.partial(method, *args, **kwargs))

    @staticmethod
    async def _collect(method: Any, args: Any, kwargs: Any) -> list[Any]:
        return [item async for item in method(*args, **kwargs)]


def open_client(kind: str, url: str, options: ClientOptions) -> Iterator[Any]:
    """A sync client, or an async one behind :class:`Blocking`, closed afterwards."""
    if kind == "sync":
        with RobotClient(url, options=options) as client:
            yield client
        return
    with start_blocking_portal() as portal:
        client = AsyncRobotClient(url, options=options)
        yield Blocking(client, portal)
        portal.call(client.aclose)


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emulator: EmulatorProcess) -> Iterator[Any]:
    """A client of the session's virtual OT-2, sync or async."""
    yield from open_client(request.param, emulator.url, FAST)


@pytest.fixture
def live_run(client: Any) -> Any:
    """A fresh live run (no protocol), homed, with the left p300 loaded: ``(run, pipette_id)``."""
    run = client.create_run()
    client.enqueue_command(run.id, "home")
    loaded = client.enqueue_command(
        run.id, "loadPipette", {"pipetteName": "p300_single_gen2", "mount": "left"}
    )
    return run, loaded.result["pipetteId"]


def labware(slot: str, load_name: str, version: int, namespace: str = "opentrons") -> Any:
    """The params of a ``loadLabware`` command."""
    return {
        "location": {"slotName": slot},
        "loadName": load_name,
        "namespace": namespace,
        "version": version,
    }


def load_plate(client: Any, run_id: str, slot: str) -> Any:
    """Load a Corning 96 well plate in ``slot`` of a live run; returns the command."""
    return client.enqueue_command(
        run_id, "loadLabware", labware(slot, "corning_96_wellplate_360ul_flat", 2)
    )


def custom_definition(client: Any, run_id: str, load_name: str) -> dict[str, Any]:
    """A custom labware definition: the Corning plate renamed ``custom_beta/<load_name>/2``."""
    definition = dict(load_plate(client, run_id, "2").result["definition"])
    definition["namespace"] = "custom_beta"
    definition["parameters"] = {**definition["parameters"], "loadName": load_name}
    return definition
