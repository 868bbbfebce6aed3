"""What the run-layer tests share: quick client options, and the tip cycle of bench/latency.py
(bench/tip_cycle.py: its commands on a live run prepared with known ids)."""

from __future__ import annotations

import sys
from pathlib import Path

from otlink.client import ClientOptions

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))

from tip_cycle import CYCLE, cycle, prepare

__all__ = ["CYCLE", "QUICK", "cycle", "prepare"]

# Short timeouts keep fault tests short; the logic is the same as with the defaults.
QUICK = ClientOptions(timeout=3.0, connect_timeout=1.0, backoff=0.02, backoff_max=0.5, settle=0.05)
