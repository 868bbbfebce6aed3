"""One flow becomes a method of both clients, with the flow's docs and signature."""

from __future__ import annotations

import inspect

from otlink import AsyncRobotClient, RobotClient
from otlink.client.api import RobotApi
from otlink.client.operations import operation, stream


def test_every_operation_is_on_both_clients_with_its_docs() -> None:
    sync_client, async_client = RobotClient(), AsyncRobotClient()
    names = [n for n, v in vars(RobotApi).items() if isinstance(v, operation | stream)]
    assert len(names) >= 50
    for name in names:
        blocking, awaiting = getattr(sync_client, name), getattr(async_client, name)
        assert blocking.__doc__ and blocking.__doc__ == awaiting.__doc__
        parameters = list(inspect.signature(blocking).parameters)
        assert "options" not in parameters
        assert parameters == list(inspect.signature(awaiting).parameters)
        if isinstance(vars(RobotApi)[name], operation):
            assert inspect.iscoroutinefunction(awaiting) and not inspect.iscoroutinefunction(
                blocking
            )
    sync_client.close()


def test_a_bound_method_is_made_once_per_client() -> None:
    with RobotClient() as client:
        assert client.health is client.health
        assert RobotClient.health is RobotApi.health
