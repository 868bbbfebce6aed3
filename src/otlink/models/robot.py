"""The robot itself: lights, homing, attached pipettes and instruments, modules, calibration
status and advanced settings. Most of these are legacy routes (bare JSON, no envelope)."""

from __future__ import annotations

from typing import Any, Literal

from otlink.models.base import WireModel

__all__ = [
    "AttachedPipette",
    "CalibrationStatus",
    "DeckCalibrationStatus",
    "HomeRequest",
    "Instrument",
    "Lights",
    "Message",
    "Module",
    "PipettesByMount",
    "Setting",
    "Settings",
]


class Lights(WireModel):
    """``/robot/lights``: the rail lights, on or off."""

    on: bool


class HomeRequest(WireModel):
    """``POST /robot/home``: the whole robot, or one pipette's mount."""

    target: Literal["robot", "pipette"] = "robot"
    mount: Literal["left", "right"] | None = None


class Message(WireModel):
    """A legacy answer that is only a sentence, such as ``{"message": "Homing robot."}``."""

    message: str


class AttachedPipette(WireModel):
    """``GET /pipettes``: what sits on one mount (all ``None`` when nothing is attached)."""

    model: str | None = None
    name: str | None = None
    tip_length: float | None = None
    mount_axis: str | None = None
    plunger_axis: str | None = None
    id: str | None = None


class PipettesByMount(WireModel):
    """``GET /pipettes``: the left and the right mount."""

    left: AttachedPipette
    right: AttachedPipette


class Instrument(WireModel):
    """``GET /instruments``: one attached pipette (OT-2) with its volumes in ``data``."""

    mount: str
    instrumentType: str | None = None
    instrumentModel: str | None = None
    instrumentName: str | None = None
    serialNumber: str | None = None
    ok: bool = True
    data: dict[str, Any] = {}


class Module(WireModel):
    """``GET /modules``: one connected module; ``id`` is what stateless module commands take,
    ``data`` is its live state (temperatures, lid, latch...)."""

    id: str
    serialNumber: str
    moduleModel: str
    moduleType: str
    firmwareVersion: str | None = None
    hardwareRevision: str | None = None
    hasAvailableUpdate: bool = False
    compatibleWithRobot: bool = True
    usbPort: dict[str, Any] | None = None
    data: dict[str, Any] = {}


class DeckCalibrationStatus(WireModel):
    """Whether the deck is calibrated (``status``) and the calibration itself (``data``)."""

    status: str
    data: dict[str, Any] = {}


class CalibrationStatus(WireModel):
    """``GET /calibration/status`` (OT-2): deck and instrument calibration."""

    deckCalibration: DeckCalibrationStatus
    instrumentCalibration: dict[str, Any] = {}


class Setting(WireModel):
    """One advanced setting (a feature flag) of the robot."""

    id: str
    title: str = ""
    description: str = ""
    value: bool | None = None
    old_id: str | None = None
    restart_required: bool = False


class Settings(WireModel):
    """``GET/POST /settings``: all advanced settings; ``links.restart`` when one needs a reboot."""

    settings: list[Setting]
    links: dict[str, Any] | None = None
