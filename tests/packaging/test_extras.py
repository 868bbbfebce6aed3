"""The light install stays light: nothing heavy at import, and a missing extra says what to install.

The extras are simulated missing here by hiding their modules (``sys.modules[name] = None``, as
Python's own import system reads it); ``test_bare_install.py`` checks the same in a real venv
without them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from otlink.cli.main import cli
from otlink.errors import MissingExtra, OtlinkError
from otlink.extras import EXTRAS, require_extra

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
HEAVY = ("opentrons", "opentrons_shared_data", "numpy", "fastapi", "uvicorn")
LIGHT_IMPORTS = (
    "otlink",
    "otlink.client",
    "otlink.models",
    "otlink.errors",
    "otlink.extras",
    "otlink.discovery",
    "otlink.cli.main",
)


def test_every_extra_of_the_distribution_is_known_to_require_extra() -> None:
    extras = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    assert set(extras) - {"all", "test"} == set(EXTRAS)


def test_the_light_packages_and_the_cli_load_nothing_heavy_at_import() -> None:
    # A fresh interpreter: this test session has long loaded opentrons for other tests.
    check = (
        f"import sys, {', '.join(LIGHT_IMPORTS)}; "
        "from otlink.cli.main import main\n"
        "try:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip().splitlines()[-1] == "[]"


def test_a_missing_extra_is_one_sentence_with_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(MissingExtra) as raised:
        require_extra("emulator", "otlink emulate")
    assert str(raised.value) == (
        "otlink emulate needs the virtual OT-2: pip install 'otlink[emulator]'"
    )
    assert raised.value.missing == ("uvicorn",) and raised.value.extra == "emulator"
    # One tree for `except OtlinkError`, and what `except ImportError` expects of an import.
    assert isinstance(raised.value, OtlinkError) and isinstance(raised.value, ImportError)
    require_extra("live", "otlink.get_protocol_api")  # opentrons is there: no error


@pytest.mark.parametrize(
    ("args", "hidden", "message"),
    [
        # A bad pipette: if the check were missing, the command would fail (not serve) after it.
        (
            ["emulate", "--left", "no_such_pipette"],
            "fastapi",
            "otlink emulate needs the virtual OT-2: pip install 'otlink[emulator]'",
        ),
        (["demo"], "uvicorn", "otlink demo needs the virtual OT-2: pip install 'otlink[emulator]'"),
        (
            ["run", "{protocol}", "--robot", "127.0.0.1:9"],
            "opentrons",
            "otlink run without --upload needs live protocols (opentrons):"
            " pip install 'otlink[live]'",
        ),
    ],
)
def test_a_command_without_its_extra_says_so_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], hidden: str, message: str
) -> None:
    protocol = tmp_path / "p.py"
    protocol.write_text('requirements = {"apiLevel": "2.20"}\n\ndef run(protocol):\n    pass\n')
    monkeypatch.setitem(sys.modules, hidden, None)
    result = CliRunner().invoke(cli, [a.format(protocol=protocol) for a in args])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {message}"
