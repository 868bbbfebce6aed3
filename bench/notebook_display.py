"""What the live notebook display costs a run: the same live run in a Jupyter kernel, with the
display and without it (``OTLINK_NOTEBOOK_DISPLAY=off``), alternately, on one virtual OT-2.

The protocol is the notebook test's transfer on 48 wells (a p300 single, a new tip per well:
about 250 robot commands), run by ``otlink.run_protocol_file`` in a kernel that nbclient drives,
as a notebook cell would. Printed: each way's best and median wall time, the ratio (with /
without), and how many display updates the kernel sent.

    python bench/notebook_display.py [--rounds 3] [--url http://127.0.0.1:31950]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

import nbclient
from nbformat.v4 import new_code_cell, new_notebook

from robot_url import robot_url

# The protocol the notebook test runs, on 48 wells of its plate.
PROTOCOL = Path(__file__).parents[1] / "tests" / "deck" / "protocols" / "notebook_transfer.py"

# One cell per run: the kernel times the run itself; the display is on unless switched off.
RUN_CELL = """
os.environ["OTLINK_NOTEBOOK_DISPLAY"] = {switch!r}
started = time.perf_counter()
report = otlink.run_protocol_file({protocol!r}, {url!r}, parameters={{"wells": "48"}})
print(json.dumps({{"display": {switch!r}, "seconds": time.perf_counter() - started}}))
"""


class CountingClient(nbclient.NotebookClient):  # type: ignore[misc]
    """nbclient, counting each cell's display updates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.updates: dict[int, int] = {}

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        if msg["header"]["msg_type"] == "update_display_data":
            self.updates[cell_index] = self.updates.get(cell_index, 0) + 1
        return super().process_message(msg, cell, cell_index)


def measure(url: str, rounds: int) -> None:
    switches = ["on", "off"] * (rounds + 1)  # the first pair warms the kernel up
    cells = [new_code_cell("import json, os, time\n\nimport otlink")]
    cells += [
        new_code_cell(RUN_CELL.format(switch=s, protocol=str(PROTOCOL), url=url)) for s in switches
    ]
    notebook = new_notebook(cells=cells)
    client = CountingClient(notebook, timeout=1200, kernel_name="python3")
    client.execute()
    seconds: dict[str, list[float]] = {"on": [], "off": []}
    updates: list[int] = []
    for index, cell in enumerate(notebook.cells[3:], start=3):
        printed = next(o["text"] for o in cell.outputs if o.get("name") == "stdout")
        timing = json.loads(printed.strip().splitlines()[-1])
        seconds[timing["display"]].append(timing["seconds"])
        if timing["display"] == "on":
            updates.append(client.updates.get(index, 0))
    on, off = statistics.median(seconds["on"]), statistics.median(seconds["off"])
    print(f"48-well live transfer in a Jupyter kernel, {rounds} runs each way (after a warm-up)")
    print(f"  without the display: median {off:6.2f} s, best {min(seconds['off']):6.2f} s")
    print(f"  with the display:    median {on:6.2f} s, best {min(seconds['on']):6.2f} s")
    best = min(seconds["on"]) / min(seconds["off"])
    print(f"  ratio with / without: {on / off:.3f} (median), {best:.3f} (best)")
    print(f"  display updates per run: {updates} (at most 2 a second, and the last picture)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", help="a robot to use instead of a fresh virtual OT-2")
    args = parser.parse_args()
    with robot_url(args.url) as url:
        measure(url, args.rounds)


if __name__ == "__main__":
    main()
