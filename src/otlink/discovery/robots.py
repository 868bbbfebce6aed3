"""What discovery finds: a robot that answered ``GET /health``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from otlink.models import Health


@dataclass(frozen=True)
class FoundRobot:
    """A robot at ``url`` that answered ``/health``; ``via`` says how it was found
    (``"mdns"`` or ``"probe"``) and ``http_api_version`` is the ``Opentrons-Version`` it
    speaks at most.

    Example::

        FoundRobot("http://10.0.0.5:31950", health, "4", via="probe").name  # "OT2CEP..."
    """

    url: str
    health: Health
    http_api_version: str | None
    via: str

    @property
    def name(self) -> str:
        return self.health.name

    def to_record(self) -> dict[str, Any]:
        """The robot as a flat record, for tables and JSON."""
        return {
            "name": self.name,
            "url": self.url,
            "model": self.health.robot_model,
            "robotSoftware": self.health.api_version,
            "httpApiVersion": self.http_api_version,
            "serial": self.health.robot_serial,
            "via": self.via,
        }
