"""What a plan takes: transfers, tips per rack, liquid per source, an estimate of the time."""

from __future__ import annotations

from dataclasses import dataclass, field

from .steps import Plan, Step

# Rough seconds per action on an OT-2 at default speeds (moves included): an estimate only.
_SECONDS = {
    "pick_up_tip": 6.0,
    "drop_tip": 5.0,
    "aspirate": 2.5,
    "dispense": 2.5,
    "air_gap": 1.5,
    "touch_tip": 3.0,
    "blow_out": 2.0,
    "mix": 1.0,
}


@dataclass
class Summary:
    """The numbers ``otlink worklist check`` prints."""

    source: str
    rows: int
    transfers: int
    steps: int
    tips: dict[str, int] = field(default_factory=dict)  # rack slot -> tips used
    volume_by_source: dict[str, float] = field(default_factory=dict)  # "slot 2 A1" -> µL
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "rows": self.rows,
            "transfers": self.transfers,
            "steps": self.steps,
            "tipsPerRack": self.tips,
            "volumeBySource": {k: round(v, 3) for k, v in self.volume_by_source.items()},
            "estimatedSeconds": round(self.seconds),
        }

    def text(self) -> str:
        minutes = self.seconds / 60
        lines = [
            f"{self.source}: {self.rows} rows -> {self.transfers} transfers, {self.steps} steps,"
            f" about {minutes:.0f} min",
            "tips: " + (", ".join(f"slot {s}: {n}" for s, n in self.tips.items()) or "none"),
            "from: " + ", ".join(f"{where} {v:g} µL" for where, v in self.volume_by_source.items()),
        ]
        return "\n".join(lines)


def summarise(plan: Plan) -> Summary:
    """Count what the plan uses and estimate how long it runs.

    >>> print(summarise(plan).text())  # doctest: +SKIP
    picklist.csv: 96 rows -> 96 transfers, 480 steps, about 22 min
    """
    names = {slot: item.name for slot, item in plan.deck.labware.items()}
    volumes: dict[str, float] = {}
    transfers = 0
    seconds = 0.0
    for step in plan.steps:
        seconds += _seconds(step, plan)
        if step.action == "aspirate":
            transfers += 1
            assert step.slot is not None
            where = f"{names[step.slot] or 'slot ' + step.slot} {step.well}"
            channels = plan.deck.pipettes[step.pipette].channels
            volumes[where] = volumes.get(where, 0.0) + (step.volume or 0.0) * channels
    return Summary(
        plan.source, plan.rows, transfers, len(plan.steps), plan.tips_used(), volumes, seconds
    )


def _seconds(step: Step, plan: Plan) -> float:
    pipette = plan.deck.pipettes[step.pipette]
    seconds = _SECONDS[step.action]
    volume = step.volume or 0.0
    if step.action in ("aspirate", "air_gap"):
        seconds += volume / (step.flow_rate or pipette.aspirate_flow_rate)
    elif step.action == "dispense":
        seconds += volume / (step.flow_rate or pipette.dispense_flow_rate)
    elif step.action == "mix":
        cycle = volume / pipette.aspirate_flow_rate + volume / pipette.dispense_flow_rate
        seconds += (step.repetitions or 1) * cycle
    return seconds
