"""Custom labware definitions and labware offsets, read from files a user keeps.

A file otlink cannot read raises :class:`~otlink.errors.InputFileError` naming the file, the
line and what is wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from otlink.errors import InputFileError
from otlink.input_files import input_file

__all__ = [
    "LabwareSource",
    "OffsetSource",
    "labware_paths",
    "load_labware_definitions",
    "load_offsets",
]

LabwareSource = str | os.PathLike[str] | Mapping[str, Any]
OffsetSource = Iterable[Mapping[str, Any]] | str | os.PathLike[str]

_OFFSET_FIELDS = ("definitionUri", "location", "vector")


def labware_paths(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The labware JSON files among ``sources``: files as given, and the ``*.json`` of folders.

    >>> labware_paths(["labware/", "extra/my_plate.json"])  # doctest: +SKIP
    [PosixPath('labware/deep_well.json'), PosixPath('extra/my_plate.json')]
    """
    files: list[Path] = []
    for source in sources:
        path = input_file(Path(source), "labware definition", inside=".json", folder_ok=True)
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return files


def load_labware_definitions(sources: Iterable[LabwareSource]) -> list[dict[str, Any]]:
    """Labware definitions from dicts, JSON files and folders of JSON files.

    >>> load_labware_definitions(["labware/", "extra/my_plate.json"])  # doctest: +SKIP
    """
    definitions: list[dict[str, Any]] = []
    for source in sources:
        if isinstance(source, Mapping):
            definitions.append(dict(source))
            continue
        for file in labware_paths([source]):
            definitions.append(_labware_definition(file))
    return definitions


def load_offsets(source: OffsetSource) -> list[dict[str, Any]]:
    """Labware offsets from a list, or a JSON file holding a list (or ``{"data": [...]}``) of
    ``{definitionUri, location, vector}``."""
    if not isinstance(source, str | os.PathLike):
        return [dict(offset) for offset in source]
    path = Path(source)
    loaded = _json(path, "a labware offsets file")
    loaded = loaded.get("data", loaded) if isinstance(loaded, dict) else loaded
    example = '[{"definitionUri": ..., "location": {"slotName": "1"}, "vector": {"x": 0, ...}}]'
    if not isinstance(loaded, list):
        raise InputFileError(
            f"{path.name} is not a list of labware offsets", hint=f"write {example}", file=str(path)
        )
    for index, offset in enumerate(loaded):
        missing = [f for f in _OFFSET_FIELDS if not isinstance(offset, dict) or f not in offset]
        if missing:
            raise InputFileError(
                f"{path.name}: offset {index + 1} lacks {', '.join(missing)}",
                hint=f"each offset is {{definitionUri, location, vector}}: {example}",
                file=str(path),
            )
    return [dict(offset) for offset in loaded]


def _labware_definition(path: Path) -> dict[str, Any]:
    definition = _json(path, "a labware definition")
    try:
        definition["namespace"], definition["version"], definition["parameters"]["loadName"]
    except (TypeError, KeyError):
        raise InputFileError(
            f"{path.name} is not a labware definition (no namespace, version or"
            " parameters.loadName)",
            hint="make it with the Opentrons Labware Creator (labware.opentrons.com/create)",
            file=str(path),
        ) from None
    return dict(definition)


def _json(path: Path, what: str) -> Any:
    input_file(path, what.removeprefix("a "), inside=".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"{path.name} is not text ({error.reason} at byte {error.start})",
            hint=f"it should hold {what} as JSON: is this the right file?",
            file=str(path),
        ) from None
    except OSError as error:
        raise InputFileError(
            f"cannot read {path}: {error.strerror or error}",
            hint="give a file you can read",
            file=str(path),
        ) from None
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"{path.name} is not valid JSON ({error.msg}, line {error.lineno} column"
            f" {error.colno})",
            hint=f"it should hold {what}; fix line {error.lineno}",
            file=str(path),
            line=error.lineno,
        ) from None
