"""Run-time parameter values typed as the robot's analysis declares them.

A command line gives every value as text (``--param volume=75``); the robot wants JSON of the
parameter's own type (``75.0`` for a float parameter), and checks it strictly. The robot's
analysis of the protocol lists each parameter with its ``type``, which is what we go by.

>>> typed_values({"volume": "75", "mix": "yes"},
...              [{"variableName": "volume", "type": "float"},
...               {"variableName": "mix", "type": "bool"}])
{'volume': 75.0, 'mix': True}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
_CONVERTERS: dict[str, type] = {"int": int, "float": float, "str": str}


class ParameterValueError(ValueError):
    """A value that does not fit its parameter, or a parameter the protocol lacks."""


def typed_values(
    values: Mapping[str, str], declared: Sequence[Mapping[str, Any]]
) -> dict[str, bool | int | float | str]:
    """``values`` converted to the types of the parameters ``declared`` by an analysis."""
    types = {str(p["variableName"]): str(p.get("type", "str")) for p in declared}
    unknown = sorted(set(values) - set(types))
    if unknown:
        known = ", ".join(sorted(n for n, t in types.items() if t != "csv_file")) or "none"
        raise ParameterValueError(
            f"the protocol has no parameter {', '.join(unknown)} (its parameters: {known})"
        )
    return {name: _typed(name, text, types[name]) for name, text in values.items()}


def csv_parameter_names(declared: Sequence[Mapping[str, Any]]) -> list[str]:
    """The names of the CSV (data file) parameters among ``declared``."""
    return [str(p["variableName"]) for p in declared if p.get("type") == "csv_file"]


def _typed(name: str, text: str, kind: str) -> bool | int | float | str:
    if kind == "bool":
        if text.lower() in TRUE_WORDS | FALSE_WORDS:
            return text.lower() in TRUE_WORDS
    elif kind == "csv_file":
        raise ParameterValueError(f"{name} is a CSV parameter: give it with --data {name}=FILE")
    else:
        try:
            converted: bool | int | float | str = _CONVERTERS.get(kind, str)(text)
            return converted
        except ValueError:
            pass
    raise ParameterValueError(f"parameter {name} takes a {kind}, not {text!r}")
