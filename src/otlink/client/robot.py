"""Flows for the robot itself: health, lights, homing, pipettes, instruments, modules,
calibration status and advanced settings."""

from __future__ import annotations

from typing import Literal

from otlink.client.calls import fetch
from otlink.client.options import ClientOptions
from otlink.client.steps import Flow, Request
from otlink.models import (
    CalibrationStatus,
    Health,
    HomeRequest,
    Instrument,
    Lights,
    Message,
    Module,
    MultiBody,
    PipettesByMount,
    Settings,
)

# Envelope types made once: pydantic holds parametrized generics only weakly, and
# re-creating one costs a millisecond.
_InstrumentList = MultiBody[Instrument]
_ModuleList = MultiBody[Module]


def health(options: ClientOptions) -> Flow[Health]:
    """The robot's name, model and software versions (``GET /health``).

    Example::

        print(client.health().api_version)
    """
    return (yield from fetch(options, Request("GET", "/health"), Health))


def get_lights(options: ClientOptions) -> Flow[Lights]:
    """Whether the rail lights are on.

    Example::

        if not client.get_lights().on:
            client.set_lights(True)
    """
    return (yield from fetch(options, Request("GET", "/robot/lights"), Lights))


def set_lights(options: ClientOptions, on: bool) -> Flow[Lights]:
    """Turn the rail lights on or off."""
    return (yield from fetch(options, Request("POST", "/robot/lights", json={"on": on}), Lights))


def home(
    options: ClientOptions,
    target: Literal["robot", "pipette"] = "robot",
    mount: Literal["left", "right"] | None = None,
) -> Flow[Message]:
    """Home the whole robot, or one pipette (``target="pipette", mount="left"``).

    Homing twice is harmless, so a lost answer is retried.

    Example::

        client.home()
    """
    body = HomeRequest(target=target, mount=mount).to_wire()
    return (yield from fetch(options, Request("POST", "/robot/home", json=body), Message))


def get_pipettes(options: ClientOptions, refresh: bool = False) -> Flow[PipettesByMount]:
    """The pipettes on the left and right mounts (OT-2, ``GET /pipettes``)."""
    request = Request("GET", "/pipettes", params={"refresh": "true" if refresh else "false"})
    return (yield from fetch(options, request, PipettesByMount))


def list_instruments(options: ClientOptions) -> Flow[list[Instrument]]:
    """The attached instruments (``GET /instruments``)."""
    page = yield from fetch(options, Request("GET", "/instruments"), _InstrumentList)
    return page.data


def list_modules(options: ClientOptions) -> Flow[list[Module]]:
    """The connected modules; their ``id`` is what stateless module commands take.

    Example::

        for module in client.list_modules():
            print(module.moduleModel, module.data.get("status"))
    """
    page = yield from fetch(options, Request("GET", "/modules"), _ModuleList)
    return page.data


def calibration_status(options: ClientOptions) -> Flow[CalibrationStatus]:
    """Deck and instrument calibration (OT-2, ``GET /calibration/status``)."""
    return (yield from fetch(options, Request("GET", "/calibration/status"), CalibrationStatus))


def get_settings(options: ClientOptions) -> Flow[Settings]:
    """The robot's advanced settings (feature flags)."""
    return (yield from fetch(options, Request("GET", "/settings"), Settings))


def set_setting(options: ClientOptions, setting_id: str, value: bool | None) -> Flow[Settings]:
    """Set one advanced setting (``None`` restores its default); returns all settings.

    Example::

        client.set_setting("disableHomeOnBoot", True)
    """
    request = Request("POST", "/settings", json={"id": setting_id, "value": value})
    return (yield from fetch(options, request, Settings))
