"""The robot's own routes, through both clients."""

from __future__ import annotations

from typing import Any

from otlink.models import CalibrationStatus, Health, Instrument, Module, PipettesByMount, Settings


def test_health_names_the_robot(client: Any) -> None:
    health = client.health()
    assert isinstance(health, Health)
    assert health.robot_model == "OT-2 Standard"
    assert health.maximum_protocol_api_version >= [2, 20]


def test_lights_turn_on_and_off(client: Any) -> None:
    assert client.set_lights(True).on is True
    assert client.get_lights().on is True
    assert client.set_lights(False).on is False
    assert client.get_lights().on is False


def test_home_the_robot_and_one_pipette(client: Any) -> None:
    assert client.home().message
    assert client.home("pipette", "left").message


def test_pipettes_by_mount(client: Any) -> None:
    pipettes = client.get_pipettes()
    assert isinstance(pipettes, PipettesByMount)
    assert pipettes.left.name == "p300_single_gen2"
    assert client.get_pipettes(refresh=True).right.name == "p20_single_gen2"


def test_instruments_and_modules(client: Any) -> None:
    instruments = client.list_instruments()
    assert all(isinstance(i, Instrument) for i in instruments)
    assert {i.mount for i in instruments} == {"left", "right"}
    modules = client.list_modules()
    assert all(isinstance(m, Module) for m in modules)


def test_calibration_status(client: Any) -> None:
    status = client.calibration_status()
    assert isinstance(status, CalibrationStatus)
    assert status.deckCalibration.status


def test_settings_round_trip(client: Any) -> None:
    settings = client.get_settings()
    assert isinstance(settings, Settings) and settings.settings
    flag = next(s for s in settings.settings if isinstance(s.value, bool) or s.value is None)
    changed = client.set_setting(flag.id, not bool(flag.value))
    assert next(s for s in changed.settings if s.id == flag.id).value == (not bool(flag.value))
    client.set_setting(flag.id, flag.value)
