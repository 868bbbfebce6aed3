"""A plan: the steps a worklist becomes, as plain data, before anything runs."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the deck reads opentrons' definitions; the CLI's options must stay light
    from .deck import Deck

Action = Literal[
    "pick_up_tip", "aspirate", "dispense", "mix", "air_gap", "touch_tip", "blow_out", "drop_tip"
]
TipPolicy = Literal["always", "per-source", "per-destination", "once"]
TIP_POLICIES: tuple[TipPolicy, ...] = ("always", "per-source", "per-destination", "once")


@dataclass(frozen=True)
class PlanOptions:
    """How rows become steps.

    ``new_tip``: a fresh tip for every row ("always"), when the source changes
    ("per-source"), when the destination changes ("per-destination"), or one tip per pipette
    ("once"); a row's own new-tip column wins. ``multi_dispense``: one aspirate serves
    consecutive rows from the same source that keep their tip, plus ``disposal_volume`` µL
    (default: the pipette's minimum) blown out into the trash. ``multichannel``: eight rows
    that move a whole column the same way go as one 8-channel step (when an 8-channel pipette
    is on the deck). ``from_row``: resume at that row; the tips rows before it (and its own)
    were given count as used.
    """

    new_tip: TipPolicy = "always"
    multi_dispense: bool = False
    disposal_volume: float | None = None
    multichannel: bool = True
    from_row: int | None = None


@dataclass(slots=True)  # not frozen: a frozen init costs 4x, and a plan makes 20,000 of these
class Step:
    """One Protocol API action. ``slot``/``well`` None means the trash (drop tip, blow out);
    ``rows`` are the input rows it serves; ``height`` is mm above the well's bottom."""

    action: Action
    pipette: str
    rows: tuple[int, ...]
    slot: str | None = None
    well: str | None = None
    volume: float | None = None
    repetitions: int | None = None
    height: float | None = None
    flow_rate: float | None = None

    def describe(self) -> str:
        """``aspirate 50 µL slot 2 A1`` (with the rows)."""
        words = [self.pipette, self.action.replace("_", " ")]
        if self.repetitions:
            words.append(f"{self.repetitions}x")
        if self.volume is not None:
            words.append(f"{self.volume:g} µL")
        words.append(f"slot {self.slot} {self.well}" if self.slot else "trash")
        if self.height is not None:
            words.append(f"{self.height:g} mm above bottom")
        if self.flow_rate is not None:
            words.append(f"at {self.flow_rate:g} µL/s")
        rows = ",".join(str(r) for r in self.rows)
        return " ".join(words) + (f"  [row {rows}]" if rows else "  [end]")


@dataclass
class Plan:
    """The steps for a worklist on a deck, with what they take (tips, liquid).

    >>> plan = otlink.worklist.plan(rows, deck)  # doctest: +SKIP
    >>> plan.steps[:2]  # doctest: +SKIP
    [Step(action='pick_up_tip', pipette='left', rows=(2,), slot='1', well='A1'), ...]
    >>> plan.save(Path("plan.json"))  # doctest: +SKIP
    """

    steps: list[Step]
    deck: Deck = field(repr=False)
    options: PlanOptions = field(default_factory=PlanOptions)
    source: str = "worklist"
    rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "options": asdict(self.options),
            "deck": self.deck.to_json(),
            "steps": [
                {key: value for key, value in asdict(step).items() if value is not None}
                for step in self.steps
            ],
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    def lines(self) -> list[str]:
        """The plan, one step a line (what :func:`diff` compares)."""
        return [step.describe() for step in self.steps]

    def tips_used(self) -> dict[str, int]:
        """Tips picked up, per rack slot (an 8-channel pick-up takes 8)."""
        channels = {mount: p.channels for mount, p in self.deck.pipettes.items()}
        used: dict[str, int] = {}
        for step in self.steps:
            if step.action == "pick_up_tip" and step.slot:
                used[step.slot] = used.get(step.slot, 0) + channels[step.pipette]
        return used


def diff(before: Plan, after: Plan) -> list[str]:
    """What changed between two plans, as unified-diff lines of their steps."""
    return list(
        difflib.unified_diff(
            before.lines(), after.lines(), before.source, after.source, lineterm=""
        )
    )
