"""Planning and checking a 10,000-row worklist, beside the time to read the file.

    python bench/worklist.py [ROWS]

Writes a CSV pick list (12 reservoir wells into nine 96-well plates, 5 to 7 µL, a new tip per
source), then times reading it, and planning it with every check (labware, wells, volumes,
capacities, tips) against the same deck. Prints the median of 5 runs of each and their ratio.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from otlink.worklist import Deck, PlanOptions, plan, read_worklist

DECK = """
[pipettes]
right = "p20_single_gen2"
[labware]
1 = "opentrons_96_tiprack_20ul"
2 = { load_name = "nest_12_reservoir_15ml", name = "Reagents", volume = 15000 }
""" + "".join(
    f'{slot} = {{ load_name = "corning_96_wellplate_360ul_flat", name = "Plate{slot}" }}\n'
    for slot in range(3, 12)
)


def pick_list(rows: int) -> str:
    lines = [
        "Source Plate Name,Source Well,Destination Plate Name,Destination Well,Transfer Volume"
    ]
    wells = [f"{r}{c}" for c in range(1, 13) for r in "ABCDEFGH"]
    for index in range(rows):
        source = f"A{index * 12 // rows + 1}"  # in blocks: a new tip per source is 12 tips
        plate, well = 3 + index % 9, wells[(index // 9) % 96]
        lines.append(f"Reagents,{source},Plate{plate},{well},{5 + index % 3}")
    return "\n".join(lines) + "\n"


def median_seconds(work: object, repeats: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    deck = Deck.from_toml(DECK)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "picklist.csv"
        path.write_text(pick_list(rows))
        read_time, worklist = median_seconds(lambda: read_worklist(path))
        options = PlanOptions(new_tip="per-source")
        plan_time, made = median_seconds(lambda: plan(worklist, deck, options))
    print(f"{rows} rows -> {len(made.steps)} steps")  # type: ignore[attr-defined]
    print(f"read the CSV:          {read_time * 1000:7.1f} ms")
    ratio = plan_time / read_time
    print(f"plan and check:        {plan_time * 1000:7.1f} ms  ({ratio:.1f} x reading)")
    print(f"under 1 s:             {'yes' if plan_time < 1 else 'NO'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average:          {load:7.1f}  on {os.cpu_count()} cores (times are wall time)")


if __name__ == "__main__":
    main()
