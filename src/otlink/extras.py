"""What each optional part of otlink needs installed, and the one check that says so.

``pip install otlink`` is the light part (client, models, errors, discovery, the robot-management
CLI). The rest comes with extras: ``otlink[live]``, ``otlink[emulator]``, ... A package or command
that needs one calls :func:`require_extra` before it imports the heavy dependency, so a user
without it reads one sentence with the pip line (and the CLI exits 2) instead of a traceback::

    from otlink.extras import require_extra

    require_extra("emulator", "otlink emulate")
    # otlink.errors.MissingExtra: otlink emulate needs the virtual OT-2:
    #     pip install 'otlink[emulator]'

This module imports nothing heavy: only the standard library and :mod:`otlink.errors`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from otlink.errors import MissingExtra

__all__ = ["EXTRAS", "Extra", "require_extra"]


@dataclass(frozen=True)
class Extra:
    """An extra of the otlink distribution: what it gives, and the modules that tell it is there."""

    gives: str
    modules: tuple[str, ...]


# Keep in step with [project.optional-dependencies] in pyproject.toml: the import names of the
# packages each extra adds (tests/packaging checks every extra is listed here).
EXTRAS: dict[str, Extra] = {
    "live": Extra("live protocols (opentrons)", ("opentrons",)),
    "emulator": Extra("the virtual OT-2", ("opentrons", "fastapi", "uvicorn", "python_multipart")),
    "deck": Extra("deck pictures", ("opentrons", "cairosvg")),
    "worklist": Extra("worklists", ("opentrons", "openpyxl")),
    "console": Extra("the web console", ("opentrons", "fastapi", "uvicorn", "jinja2")),
}


def require_extra(extra: str, needed_by: str) -> None:
    """Raise :class:`~otlink.errors.MissingExtra` unless the packages of ``extra`` are installed.

    ``needed_by`` names what needs them, as the user called it ("otlink emulate",
    "otlink.get_protocol_api"). Nothing is imported: the packages are only looked up.
    """
    missing = [module for module in EXTRAS[extra].modules if not _installed(module)]
    if missing:
        raise MissingExtra(extra, needed_by, EXTRAS[extra].gives, missing)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent that is not a package, a module without spec
        return False
