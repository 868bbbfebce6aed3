"""The one check of a file a user names (a protocol, labware, offsets, data, worklist or deck
file) before otlink reads it: a missing file, a link to nothing, a folder or an empty file is
told in one line with its fix, as :class:`~otlink.errors.InputFileError`.

Example::

    from pathlib import Path
    from otlink.input_files import input_file

    input_file(Path("protocols"), "protocol file", inside=".py")
    # InputFileError: protocols is a folder, not a protocol file
    #   hint: give the protocol file itself (in it: dilution.py, transfer.py)

What a file holds (its syntax, its encoding) is for the reader of that kind of file to judge.
This module imports nothing of otlink but :mod:`otlink.errors`: every layer may use it.
"""

from __future__ import annotations

import os
from pathlib import Path

from otlink.errors import InputFileError

__all__ = ["input_file"]


def input_file(path: Path, what: str, *, inside: str = "", folder_ok: bool = False) -> Path:
    """``path``, if it is a non-empty file (or, with ``folder_ok``, a folder of ``inside`` files)
    to read; else raise InputFileError that names the problem and the fix. ``what`` names the
    file to the user ("protocol file"); ``inside`` is the suffix of such files, listed when a
    folder is given."""
    if path.is_dir():
        found = sorted(child.name for child in path.glob(f"*{inside}") if child.is_file())[:3]
        if folder_ok and found:
            return path
        if folder_ok:
            raise _problem(
                path,
                f"{path} is a folder with no {what} ({inside} files) in it",
                f"give the folder that holds them, or the {inside} files themselves",
            )
        listed = f" (in it: {', '.join(found)})" if found else ""
        raise _problem(path, f"{path} is a folder, not a {what}", f"give the {what} itself{listed}")
    if not path.exists():
        if path.is_symlink():
            target = os.readlink(path)
            raise _problem(
                path,
                f"{path} is a link to {target}, which does not exist",
                "give the file itself, or mend the link",
            )
        raise _problem(path, f"no such {what}: {path}", "check the path (and the folder)")
    if path.is_file() and path.stat().st_size == 0:
        raise _problem(
            path, f"{path} is empty", f"give the {what} that has the content (was it saved?)"
        )
    return path


def _problem(path: Path, message: str, hint: str) -> InputFileError:
    return InputFileError(message, file=str(path), hint=hint)
