"""The facts at the top of a run's report, as (label, text) rows: which protocol, what it loaded,
when it ran, how long, its parameters, and what ran it; and its commands counted by type.

Example::

    for label, text in summary_rows(run, commands, deck, protocol=protocol):
        print(f"{label}: {text}")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from otlink.models import LoadedLabware, Protocol, Run

from .state import DeckState
from .timeline_layout import duration_words, instant, seconds_between


@dataclass
class TypeTotals:
    """How many commands of one type ran, failed, and the time they took."""

    command_type: str
    count: int = 0
    failed: int = 0
    seconds: float = 0.0
    longest: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)


def time_words(timestamp: str | None) -> str:
    """A robot timestamp in UTC to the millisecond (``2026-12-02 00:48:48.255 UTC``)."""
    if not timestamp:
        return "—"
    try:
        moment = instant(timestamp).astimezone(timezone.utc)
    except ValueError:
        return timestamp
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d} UTC"


def totals_by_type(commands: Sequence[Mapping[str, Any]]) -> list[TypeTotals]:
    """Per command type, in order of first appearance."""
    totals: dict[str, TypeTotals] = {}
    for command in commands:
        kind = str(command["commandType"])
        total = totals.setdefault(kind, TypeTotals(kind))
        total.count += 1
        total.statuses[str(command.get("status"))] += 1
        total.failed += command.get("status") == "failed"
        took = seconds_between(command.get("startedAt"), command.get("completedAt")) or 0.0
        total.seconds += took
        total.longest = max(total.longest, took)
    return list(totals.values())


def summary_rows(
    run: Run,
    commands: Sequence[Mapping[str, Any]],
    deck: DeckState,
    *,
    protocol: Protocol | None = None,
    robot: str | None = None,
) -> list[tuple[str, str]]:
    """The summary, one (label, text) row per fact; facts the run does not have are left out."""
    rows = [("Run", run.id)]
    if robot:
        rows.append(("Robot", robot))
    rows.append(("Protocol", _protocol_words(run, protocol)))
    rows.append(("Ran by", _ran_by(run, commands, protocol)))
    rows.append(("Status", str(run.status)))
    rows += [
        ("Created", time_words(run.createdAt)),
        ("Started", time_words(run.startedAt)),
        ("Completed", time_words(run.completedAt)),
    ]
    took = seconds_between(run.startedAt, run.completedAt)
    busy = sum(seconds_between(c.get("startedAt"), c.get("completedAt")) or 0 for c in commands)
    if took is not None:
        rows.append(("Duration", f"{duration_words(took)} (commands busy {duration_words(busy)})"))
    elif commands:  # a live run that was never played: its commands ran as set-up commands
        starts = [str(c["startedAt"]) for c in commands if c.get("startedAt")]
        ends = [str(c["completedAt"]) for c in commands if c.get("completedAt")]
        first = min(starts, key=instant, default=None)
        last = max(ends, key=instant, default=None)
        span = seconds_between(first, last)
        if span is not None:
            rows.append(
                (
                    "Duration",
                    f"{duration_words(span)} from its first command to its last "
                    f"(commands busy {duration_words(busy)})",
                )
            )
    statuses = Counter(str(c.get("status")) for c in commands)
    rows.append(
        ("Commands", f"{len(commands)}: " + ", ".join(f"{n} {s}" for s, n in statuses.items()))
    )
    rows.append(
        ("Pipettes", "; ".join(f"{p.mount}: {p.pipetteName}" for p in run.pipettes) or "none")
    )
    rows.append(
        ("Labware", "; ".join(_labware_words(lw, run, deck) for lw in run.labware) or "none")
    )
    rows.append(
        ("Modules", "; ".join(_module_words(m.model, m.location) for m in run.modules) or "none")
    )
    if run.runTimeParameters:
        rows.append(("Parameters", "; ".join(_parameter_words(p) for p in run.runTimeParameters)))
    if deck.liquids:
        rows.append(("Liquids", "; ".join(liquid.name for liquid in deck.liquids.values())))
    if run.labwareOffsets:
        rows.append(("Labware offsets", f"{len(run.labwareOffsets)} applied"))
    if run.actions:
        rows.append(
            (
                "Actions",
                "; ".join(f"{a.actionType} at {time_words(a.createdAt)}" for a in run.actions),
            )
        )
    return rows


def _protocol_words(run: Run, protocol: Protocol | None) -> str:
    if protocol is not None:
        files = ", ".join(f"{f.name} ({f.role})" for f in protocol.files)
        return f"{protocol.name} — {files}; protocol {protocol.id}"
    if run.protocolId:
        return f"protocol {run.protocolId} (no longer on the robot)"
    return "none: a live run, its commands sent one by one over the HTTP API"


def _ran_by(run: Run, commands: Sequence[Mapping[str, Any]], protocol: Protocol | None) -> str:
    """What the robot's records say about who ran the run: it keeps no user names."""
    if run.protocolId:
        kind = f"{protocol.protocolType} protocol" if protocol else "protocol"
        key = f" (uploaded with key {protocol.key})" if protocol and protocol.key else ""
        return f"the robot's engine running the {kind}{key}, played over the HTTP API"
    keys = [str(c.get("key") or "") for c in commands]
    if keys and all(key.startswith("otlink-") for key in keys):
        return "otlink (every command carries an otlink key)"
    mine = sum(key.startswith("otlink-") for key in keys)
    return f"an HTTP client ({mine} of {len(keys)} commands sent by otlink)"


def _labware_words(labware: LoadedLabware, run: Run, deck: DeckState) -> str:
    known = deck.labware.get(labware.id)
    name = known.title if known else labware.loadName
    if labware.displayName and labware.displayName != name:
        name = f"{labware.displayName} ({name})"
    return f"{_place(labware.location, run)}: {name}"


def _place(location: Mapping[str, Any] | str, run: Run) -> str:
    if not isinstance(location, Mapping):
        return str(location)  # "offDeck"
    if "slotName" in location:
        return f"slot {location['slotName']}"
    if "moduleId" in location:
        module = next((m for m in run.modules if m.id == location["moduleId"]), None)
        return f"on {_module_words(module.model, module.location)}" if module else "on a module"
    if "labwareId" in location:
        return "on another labware"
    if "addressableAreaName" in location:
        return str(location["addressableAreaName"])
    return "somewhere"


def _module_words(model: str, location: Mapping[str, Any] | None) -> str:
    slot = (location or {}).get("slotName")
    return f"{model} in slot {slot}" if slot else model


def _parameter_words(parameter: Mapping[str, Any]) -> str:
    name = parameter.get("displayName") or parameter.get("variableName")
    value, default = _value(parameter, "value"), _value(parameter, "default")
    if parameter.get("type") == "csv_file":
        value = (parameter.get("file") or {}).get("name", "no file")
    unchanged = default is None or value == default
    suffix = parameter.get("suffix") or ""
    return f"{name} = {value}{suffix}" + ("" if unchanged else f" (default {default}{suffix})")


def _value(parameter: Mapping[str, Any], key: str) -> Any:
    value = parameter.get(key)
    # The robot gives an int parameter's numbers as floats (3.0).
    if parameter.get("type") == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value
