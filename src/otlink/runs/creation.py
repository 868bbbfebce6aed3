"""Creating a live run that a broken connection cannot leave behind.

``POST /runs`` carries no key, so the client does not send it again after a connection broke
with the request maybe sent: the robot may have created the run, and it is then the robot's
current run, idle, which would refuse the next run (409 RunAlreadyActive). After such a break
the robot is asked: a current run that is idle, never played and empty, with the labware offsets
we sent, is ours (robot-server refuses a new run while another is active, so nobody else's run
can be current and fresh unless it was created in the same instant); no current run means the
post was lost, and it is sent again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.errors import RobotUnreachable
from otlink.models import Run, RunStatus

__all__ = ["create_live_run"]

_TRIES = 3


def create_live_run(client: RobotClient, labware_offsets: Iterable[Mapping[str, Any]] = ()) -> str:
    """A new live run (no protocol) on ``client``'s robot; returns its id.

    Example::

        run_id = create_live_run(robot, [{"definitionUri": ..., "vector": ...}])
    """
    offsets = list(labware_offsets)
    tries = 0
    while True:
        tries += 1
        try:
            return client.create_run(labware_offsets=offsets).id
        except RobotUnreachable as unreachable:
            if not unreachable.maybe_sent or tries >= _TRIES:
                raise
            failure = unreachable
        try:
            current = [run for run in client.list_runs(page_length=1) if run.current]
        except RobotUnreachable:
            raise failure from None
        if current and _fresh(current[0], len(offsets)):
            return current[0].id
        if current:  # someone else's run: ours was lost, and a new one would be refused
            raise failure


def _fresh(run: Run, offsets: int) -> bool:
    """Idle, never played, nothing loaded: a run just created, with ``offsets`` offsets."""
    return (
        run.status == RunStatus.IDLE
        and not run.actions
        and run.protocolId is None
        and not (run.pipettes or run.labware or run.modules)
        and len(run.labwareOffsets) == offsets
    )
