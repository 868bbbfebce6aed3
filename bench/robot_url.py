"""The robot a bench measures: the one ``--url`` names, else a fresh virtual OT-2 it stops after.

>>> with robot_url(None) as url:  # doctest: +SKIP
...     measure(url)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from otlink.emulator.child_process import EmulatorProcess


@contextmanager
def robot_url(url: str | None, *, fast: bool = False) -> Iterator[str]:
    """Yield ``url`` as it is, or that of a virtual OT-2 started (and stopped) for the bench."""
    if url:
        yield url
        return
    emulator = EmulatorProcess(fast=fast)
    try:
        yield emulator.url
    finally:
        emulator.stop()
