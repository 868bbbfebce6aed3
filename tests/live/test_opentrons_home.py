"""A script that imports opentrons before otlink: otlink's live runs write nothing to its home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from otlink.emulator.child_process import EmulatorProcess

_SCRIPT = """
import sys
from pathlib import Path
import opentrons  # first, as a user's script may: opentrons itself makes ~/.opentrons here
home = Path.home()
made_by_opentrons = sorted(str(p) for p in home.rglob("*"))
import otlink
for level in ("2.20", "2.13"):
    with otlink.get_protocol_api(level, robot=sys.argv[1]) as protocol:
        tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
        pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
        protocol.home()
        pipette.pick_up_tip()
        pipette.drop_tip()
after = sorted(str(p) for p in home.rglob("*"))
print(sorted(set(after) - set(made_by_opentrons)))
"""


def test_importing_opentrons_first_leaves_the_home_as_opentrons_made_it(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    environment = {**os.environ, "HOME": str(tmp_path)}
    for variable in ("OT_API_CONFIG_DIR", "OTLINK_OPENTRONS_HOME"):
        environment.pop(variable, None)
    ran = subprocess.run(
        [sys.executable, "-c", _SCRIPT, emulator.url],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == "[]"
