"""A private opentrons configuration directory for the processes otlink runs opentrons in.

opentrons reads ``OT_API_CONFIG_DIR`` once, when it is first imported, and otherwise writes
calibration and settings files into the user's home. Importing this module before opentrons
points it at a temporary directory of its own, so the emulator and the local simulating engine
never read or change the user's real robot configuration. Imported after opentrons, it points
opentrons' configuration there from then on.
"""

import atexit
import logging
import os
import shutil
import sys
import tempfile

_VARIABLE = "OT_API_CONFIG_DIR"


def _isolate() -> None:
    if os.environ.get("OTLINK_OPENTRONS_HOME") == os.environ.get(_VARIABLE, "unset"):
        return  # an otlink process above us already chose one: share it
    home = tempfile.mkdtemp(prefix="otlink-opentrons-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ[_VARIABLE] = home
    os.environ["OTLINK_OPENTRONS_HOME"] = home
    config = sys.modules.get("opentrons.config")
    if config is not None:
        # opentrons was imported first and chose the user's home (its import alone makes
        # ~/.opentrons, before otlink can say anything): from now on it writes here instead.
        config.reload()


def _quiet() -> None:
    # A fresh configuration directory makes opentrons warn that calibration files are missing,
    # every time; those warnings are about this private directory, not the user's robot.
    opentrons_log = logging.getLogger("opentrons")
    if opentrons_log.level == logging.NOTSET:
        opentrons_log.setLevel(logging.ERROR)


_isolate()
_quiet()
