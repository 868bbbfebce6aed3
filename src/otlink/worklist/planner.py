"""Rows + deck -> plan: pipette by volume, volumes split to fit, tips by policy, columns as
8-channel steps, multi-dispense; every problem found names its row."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .deck import Deck, DeckLabware, DeckPipette
from .resolve import Transfer, resolve
from .rows import Mix, Problem, Row, Worklist, WorklistInvalid
from .steps import Plan, PlanOptions, Step
from .tips import TipRacks

_EPSILON = 1e-6


def plan(rows: Worklist | Iterable[Row], deck: Deck, options: PlanOptions | None = None) -> Plan:
    """Plan a worklist on a deck, or raise :class:`WorklistInvalid` naming every bad row.

    Nothing runs: the plan is data (:meth:`Plan.to_json`, :meth:`Plan.lines`), run later with
    :func:`otlink.worklist.run` or written out with :func:`otlink.worklist.protocol_text`.

    >>> rows = read_worklist(Path("picklist.csv"))  # doctest: +SKIP
    >>> steps = plan(rows, Deck.read(Path("deck.toml"))).steps  # doctest: +SKIP
    """
    worklist = rows if isinstance(rows, Worklist) else Worklist(list(rows))
    options = options or PlanOptions()
    problems = list(worklist.problems)
    transfers = resolve(worklist, deck, problems)
    if options.multichannel:
        transfers = _columns(transfers, deck)
    planner = _Planner(deck, options, worklist, problems)
    planner.run(transfers)
    if problems:
        raise WorklistInvalid(sorted(problems, key=lambda p: p.row or 0))
    return Plan(planner.steps, deck, options, worklist.source, len(worklist.rows))


@dataclass
class _Tip:
    key: object  # what the tip has touched, as the policy sees it


class _Planner:
    def __init__(
        self, deck: Deck, options: PlanOptions, worklist: Worklist, problems: list[Problem]
    ) -> None:
        self.deck = deck
        self.options = options
        self.worklist = worklist
        self.problems = problems
        self.steps: list[Step] = []
        self.tips = TipRacks(deck)
        self.holding: dict[str, _Tip] = {}
        self.out_of_tips: set[str] = set()
        self.levels: dict[tuple[str, str], float] = {}  # wells with a known starting volume
        self.received: dict[tuple[str, str], list[float]] = {}  # [µL in, capacity] per well
        self.emit = options.from_row is None
        self.choices: dict[tuple[int, float, float], tuple[DeckPipette | None, int, Problem | None]]
        self.choices = {}

    def run(self, transfers: Sequence[Transfer]) -> None:
        index = 0
        while index < len(transfers):
            transfer = transfers[index]
            pipette, parts = self._pipette(transfer)
            if pipette is None:
                index += 1
                continue
            if (
                not self.emit
                and self.options.from_row is not None
                and max(transfer.rows) >= self.options.from_row
            ):
                self._resume(transfer, pipette)
            batch = [transfer]
            if self.options.multi_dispense and parts == 1 and transfer.settings.plain:
                batch = self._dispensable(transfers, index, pipette)
            if not self._tip_for(transfer, pipette):
                index += len(batch)
                continue
            if len(batch) > 1:
                self._multi_dispense(batch, pipette)
            else:
                self._transfer(transfer, pipette, parts)
            index += len(batch)
        for mount in list(self.holding):
            self._add(Step("drop_tip", mount, ()))
        self.holding.clear()

    def _resume(self, transfer: Transfer, pipette: DeckPipette) -> None:
        """The first transfer at ``from_row``: its tips count as used too (the failed run may
        have picked them up), every tip was dropped when that run ended."""
        self._tip_for(transfer, pipette)
        self.holding.clear()
        self.emit = True

    # pipettes and volumes

    def _pipette(self, transfer: Transfer) -> tuple[DeckPipette | None, int]:
        """The pipette for a transfer and in how many parts; a problem recorded if none."""
        pipette, parts, problem = self._choice(transfer)
        if problem:
            self.problems.append(replace(problem, row=transfer.first_row))
        return pipette, parts

    def _choice(self, transfer: Transfer) -> tuple[DeckPipette | None, int, Problem | None]:
        key = (len(transfer.source_wells), transfer.volume, transfer.settings.air_gap)
        choice = self.choices.get(key)
        if choice is None:  # rows repeat a few volumes: each is chosen for once
            choice = self.choices[key] = choose_pipette(transfer, self.deck, self.worklist)
        return choice

    def _dispensable(
        self, transfers: Sequence[Transfer], start: int, pipette: DeckPipette
    ) -> list[Transfer]:
        """Consecutive transfers one aspirate can serve: same source, tip kept, plain."""
        first = transfers[start]
        disposal = self._disposal(pipette)
        total = first.volume + disposal
        batch = [first]
        for transfer in transfers[start + 1 :]:
            if (
                transfer.source is not first.source
                or transfer.source_wells != first.source_wells
                or replace(transfer.settings, new_tip=None) != replace(first.settings, new_tip=None)
                or transfer.settings.new_tip is True
                or self._policy_key(transfer) != self._policy_key(first)
                or (self.options.new_tip == "always" and transfer.settings.new_tip is not False)
                or total + transfer.volume > pipette.capacity + _EPSILON
                or self._choice(transfer)[0] is not pipette
            ):
                break
            batch.append(transfer)
            total += transfer.volume
        return batch if len(batch) > 1 else [first]

    def _disposal(self, pipette: DeckPipette) -> float:
        if self.options.disposal_volume is not None:
            return self.options.disposal_volume
        return pipette.min_volume

    # tips

    def _policy_key(self, transfer: Transfer) -> object:
        policy = self.options.new_tip
        if policy == "per-source":
            return (transfer.source.slot, transfer.source_wells)
        if policy == "per-destination":
            return (transfer.destination.slot, transfer.destination_wells)
        if policy == "once":
            return None
        return transfer.rows

    def _tip_for(self, transfer: Transfer, pipette: DeckPipette) -> bool:
        held = self.holding.get(pipette.mount)
        key = self._policy_key(transfer)
        wanted = transfer.settings.new_tip
        if held is not None and (wanted is False or (wanted is None and held.key == key)):
            held.key = key
            return True
        if held is not None:
            self._add(Step("drop_tip", pipette.mount, transfer.rows))
            del self.holding[pipette.mount]
        tip = self.tips.take(pipette)
        if tip is None:
            if pipette.mount not in self.out_of_tips:
                self.out_of_tips.add(pipette.mount)
                racks = ", ".join(pipette.tip_racks)
                self.problems.append(
                    Problem(
                        transfer.first_row,
                        f"not enough tips: {pipette.name} has used every tip in slot {racks}"
                        " from here on; add a tip rack or reuse tips (--new-tip per-source)",
                    )
                )
            return False
        self._add(Step("pick_up_tip", pipette.mount, transfer.rows, tip[0], tip[1]))
        self.holding[pipette.mount] = _Tip(key)
        return True

    # steps

    def _add(self, step: Step) -> None:
        if self.emit:
            self.steps.append(step)

    def _transfer(self, transfer: Transfer, pipette: DeckPipette, parts: int) -> None:
        settings, mount, rows = transfer.settings, pipette.mount, transfer.rows
        source, destination = transfer.source, transfer.destination
        well, target = transfer.source_wells[0], transfer.destination_wells[0]
        part = transfer.volume / parts
        for piece in range(parts):
            if settings.mix_before and piece == 0:
                self._mix(transfer, pipette, source, well, settings.mix_before, "mix_before")
            self._take(transfer, source, part)
            self._add(
                Step(
                    "aspirate",
                    mount,
                    rows,
                    source.slot,
                    well,
                    part,
                    height=settings.aspirate_height,
                    flow_rate=settings.aspirate_flow_rate,
                )
            )
            if settings.air_gap:
                self._add(Step("air_gap", mount, rows, volume=settings.air_gap))
            self._give(transfer, destination, part)
            self._add(
                Step(
                    "dispense",
                    mount,
                    rows,
                    destination.slot,
                    target,
                    part + settings.air_gap,
                    height=settings.dispense_height,
                    flow_rate=settings.dispense_flow_rate,
                )
            )
            if settings.mix_after and piece == parts - 1:
                self._mix(transfer, pipette, destination, target, settings.mix_after, "mix_after")
            if settings.blow_out:
                self._add(Step("blow_out", mount, rows, destination.slot, target))
            if settings.touch_tip:
                self._add(Step("touch_tip", mount, rows, destination.slot, target))

    def _multi_dispense(self, batch: list[Transfer], pipette: DeckPipette) -> None:
        first, mount = batch[0], pipette.mount
        disposal = self._disposal(pipette)
        total = sum(t.volume for t in batch) + disposal
        rows = tuple(r for t in batch for r in t.rows)
        for transfer in batch[1:]:
            self.holding[mount].key = self._policy_key(transfer)
        self._take(first, first.source, total)
        self._add(
            Step(
                "aspirate",
                mount,
                rows,
                first.source.slot,
                first.source_wells[0],
                total,
                height=first.settings.aspirate_height,
                flow_rate=first.settings.aspirate_flow_rate,
            )
        )
        for transfer in batch:
            self._give(transfer, transfer.destination, transfer.volume)
            self._add(
                Step(
                    "dispense",
                    mount,
                    transfer.rows,
                    transfer.destination.slot,
                    transfer.destination_wells[0],
                    transfer.volume,
                    height=transfer.settings.dispense_height,
                    flow_rate=transfer.settings.dispense_flow_rate,
                )
            )
            if transfer.settings.touch_tip:
                self._add(
                    Step(
                        "touch_tip",
                        mount,
                        transfer.rows,
                        transfer.destination.slot,
                        transfer.destination_wells[0],
                    )
                )
        self._add(Step("blow_out", mount, rows))  # the disposal volume, into the trash

    def _mix(
        self,
        transfer: Transfer,
        pipette: DeckPipette,
        labware: DeckLabware,
        well: str,
        mix: Mix,
        column: str,
    ) -> None:
        if not pipette.min_volume - _EPSILON <= mix.volume <= pipette.capacity + _EPSILON:
            self.problems.append(
                Problem(
                    transfer.first_row,
                    f"a mix of {mix.volume:g} µL is outside {pipette.name}'s"
                    f" {pipette.min_volume:g} to {pipette.capacity:g} µL",
                    self.worklist.column(column),
                )
            )
            return
        self._add(
            Step(
                "mix", pipette.mount, transfer.rows, labware.slot, well, mix.volume, mix.repetitions
            )
        )

    # liquid levels

    def _take(self, transfer: Transfer, labware: DeckLabware, volume: float) -> None:
        """Liquid out of the source wells; a well whose starting volume is known can run dry."""
        for well in transfer.source_wells:
            key = (labware.slot, well)
            if key not in self.levels:
                start = labware.starting_volume(well)
                if start is None:
                    continue  # unknown: nothing to check it against
                self.levels[key] = start
            level = self.levels[key]
            self.levels[key] = level - volume
            if level - volume < -_EPSILON <= level:
                self.problems.append(
                    Problem(
                        transfer.first_row,
                        f"{labware.label} {well} runs dry: {volume:g} µL wanted,"
                        f" {max(level, 0):g} µL left",
                        self.worklist.column("source_well"),
                    )
                )

    def _give(self, transfer: Transfer, labware: DeckLabware, volume: float) -> None:
        """Liquid into the destination wells (taken to start empty unless told otherwise)."""
        for well in transfer.destination_wells:
            key = (labware.slot, well)
            if key in self.levels:
                self.levels[key] += volume
            received = self.received.get(key)
            if received is None:  # the first time in: its start and capacity, looked up once
                start = labware.starting_volume(well) or 0.0
                capacity = float(labware.definition["wells"][well]["totalLiquidVolume"])
                received = self.received[key] = [start, capacity]
            received[0] += volume
            total, capacity = received
            if total > capacity + _EPSILON >= total - volume:
                self.problems.append(
                    Problem(
                        transfer.first_row,
                        f"{labware.label} {well} overflows: {total:g} µL in a {capacity:g} µL well",
                        self.worklist.column("volume"),
                    )
                )


def _columns(transfers: list[Transfer], deck: Deck) -> list[Transfer]:
    """Eight consecutive transfers moving a whole column the same way, as one 8-channel one."""
    if not any(p.channels == 8 for p in deck.pipettes.values()):
        return transfers
    grouped: list[Transfer] = []
    index = 0
    while index < len(transfers):
        group = transfers[index : index + 8]
        if len(group) == 8 and _is_column(group):
            first = group[0]
            grouped.append(
                replace(
                    first,
                    rows=tuple(t.first_row for t in group),
                    source_wells=tuple(t.source_wells[0] for t in group),
                    destination_wells=tuple(t.destination_wells[0] for t in group),
                )
            )
            index += 8
        else:
            grouped.append(transfers[index])
            index += 1
    return grouped


def _is_column(group: list[Transfer]) -> bool:
    first = group[0]
    if any(
        t.source is not first.source
        or t.destination is not first.destination
        or t.volume != first.volume
        or t.settings != first.settings
        for t in group
    ):
        return False
    return _column_of(first.source, [t.source_wells[0] for t in group]) and _column_of(
        first.destination, [t.destination_wells[0] for t in group]
    )


def _column_of(labware: DeckLabware, wells: list[str]) -> bool:
    return any(column == wells for column in labware.definition["ordering"])


def choose_pipette(
    transfer: Transfer, deck: Deck, worklist: Worklist
) -> tuple[DeckPipette | None, int, Problem | None]:
    """The pipette with the smallest capacity that takes the volume in one go, else the
    largest, in equal parts; or the problem (below every pipette's minimum...)."""
    channels = len(transfer.source_wells)
    candidates = [p for p in deck.pipettes.values() if p.channels == channels]
    row, column = transfer.first_row, worklist.column("volume")
    if not candidates:
        kind = "single-channel" if channels == 1 else f"{channels}-channel"
        return None, 0, Problem(row, f"no {kind} pipette on the deck")
    volume, air = transfer.volume, transfer.settings.air_gap
    usable = [p for p in candidates if p.min_volume <= volume + _EPSILON]
    if not usable:
        smallest = min(candidates, key=lambda p: p.min_volume)
        message = (
            f"{volume:g} µL is below the smallest pipette's minimum"
            f" ({smallest.name}: {smallest.min_volume:g} µL)"
        )
        return None, 0, Problem(row, message, column)
    fitting = [p for p in usable if p.capacity >= volume + air - _EPSILON]
    if fitting:
        return min(fitting, key=lambda p: p.capacity), 1, None
    largest = max(usable, key=lambda p: p.capacity)
    if largest.capacity - air <= _EPSILON:
        return None, 0, Problem(row, f"an air gap of {air:g} µL fills {largest.name}'s tip")
    return largest, math.ceil(volume / (largest.capacity - air) - _EPSILON), None
