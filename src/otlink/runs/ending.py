"""Ending a live run on the robot as it really ended, leaving no active run behind.

robot-server records a run's outcome only when the run is played: a live run that is never
played (every command a setup command) ends ``stopped`` whatever happened. So a complete
protocol is played at its end (a run never played, or one waiting at its last hold, with nothing
queued): the robot finishes as after any protocol (it drops its tips and homes) and records
``succeeded``. Anything else is stopped, waited for until the robot says ``stopped`` (or
``failed``, if a protocol command failed), and only then archived: archiving an active run is
refused (409 RunNotIdle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.errors import OtlinkError
from otlink.runs.sink import RunEnd

__all__ = ["HOLD", "HOLD_MESSAGE_START", "end_run", "is_otlink_hold"]

#: The command type of the holds otlink adds to keep a played run open.
HOLD = "waitForResume"
#: How the message of each of those holds begins (a protocol's own pauses are holds too).
HOLD_MESSAGE_START = "otlink"


def is_otlink_hold(command_type: str, params: Mapping[str, Any] | None) -> bool:
    """Whether a command of a robot's record is a hold otlink added (not the protocol's own).

    Example::

        shown = [
            c for c in client.iter_commands(run_id) if not is_otlink_hold(c.commandType, c.params)
        ]
    """
    message = (params or {}).get("message")
    return command_type == HOLD and str(message or "").startswith(HOLD_MESSAGE_START)


# A robot that homes and drops its tips at the end of a run takes seconds; a stopped one less.
_ENDING_TIMEOUT = 120.0


def end_run(client: RobotClient, run_id: str, *, complete: bool) -> RunEnd:
    """Make the robot's run ended and not current; ``complete``: the protocol ran whole.

    Example::

        end = end_run(robot, run.id, complete=False)    # Ctrl-C
        print(end.status, end.commands_ran)              # "stopped", 12
    """
    try:
        run = client.get_run(run_id)
        if not run.is_done:
            if complete and run.status in ("idle", "paused"):  # never played, or at a hold
                client.play_run(run_id)
            elif run.status not in ("finishing", "stop-requested"):  # else it ends by itself
                client.stop_run(run_id)
            run = client.wait_for_run(run_id, timeout=_ENDING_TIMEOUT)
        if run.current:
            client.archive_run(run_id)
    except OtlinkError as error:
        return RunEnd(run_id, "unknown", *_ran(client, run_id), problem=str(error))
    return RunEnd(run_id, str(run.status), *_ran(client, run_id))


def _ran(client: RobotClient, run_id: str) -> tuple[int, str | None]:
    """How many commands the robot ran (started), holds apart, and the last one's type."""
    count, last = 0, None
    try:
        for command in client.iter_commands(run_id):
            if command.startedAt is not None and command.commandType != HOLD:
                count, last = count + 1, command.commandType
    except OtlinkError:
        return -1, None
    return count, last
