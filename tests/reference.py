"""Real robot-server 8.2 answers, recorded on a robot-server with simulated OT-2 hardware.

They are copied from the project's shared reference (``shared/reference/samples``) into
``tests/reference_samples`` so that the tests run wherever the repository is checked out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).with_name("reference_samples")


def recorded(name: str) -> Any:
    """The whole recorded body of sample ``name`` (without ``.json``)."""
    return json.loads((SAMPLES / f"{name}.json").read_text())
