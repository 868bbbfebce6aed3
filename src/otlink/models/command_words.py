"""Robot commands in a few words, naming the labware and its slot:
``aspirate 100 µL from A1 of NEST 12 Well Reservoir 15 mL in slot 2``.

The words know a run's labware and modules from what it loaded: the ``labware`` and ``modules``
of a run or an analysis, and each ``loadLabware``/``loadModule`` seen (with its id, as a live run
sends it). Labware are named by ``name_of(definitionUri, loadName)``: the load name unless told
better (the CLI reads display names from opentrons-shared-data when it is installed).

Example::

    words = CommandWords(labware=run.labware, modules=run.modules)
    words("aspirate", {"volume": 100, "labwareId": "lw1", "wellName": "A1"})
    # "aspirate 100 µL from A1 of nest_12_reservoir_15ml in slot 2"

>>> describe("aspirate", {"volume": 100, "wellName": "A1"})
'aspirate 100 µL from A1'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from otlink.models.runs import LoadedLabware, LoadedModule

__all__ = ["CommandWords", "LabwareNamer", "describe"]

#: Names a labware from its definition URI and load name.
LabwareNamer = Callable[[str, str], str]

_WHERE = ("addressableAreaName", "message", "seconds", "celsius", "height", "rpm")
_INTO = frozenset({"dispense", "dispenseInPlace", "dropTip", "blowout", "touchTip"})
# Commands whose type reads as code: the words an operator would say.
_PLAIN = {
    "moveToAddressableAreaForDropTip": "move to drop tip at",
    "moveToAddressableArea": "move to",
    "dropTipInPlace": "drop tip",
    "aspirateInPlace": "aspirate in place",
    "dispenseInPlace": "dispense in place",
    "blowOutInPlace": "blow out in place",
}


class CommandWords:
    """Describes commands, knowing the labware and modules loaded so far."""

    def __init__(
        self,
        labware: Iterable[LoadedLabware] = (),
        modules: Iterable[LoadedModule] = (),
        *,
        name_of: LabwareNamer | None = None,
    ) -> None:
        self._name_of = name_of or _load_name
        self._modules = {m.id: f"{m.model} {_where(m.location or {}, {})}" for m in modules}
        self._labware: dict[str, str] = {}
        for item in labware:
            location = item.location if isinstance(item.location, Mapping) else {}
            self._labware[item.id] = f"{self._name_of(item.definitionUri, item.loadName)}" + (
                f" {_where(location, self._modules)}" if location else ""
            )

    def __call__(self, command_type: str, params: Mapping[str, Any]) -> str:
        """``command_type`` with ``params`` in words; a load is learnt for later commands."""
        self._learn(command_type, params)
        words = [_PLAIN.get(command_type, command_type)]
        if "volume" in params:
            words.append(f"{params['volume']:g} µL")
        labware = self._labware.get(str(params.get("labwareId")))
        if "wellName" in params:
            preposition = "into" if command_type in _INTO else "from"
            words.append(
                f"{preposition} {params['wellName']}" + (f" of {labware}" if labware else "")
            )
        elif labware and command_type != "loadLabware":
            words.append(labware)
        for name in _WHERE:
            if name in params:
                words.append(repr(params[name]) if name == "message" else str(params[name]))
        if command_type == "loadLabware" and labware:
            words.append(labware)
        elif command_type == "loadModule" and str(params.get("moduleId")) in self._modules:
            words.append(self._modules[str(params["moduleId"])])
        else:
            words += _load_words(params, self._modules)
        return " ".join(words)

    def _learn(self, command_type: str, params: Mapping[str, Any]) -> None:
        location = params.get("location")
        where = _where(location, self._modules) if isinstance(location, Mapping) else ""
        if command_type == "loadModule" and params.get("moduleId"):
            self._modules[str(params["moduleId"])] = f"{params.get('model')} {where}".strip()
        if command_type == "loadLabware" and params.get("labwareId"):
            uri = f"{params.get('namespace')}/{params.get('loadName')}/{params.get('version')}"
            name = self._name_of(uri, str(params.get("loadName")))
            self._labware[str(params["labwareId"])] = f"{name} {where}".strip()


def _load_words(params: Mapping[str, Any], modules: Mapping[str, str]) -> list[str]:
    words = [str(params[name]) for name in ("loadName", "model", "pipetteName") if name in params]
    location = params.get("location")
    if isinstance(location, Mapping) and _where(location, modules):
        words.append(_where(location, modules))
    return words


def _where(location: Mapping[str, Any], modules: Mapping[str, str]) -> str:
    if "slotName" in location:
        return f"in slot {location['slotName']}"
    if "moduleId" in location:
        return f"on {modules.get(str(location['moduleId']), 'a module')}"
    if "addressableAreaName" in location:
        return f"at {location['addressableAreaName']}"
    return "on another labware" if "labwareId" in location else ""


def _load_name(definition_uri: str, load_name: str) -> str:
    return load_name


def describe(command_type: str, params: Mapping[str, Any]) -> str:
    """One command in words, with no labware known: ``aspirate 100 µL from A1``."""
    return CommandWords()(command_type, params)
