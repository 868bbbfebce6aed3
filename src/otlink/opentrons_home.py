"""A private opentrons configuration directory for the processes otlink runs opentrons in.

opentrons reads ``OT_API_CONFIG_DIR`` once, when it is first imported, and otherwise writes
calibration and settings files into the user's home. Importing this module before opentrons
points it at a temporary directory of its own, so the emulator and the local simulating engine
never read or change the user's real robot configuration.
"""

import atexit
import os
import shutil
import tempfile

_VARIABLE = "OT_API_CONFIG_DIR"


def _isolate() -> None:
    if os.environ.get("OTLINK_OPENTRONS_HOME") == os.environ.get(_VARIABLE, "unset"):
        return  # an otlink process above us already chose one: share it
    home = tempfile.mkdtemp(prefix="otlink-opentrons-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ[_VARIABLE] = home
    os.environ["OTLINK_OPENTRONS_HOME"] = home


_isolate()
