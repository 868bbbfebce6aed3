"""Deck pictures: how long drawing a deck with a 384-well plate takes (SVG, then PNG).

Run: ``python bench/deck.py``. Goal: the SVG in < 0.5 s. The protocol is dry-run once (not
timed); the baseline is an empty deck drawn in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path

from otlink.deck import DeckState, deck_svg, svg_to_png
from otlink.live.dry_run import dry_run
from otlink.live.protocol_file import read_protocol

PROTOCOL = Path(__file__).parent.parent / "tests" / "deck" / "protocols" / "modules_gen2_384.py"
ROUNDS = 20


def best_of(draw: object, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        draw()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    dry = dry_run(read_protocol(PROTOCOL))
    assert dry.failure is None, dry.failure
    deck = dry.deck()
    wells = sum(len(lw.definition["wells"]) for lw in deck.labware.values())
    empty = best_of(lambda: deck_svg(DeckState()))
    full = best_of(lambda: deck_svg(deck))
    svg = deck_svg(deck)
    png = best_of(lambda: svg_to_png(svg), rounds=3)
    print(f"empty deck SVG:                  {empty * 1000:7.1f} ms")
    print(
        f"deck with a 384 plate, {wells} wells: {full * 1000:7.1f} ms SVG"
        f" ({full / empty:.1f}x empty; goal < 500 ms)"
    )
    print(f"  the same as PNG (cairosvg):    {png * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
