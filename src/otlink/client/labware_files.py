"""Custom labware definitions and labware offsets, read from files a user keeps."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

LabwareSource = str | os.PathLike[str] | Mapping[str, Any]
OffsetSource = Iterable[Mapping[str, Any]] | str | os.PathLike[str]


def load_labware_definitions(sources: Iterable[LabwareSource]) -> list[dict[str, Any]]:
    """Labware definitions from dicts, JSON files and folders of JSON files.

    >>> load_labware_definitions(["labware/", "extra/my_plate.json"])  # doctest: +SKIP
    """
    definitions: list[dict[str, Any]] = []
    for source in sources:
        if isinstance(source, Mapping):
            definitions.append(dict(source))
            continue
        path = Path(source)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        definitions += [json.loads(file.read_text()) for file in files]
    return definitions


def load_offsets(source: OffsetSource) -> list[dict[str, Any]]:
    """Labware offsets from a list, or a JSON file holding a list (or ``{"data": [...]}``)."""
    if isinstance(source, str | os.PathLike):
        loaded = json.loads(Path(source).read_text())
        loaded = loaded.get("data", loaded) if isinstance(loaded, dict) else loaded
        return [dict(offset) for offset in loaded]
    return [dict(offset) for offset in source]
