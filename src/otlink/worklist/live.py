"""A plan run live on a robot, through the same path as ``otlink run``."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from otlink.client import RobotClient
from otlink.errors import ProtocolFailed
from otlink.live.pauses import PauseHandler, ask_to_continue
from otlink.live.protocol_runner import LiveRunReport, Observer, run_protocol_file
from otlink.live.robot_run import DEFAULT_LOOKAHEAD

from .protocol_text import protocol_text
from .steps import Plan


class RowFailed(ProtocolFailed):
    """A step failed (in the whole-plan check on the laptop, or on the robot); ``rows`` are
    the input rows it served, ``first_row`` the one to resume from (``--from-row``)."""

    def __init__(self, failure: ProtocolFailed, rows: tuple[int, ...], source: str) -> None:
        where = f"row {', '.join(str(r) for r in rows)}" if rows else "before the first row"
        cause = failure.cause or failure
        hint = f"fix the cause, then resume with --from-row {rows[0]}" if rows else failure.hint
        super().__init__(
            f"{source} {where}: {cause}",
            failure.line,
            cause,
            error_type=failure.error_type,
            detail=failure.detail,
            hint=hint,
        )
        self.rows = rows

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
    on_checked: Callable[[Any], None] | None = None,
) -> LiveRunReport:
    """Run ``plan`` live on ``robot``: the protocol :func:`protocol_text` writes, run as
    ``otlink run`` runs a file (each command checked on a local engine, then on the robot).

    The whole protocol is checked on the laptop first, so a step the engine refuses moves
    nothing. Raises :class:`RowFailed` naming the rows of the failed step, and
    :class:`otlink.errors.RunInterrupted` after Ctrl-C.

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
                on_checked=on_checked,
            )
        except ProtocolFailed as failure:
            rows = protocol.rows_at_line.get(failure.line or 0, ())
            raise RowFailed(failure, rows, plan.source) from failure
