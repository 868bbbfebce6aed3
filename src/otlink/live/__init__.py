"""Live protocols: opentrons' Protocol API v2, run command by command on a robot.

>>> import otlink
>>> protocol = otlink.get_protocol_api("2.20", robot="10.0.0.5")  # doctest: +SKIP
"""

from otlink.extras import require_extra

require_extra("live", "otlink.live")

from otlink import opentrons_home  # noqa: F401  (before opentrons: keep its files private)

from .context import LiveProtocolContext, get_protocol_api
from .protocol_runner import LiveRunReport, run_protocol_file
from .whole_protocol_check import ProtocolCheck

__all__ = [
    "LiveProtocolContext",
    "LiveRunReport",
    "ProtocolCheck",
    "get_protocol_api",
    "run_protocol_file",
]
