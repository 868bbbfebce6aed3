"""A plan run live on a robot, through the same path as ``otlink run``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from otlink.client import RobotClient
from otlink.live.pauses import PauseHandler, ask_to_continue
from otlink.live.protocol_runner import LiveRunReport, Observer, ProtocolFailed, run_protocol_file
from otlink.live.robot_run import DEFAULT_LOOKAHEAD

from .protocol_text import protocol_text
from .steps import Plan


class RowFailed(Exception):
    """A step failed (on the laptop's engine or on the robot); ``rows`` are the input rows it
    served, ``first_row`` the one to resume from (``--from-row``)."""

    def __init__(self, message: str, rows: tuple[int, ...], cause: BaseException) -> None:
        super().__init__(message)
        self.rows = rows
        self.cause = cause

    @property
    def first_row(self) -> int | None:
        return self.rows[0] if self.rows else None


def run(
    plan: Plan,
    robot: str | RobotClient,
    *,
    observers: Iterable[Observer] = (),
    lookahead: int = DEFAULT_LOOKAHEAD,
    on_pause: PauseHandler = ask_to_continue,
) -> LiveRunReport:
    """Run ``plan`` live on ``robot``: the protocol :func:`protocol_text` writes, run as
    ``otlink run`` runs a file (each command checked on a local engine, then on the robot).

    Raises :class:`RowFailed` naming the rows of the failed step, and
    ``otlink.live.protocol_runner.RunInterrupted`` after Ctrl-C.

    Example::

        report = run(plan, "10.0.0.5")
        print(report.commands, "robot commands")
    """
    protocol = protocol_text(plan)
    with tempfile.TemporaryDirectory(prefix="otlink-worklist-") as folder:
        path = Path(folder) / f"{Path(plan.source).stem or 'worklist'}.py"
        path.write_text(protocol.text, encoding="utf-8")
        try:
            return run_protocol_file(
                path,
                robot,
                labware=plan.deck.custom_definitions(),
                observers=observers,
                on_pause=on_pause,
                lookahead=lookahead,
            )
        except ProtocolFailed as failure:
            rows = protocol.rows_at_line.get(failure.line or 0, ())
            where = f"row {', '.join(str(r) for r in rows)}" if rows else "before the first row"
            raise RowFailed(f"{where}: {failure.cause}", rows, failure.cause) from failure
