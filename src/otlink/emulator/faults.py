"""Fault injection: rules that make chosen run commands fail as hardware faults would.

A rule picks commands of a run by ``commandType`` (optionally only the n-th of that type in each
run, 1 = the first), by index (the n-th command of a run, 0-based, as GET /runs/{id}/commands lists
them), or at random (a probability, with an optional seed); criteria given together must all hold.
A picked command fails inside the engine with an opentrons ``EnumeratedError`` (a plausible one for
its type, or the one the rule names) whose message starts with ``Injected fault:``.

A rule is written as terms separated by commas or colons, as ``otlink emulate --fault`` takes it:

>>> parse_fault("aspirate#3:once").as_json()["nth"]
3
>>> parse_fault("random=0.05,seed=7").spec
'random=0.05,seed=7'
"""

from __future__ import annotations

import inspect
import random
import typing
from collections import deque
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from functools import cache
from typing import Any

from opentrons_shared_data.errors import EnumeratedError
from opentrons_shared_data.errors import exceptions as opentrons_errors

MAX_FIRED_KEPT = 1000
INJECTED = "Injected fault:"

# What a fault looks like on a real OT-2, by command: the rest are motions that fail.
_DEFAULT_ERRORS = {
    "home": "HomingFailedError",
    "retractAxis": "HomingFailedError",
    "pickUpTip": "TipPickupFailedError",
    "dropTip": "TipDropFailedError",
    "dropTipInPlace": "TipDropFailedError",
}
_MODULE_PREFIXES = ("temperatureModule/", "magneticModule/", "thermocycler/", "heaterShaker/")
_WITHOUT_HARDWARE = frozenset(
    {"comment", "custom", "loadLabware", "loadLiquid", "loadLiquidClass", "waitForDuration"}
)
_JSON_KEYS = {
    "commandType": "command_type",
    "nth": "nth",
    "index": "index",
    "probability": "probability",
    "seed": "seed",
    "error": "error",
    "once": "once",
}


class FaultSpecError(ValueError):
    """A fault rule that cannot be used; the message says what to write instead."""


@cache
def error_classes() -> dict[str, type[EnumeratedError]]:
    """The opentrons errors a rule may name: those built from a message and a detail."""
    usable: dict[str, type[EnumeratedError]] = {}
    for name, value in vars(opentrons_errors).items():
        if inspect.isclass(value) and issubclass(value, EnumeratedError):
            parameters = inspect.signature(value.__init__).parameters
            required = {
                name
                for name, parameter in parameters.items()
                if parameter.default is inspect.Parameter.empty
                and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            }
            if required == {"self"} and {"message", "detail"} <= set(parameters):
                usable[name] = value
    return usable


@cache
def command_types() -> frozenset[str]:
    from opentrons.protocol_engine.commands import CommandType

    return frozenset(arg for literal in typing.get_args(CommandType) for arg in literal.__args__)


def default_error(command_type: str) -> str:
    """The error a fault in ``command_type`` raises unless its rule names one."""
    if command_type in _DEFAULT_ERRORS:
        return _DEFAULT_ERRORS[command_type]
    if command_type.startswith(_MODULE_PREFIXES):
        return "ModuleCommunicationError"
    return "GeneralError" if command_type in _WITHOUT_HARDWARE else "MotionFailedError"


@dataclass(frozen=True)
class FaultRule:
    """Which commands fail, and how; see the module docstring."""

    command_type: str | None = None
    nth: int | None = None
    index: int | None = None
    probability: float | None = None
    seed: int | None = None
    error: str | None = None
    once: bool = False

    def __post_init__(self) -> None:
        if self.command_type is None and self.index is None and self.probability is None:
            raise FaultSpecError("a fault rule needs a commandType, an index or a probability")
        if self.command_type is not None and self.command_type not in command_types():
            raise FaultSpecError(f"unknown commandType {self.command_type!r}")
        if self.nth is not None and (self.command_type is None or self.nth < 1):
            raise FaultSpecError("nth (TYPE#N) needs a commandType and N >= 1 (1 = the first)")
        if self.index is not None and self.index < 0:
            raise FaultSpecError("index must be 0 or more (0 = the run's first command)")
        if self.probability is not None and not 0 < self.probability <= 1:
            raise FaultSpecError("random=P needs 0 < P <= 1")
        if self.seed is not None and self.probability is None:
            raise FaultSpecError("seed goes with random=P")
        if self.error is not None and self.error not in error_classes():
            raise FaultSpecError(
                f"unknown error {self.error!r}; use an opentrons error such as MotionFailedError,"
                " PipetteOverpressureError, PositionUnknownError or ModuleCommunicationError"
            )

    @property
    def spec(self) -> str:
        """The rule as ``--fault`` takes it."""
        terms = []
        if self.command_type is not None:
            terms.append(self.command_type + (f"#{self.nth}" if self.nth is not None else ""))
        if self.index is not None:
            terms.append(f"index={self.index}")
        if self.probability is not None:
            terms.append(f"random={self.probability:g}")
        if self.seed is not None:
            terms.append(f"seed={self.seed}")
        if self.error is not None:
            terms.append(f"error={self.error}")
        if self.once:
            terms.append("once")
        return ",".join(terms)

    def as_json(self) -> dict[str, Any]:
        return {key: getattr(self, name) for key, name in _JSON_KEYS.items()}

    @classmethod
    def from_json(cls, value: Any) -> FaultRule:
        """A rule from its JSON object (keys as in :meth:`as_json`) or its ``--fault`` text."""
        if isinstance(value, str):
            return parse_fault(value)
        if not isinstance(value, dict):
            raise FaultSpecError("a rule is an object or a --fault string")
        unknown = sorted(set(value) - set(_JSON_KEYS))
        if unknown:
            raise FaultSpecError(f"unknown rule field(s) {', '.join(unknown)}")
        kinds = {f.name: f.type for f in fields(cls)}
        arguments: dict[str, Any] = {}
        for key, item in value.items():
            name = _JSON_KEYS[key]
            if item is None:
                continue
            if not _json_type_fits(kinds[name], item):
                raise FaultSpecError(f"{key} has the wrong type ({type(item).__name__})")
            arguments[name] = item
        return cls(**arguments)


def _json_type_fits(kind: Any, item: Any) -> bool:
    text = str(kind)
    if "bool" in text:
        return isinstance(item, bool)
    if isinstance(item, bool):
        return False
    if "float" in text:
        return isinstance(item, int | float)
    if "int" in text:
        return isinstance(item, int)
    return isinstance(item, str)


def parse_fault(spec: str) -> FaultRule:
    """A rule from its ``--fault`` text: ``TYPE[#N]``, ``index=N``, ``random=P``, ``seed=S``,
    ``error=NAME`` and ``once``, separated by commas or colons."""
    arguments: dict[str, Any] = {}
    terms = [term.strip() for term in spec.replace(":", ",").split(",")]
    if not any(terms):
        raise FaultSpecError("empty fault rule")
    for term in terms:
        key, has_value, value = term.partition("=")
        try:
            if not term:
                raise FaultSpecError("empty term")
            if term == "once":
                arguments["once"] = True
            elif not has_value:
                command_type, _, nth = term.partition("#")
                arguments["command_type"] = command_type
                if nth:
                    arguments["nth"] = int(nth)
            elif key == "index":
                arguments["index"] = int(value)
            elif key == "random":
                arguments["probability"] = float(value)
            elif key == "seed":
                arguments["seed"] = int(value)
            elif key == "error":
                arguments["error"] = value
            else:
                raise FaultSpecError(f"unknown term {key!r}")
        except ValueError as error:
            raise FaultSpecError(f"bad fault rule {spec!r}: {error}") from None
    return FaultRule(**arguments)


@dataclass
class _ArmedRule:
    id: str
    rule: FaultRule
    rng: random.Random
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.rule.once and self.fired > 0

    def picks(self, command_type: str, index: int, nth: int) -> bool:
        rule = self.rule
        if self.spent:
            return False
        if rule.command_type is not None and (
            rule.command_type != command_type or (rule.nth is not None and rule.nth != nth)
        ):
            return False
        if rule.index is not None and rule.index != index:
            return False
        # Drawn last, only for the commands the other criteria let through: reproducible.
        return rule.probability is None or self.rng.random() < rule.probability


class FaultPlan:
    """The robot's fault rules and what they fired; shared by all its runs.

    >>> plan = FaultPlan([parse_fault("aspirate#2")])
    >>> plan.fault_for("run-1", "cmd-9", "aspirate", index=9, nth=2).message[:14]
    'Injected fault'
    """

    def __init__(self, rules: typing.Iterable[FaultRule] = ()) -> None:
        self.rules: list[_ArmedRule] = []
        self.fired: deque[dict[str, Any]] = deque(maxlen=MAX_FIRED_KEPT)
        self._next_id = 1
        self.add(rules)

    def add(self, rules: typing.Iterable[FaultRule]) -> None:
        for rule in rules:
            self.rules.append(_ArmedRule(str(self._next_id), rule, random.Random(rule.seed)))
            self._next_id += 1

    def replace(self, rules: typing.Iterable[FaultRule]) -> None:
        self.clear()
        self.add(rules)

    def clear(self) -> None:
        self.rules = []
        self.fired.clear()

    def fault_for(
        self, run_id: str, command_id: str, command_type: str, *, index: int, nth: int
    ) -> EnumeratedError | None:
        """The error the command fails with, if a rule picks it (the first rule that does)."""
        for armed in self.rules:
            if armed.picks(command_type, index, nth):
                armed.fired += 1
                name = armed.rule.error or default_error(command_type)
                self.fired.append(
                    {
                        "ruleId": armed.id,
                        "spec": armed.rule.spec,
                        "runId": run_id,
                        "commandId": command_id,
                        "commandType": command_type,
                        "index": index,
                        "errorType": name,
                        "firedAt": datetime.now(timezone.utc),
                    }
                )
                return error_classes()[name](
                    message=(
                        f"{INJECTED} {command_type} (command {index} of the run)"
                        f" failed, by rule {armed.rule.spec!r}"
                    ),
                    detail={"injected": "true", "rule": armed.rule.spec, "index": str(index)},
                )
        return None

    def describe(self) -> dict[str, Any]:
        """What GET /otlink/faults answers."""
        return {
            "rules": [
                {
                    "id": armed.id,
                    "spec": armed.rule.spec,
                    **armed.rule.as_json(),
                    "fired": armed.fired,
                    "spent": armed.spent,
                }
                for armed in self.rules
            ],
            "fired": list(self.fired),
        }
