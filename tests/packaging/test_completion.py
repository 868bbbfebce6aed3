"""Shell completion as the README documents it: bash sources click's script and completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def complete_in_bash(*words: str) -> list[str]:
    """What bash offers after ``words`` (the last one being typed), with the README's set-up."""
    script = (
        'eval "$(_OTLINK_COMPLETE=bash_source otlink)"\n'
        f"COMP_WORDS=({' '.join(repr(word) for word in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_otlink_completion otlink\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_bash_completes_commands_subcommands_and_options() -> None:
    assert complete_in_bash("otlink", "ru") == ["run", "runs"]
    assert {"list", "show", "log", "stop"} <= set(complete_in_bash("otlink", "runs", ""))
    assert complete_in_bash("otlink", "run", "x.py", "--up") == ["--upload"]


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_zsh_and_fish_scripts_are_there() -> None:
    for shell in ("zsh", "fish"):
        script = subprocess.run(
            [str(BIN / "otlink")],
            env={**os.environ, "_OTLINK_COMPLETE": f"{shell}_source"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "_OTLINK_COMPLETE" in script and f"{shell}_complete" in script
