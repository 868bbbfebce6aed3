"""The emulator's private directory: uploaded protocols, data files and scratch space.

Each running emulator owns one directory in the system's temporary directory, marked with its
process id. An emulator that was killed cannot remove its own, so each new one removes those whose
owner no longer runs, uploaded protocols and all.

>>> workspace = Workspace.create()
>>> workspace.sandboxes.is_dir()
True
>>> workspace.remove()
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

PREFIX = "otlink-emulator-"
OWNER_FILE = "owner.pid"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale(parent: Path) -> list[Path]:
    """Remove the workspaces of emulators that no longer run; return what was removed."""
    removed = []
    for directory in parent.glob(f"{PREFIX}*"):
        try:
            pid = int((directory / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not one of ours, or its owner is still writing it
        if pid != os.getpid() and not _running(pid):
            shutil.rmtree(directory, ignore_errors=True)
            removed.append(directory)
    return removed


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def create(cls) -> Workspace:
        parent = Path(tempfile.gettempdir())
        remove_stale(parent)
        root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        (root / OWNER_FILE).write_text(str(os.getpid()))
        (root / "sandboxes").mkdir()
        (root / "runs").mkdir()
        return cls(root)

    @property
    def sandboxes(self) -> Path:
        """Where protocol code runs (each child's working directory is made in here)."""
        return self.root / "sandboxes"

    @property
    def runs(self) -> Path:
        """The working directory of a server that owns its process: where protocol runs write."""
        return self.root / "runs"

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
