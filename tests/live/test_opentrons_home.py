"""What a script writes to the user's home: ``import opentrons`` makes ``~/.opentrons`` (a
``config.json`` in empty folders), as README says; a script that imports only otlink writes
nothing there, live runs included; one that imports opentrons first gets nothing more."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


_OTLINK_ONLY = """
import sys
from pathlib import Path
import otlink
with otlink.get_protocol_api("2.20", robot=sys.argv[1]) as protocol:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    protocol.home()
    pipette.pick_up_tip()
    pipette.drop_tip()
otlink.run_protocol_file(sys.argv[2], sys.argv[1])
print(sorted(str(p) for p in Path.home().rglob("*")))
"""

TRANSFER = Path(__file__).parents[1] / "cli" / "protocols" / "transfer_220.py"


def _run_with_home(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(home)}
    for variable in ("OT_API_CONFIG_DIR", "OTLINK_OPENTRONS_HOME"):
        environment.pop(variable, None)
    return subprocess.run(
        [sys.executable, *args], env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_opentrons_alone_makes_its_folder_on_import(tmp_path: Path) -> None:
    ran = _run_with_home(tmp_path, "-c", "import opentrons")
    assert ran.returncode == 0, ran.stderr
    files = [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if not p.is_dir()]
    assert files == [Path(".opentrons/config.json")]  # and folders for labware, logs, ...
    assert (tmp_path / ".opentrons" / "labware").is_dir()


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_script_with_otlink_alone_writes_nothing_to_the_home(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    ran = _run_with_home(tmp_path, "-c", _OTLINK_ONLY, emulator.url, str(TRANSFER))
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_importing_opentrons_first_leaves_the_home_as_opentrons_made_it(
    emulator: EmulatorProcess, tmp_path: Path
) -> None:
    ran = _run_with_home(tmp_path, "-c", _SCRIPT, emulator.url)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == "[]"
