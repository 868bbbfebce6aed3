"""The virtual OT-2: robot-server's HTTP API served by the real opentrons engine.

>>> from otlink.emulator import EmulatorServer, RobotSettings, free_port
>>> server = EmulatorServer(RobotSettings(left="p1000_single_gen2"), port=free_port())
>>> server.start_in_thread()  # doctest: +SKIP
"""

import os

from otlink.extras import require_extra

require_extra("emulator", "otlink.emulator")

from otlink import opentrons_home  # noqa: F401  (before opentrons: keep its files private)

# The engine inverts 4x4 matrices for every move: BLAS threads only spin and steal a core from
# the clients the server answers.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .access import AccessPolicy
from .app import create_app
from .robot_settings import RobotSettings, SettingsError
from .server import DEFAULT_PORT, EmulatorServer, free_port

__all__ = [
    "DEFAULT_PORT",
    "AccessPolicy",
    "EmulatorServer",
    "RobotSettings",
    "SettingsError",
    "create_app",
    "free_port",
]
