"""``pip install otlink`` in a fresh venv, as a user without the extras gets it.

The bare venv installs this checkout with no extras (its dependencies from the machine's pip
index and cache) and talks to a virtual OT-2 that runs from this test session's own venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess
from robot_http import free_the_robot

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[2]
TRANSFER = REPO / "tests" / "cli" / "protocols" / "transfer_220.py"
# What `python -m venv` puts in every venv: not part of what installing otlink costs.
VENV_BASE = {"pip", "setuptools", "wheel"}
HEAVY = {"opentrons", "opentrons-shared-data", "numpy", "fastapi", "uvicorn", "uvloop"}
SIZES = """
import importlib.metadata as metadata, json, os
sizes = {}
for dist in metadata.distributions():
    files = [str(dist.locate_file(f)) for f in dist.files or ()]
    sizes[dist.metadata["Name"].lower()] = sum(map(os.path.getsize, filter(os.path.isfile, files)))
print(json.dumps(sizes))
"""
LIVE = "needs live protocols (opentrons): pip install 'otlink[live]'"
EMULATOR = "needs the virtual OT-2: pip install 'otlink[emulator]'"


def make_venv(where: Path, requirement: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    subprocess.run(
        [str(where / "bin" / "pip"), "install", "-q", requirement],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return where / "bin"


def run(bin_dir: Path, program: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OTLINK_ROBOT")}
    return subprocess.run(
        [str(bin_dir / program), *args], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_venv(tmp_path_factory.mktemp("bare") / "venv", str(REPO))


@pytest.fixture
def robot_url(emulator: EmulatorProcess) -> str:
    with httpx.Client(base_url=emulator.url, headers={"Opentrons-Version": "4"}) as client:
        free_the_robot(client)
    return emulator.url


def test_the_bare_install_is_light_typed_and_licensed(bare: Path) -> None:
    sizes: dict[str, int] = json.loads(run(bare, "python", "-c", SIZES).stdout)
    assert not HEAVY & set(sizes), sorted(HEAVY & set(sizes))
    installed = sum(size for name, size in sizes.items() if name not in VENV_BASE)
    assert installed < 40e6, f"{installed / 1e6:.1f} MB: {sorted(sizes.items())}"
    package = run(bare, "python", "-c", "import otlink; print(otlink.__file__)").stdout
    assert (Path(package.strip()).parent / "py.typed").is_file()
    licence = "from importlib.metadata import files; print([f.name for f in files('otlink')])"
    assert "LICENSE" in run(bare, "python", "-c", licence).stdout


def test_the_client_and_the_robot_commands_work_without_extras(bare: Path, robot_url: str) -> None:
    script = (
        "from otlink import RobotClient\n"
        f"with RobotClient({robot_url!r}) as robot:\n"
        "    print(robot.health().name)\n"
    )
    assert run(bare, "python", "-c", script).stdout.strip() == "otlink-virtual-ot2"
    status = run(bare, "otlink", "status", "--robot", robot_url)
    assert status.returncode == 0, status.stderr
    assert "otlink-virtual-ot2 (OT-2 Standard)" in status.stdout
    for command in (("lights", "on"), ("home",), ("runs", "list"), ("protocols", "list")):
        result = run(bare, "otlink", *command, "--robot", robot_url)
        assert result.returncode == 0, (command, result.stderr)
    found = run(bare, "otlink", "discover", "--no-mdns", "--probe", robot_url[len("http://") :])
    assert found.returncode == 0 and "otlink-virtual-ot2" in found.stdout, found.stderr
    uploaded = run(bare, "otlink", "run", str(TRANSFER), "--upload", "--robot", robot_url, "--json")
    assert uploaded.returncode == 0, uploaded.stderr
    assert json.loads(uploaded.stdout.splitlines()[-1])["status"] == "succeeded"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("emulate",), f"otlink emulate {EMULATOR}"),
        (("demo",), f"otlink demo {EMULATOR}"),
        (("run", str(TRANSFER), "--robot", "127.0.0.1:9"), f"otlink run without --upload {LIVE}"),
    ],
)
def test_a_command_without_its_extra_says_which_and_exits_2(
    bare: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(bare, "otlink", *args)
    assert (result.returncode, result.stderr.strip()) == (2, f"error: {message}")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import otlink.live", f"otlink.live {LIVE}"),
        ("import otlink; otlink.get_protocol_api", f"otlink.get_protocol_api {LIVE}"),
        ("import otlink.emulator", f"otlink.emulator {EMULATOR}"),
    ],
)
def test_an_import_without_its_extra_says_which(bare: Path, code: str, message: str) -> None:
    result = run(bare, "python", "-c", code)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"otlink.errors.MissingExtra: {message}"


def test_the_live_extra_brings_live_protocols(tmp_path: Path, robot_url: str) -> None:
    live = make_venv(tmp_path / "venv", f"{REPO}[live]")
    script = (
        "import otlink\n"
        f"with otlink.get_protocol_api('2.20', robot={robot_url!r}) as protocol:\n"
        "    tips = protocol.load_labware('opentrons_96_tiprack_300ul', 1)\n"
        "    p300 = protocol.load_instrument('p300_single_gen2', 'left', tip_racks=[tips])\n"
        "    protocol.home()\n"
        "    p300.pick_up_tip()\n"
        "    p300.drop_tip()\n"
        "print('done')\n"
    )
    result = run(live, "python", "-c", script)
    assert result.stdout.strip().endswith("done"), result.stderr
    no_emulator = run(live, "otlink", "emulate")
    assert (no_emulator.returncode, no_emulator.stderr.strip()) == (
        2,
        f"error: otlink emulate {EMULATOR}",
    )
