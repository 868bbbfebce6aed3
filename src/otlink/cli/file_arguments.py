"""Command-line arguments that name a file: checked as click reads them, so a missing file, a
folder, a link to nothing or an empty file is told in one line with its fix (exit 2) before
anything loads or the robot is asked.

Example::

    @click.command()
    @click.argument("protocol", type=InputFile("protocol file", inside=".py"))
    def run(protocol: Path) -> None: ...
"""

from __future__ import annotations

from pathlib import Path

import click

from otlink.input_files import input_file


class InputFile(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.5 on; we take 8.1
    """A file to read (with ``folder_ok``, a folder of such files too), as a :class:`Path`.

    What is wrong with it is raised as :class:`~otlink.errors.InputFileError`, which the
    ``otlink`` group tells with its hint (see :class:`~otlink.cli.failures.ReportingGroup`)."""

    name = "file"

    def __init__(self, what: str, *, inside: str = "", folder_ok: bool = False) -> None:
        self.what = what
        self.inside = inside
        self.folder_ok = folder_ok

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path:
        return input_file(Path(str(value)), self.what, inside=self.inside, folder_ok=self.folder_ok)


PROTOCOL_FILE = InputFile("protocol file", inside=".py")
LABWARE_FILES = InputFile("labware definition", inside=".json", folder_ok=True)
OFFSETS_FILE = InputFile("labware offsets file", inside=".json")
