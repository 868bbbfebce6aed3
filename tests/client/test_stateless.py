"""Stateless commands (``/commands``)."""

from __future__ import annotations

from typing import Any

from otlink.models import CommandStatus


def test_stateless_commands_run_and_are_listed(client: Any) -> None:
    client.create_run()  # an idle run is not an active one
    lights = client.enqueue_stateless_command("setRailLights", {"on": True}, key="lights-on")
    assert lights.status == CommandStatus.SUCCEEDED and lights.key == "lights-on"
    assert client.get_stateless_command(lights.id).id == lights.id
    page = client.list_stateless_commands(page_length=100)
    assert lights.id in [c.id for c in page.data]
    queued = client.enqueue_stateless_command("home", wait=False)
    assert queued.commandType == "home"
