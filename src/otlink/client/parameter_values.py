"""Run-time parameter values given as text (``--param volume=75``), typed as the protocol
declares them.

The robot wants JSON of each parameter's own type (``75.0`` for a float parameter) and checks
it strictly; a live protocol wants Python values of that type. Both are typed here, once: by
the ``type`` of the parameters in the robot's analysis (:func:`typed_values`), or by a type
name (:func:`typed_value`).

>>> typed_values({"volume": "75", "mix": "yes"},
...              [{"variableName": "volume", "type": "float"},
...               {"variableName": "mix", "type": "bool"}])
{'volume': 75.0, 'mix': True}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otlink.errors import ParameterValueError

__all__ = ["csv_parameter_names", "typed_value", "typed_values"]

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
_CONVERTERS: dict[str, type] = {"int": int, "float": float, "str": str}

ParameterValue = bool | int | float | str


def typed_values(
    values: Mapping[str, str], declared: Sequence[Mapping[str, Any]]
) -> dict[str, ParameterValue]:
    """``values`` converted to the types of the parameters ``declared`` by an analysis.

    ``declared`` are the ``runTimeParameters`` of an analysis (``variableName``, ``type``, and
    ``min``/``max`` or ``choices``). Raises :class:`~otlink.errors.ParameterValueError` for a
    parameter not declared, or a value that does not fit its type, range or choices.
    """
    by_name = {str(p["variableName"]): p for p in declared}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        known = ", ".join(sorted(n for n, p in by_name.items() if p.get("type") != "csv_file"))
        raise ParameterValueError(
            f"the protocol has no parameter {', '.join(unknown)}",
            hint=f"its parameters: {known or 'none'}",
        )
    typed: dict[str, ParameterValue] = {}
    for name, text in values.items():
        typed[name] = typed_value(name, text, str(by_name[name].get("type", "str")))
        _check_allowed(name, typed[name], by_name[name])
    return typed


def _check_allowed(name: str, value: ParameterValue, parameter: Mapping[str, Any]) -> None:
    choices = [choice.get("value") for choice in parameter.get("choices") or []]
    low, high = parameter.get("min"), parameter.get("max")
    if choices and value not in choices:
        raise ParameterValueError(
            f"parameter {name} cannot be {value!r}",
            hint=f"give one of {', '.join(str(c) for c in choices)}",
        )
    if low is not None and high is not None and not low <= value <= high:
        raise ParameterValueError(
            f"parameter {name} is {value:g}, outside its range",
            hint=f"give {name} a value from {low:g} to {high:g}",
        )


def csv_parameter_names(declared: Sequence[Mapping[str, Any]]) -> list[str]:
    """The names of the CSV (data file) parameters among ``declared``."""
    return [str(p["variableName"]) for p in declared if p.get("type") == "csv_file"]


def typed_value(name: str, text: str, kind: str) -> ParameterValue:
    """``text`` as a value of the parameter type ``kind`` (``int``, ``float``, ``bool``, ``str``).

    >>> typed_value("steps", "8", "int")
    8
    """
    if kind == "bool":
        if text.lower() in TRUE_WORDS | FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        hint: str | None = "give true or false (yes/no, on/off, 1/0)"
    elif kind == "csv_file":
        raise ParameterValueError(
            f"{name} is a CSV parameter", hint=f"give it a file: --data {name}=FILE.csv"
        )
    else:
        try:
            converted: ParameterValue = _CONVERTERS.get(kind, str)(text)
            return converted
        except ValueError:
            example = "1" if kind == "int" else "1.5"
            hint = f"give {name} a number, e.g. --param {name}={example}" if kind != "str" else None
    kinds = {"int": "a whole number", "float": "a number"}
    raise ParameterValueError(
        f"parameter {name} takes {kinds.get(kind, f'a {kind}')}, not {text!r}", hint=hint
    )
