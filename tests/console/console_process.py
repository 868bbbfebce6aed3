"""``otlink serve`` as a child process, the system's Chromium and screenshots, for the console
tests (and bench/console.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from otlink.asgi_server import free_port
from otlink.server_process import ServerProcess

PROTOCOLS = Path(__file__).parent / "protocols"
SCREENSHOTS = Path(
    os.environ.get("OTLINK_SCREENSHOTS", Path(__file__).parents[2] / "build" / "screenshots")
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """The system's Chromium, if one is installed."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class ConsoleProcess(ServerProcess):
    """``otlink serve ARGS`` in a child process on a free loopback port."""

    def __init__(self, args: tuple[str, ...], port: int | None = None) -> None:
        self.args = args
        super().__init__(
            ["serve", *args],
            port=port or free_port(),
            name="otlink serve",
            start_timeout=30,
            stop_timeout=15,
        )


def screenshot(page: Any, name: str) -> Path:
    """Save the whole page as ``build/screenshots/<name>.png`` (or $OTLINK_SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
