"""Following a played run to its end, and what Ctrl-C does meanwhile.

Ctrl-C asks whether to pause (or resume), stop, or detach (leave the robot running and return);
when nobody can answer (stdin is not a terminal) it stops the run. A second Ctrl-C at the
question stops it too.

Example::

    with RunProgress(output, title, analysis.commands) as progress:
        followed = follow_run(client, run.id, progress, output)
    if followed.detached: ...
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from rich.markup import escape

from otlink.client import RobotClient
from otlink.errors import RunConflict
from otlink.models import Run, RunStatus

from .output import Output
from .run_progress import RunProgress

CHOICES = {"p": "pause", "r": "resume", "s": "stop", "d": "detach", "c": "continue"}


@dataclass
class FollowedRun:
    """How following ended: the run once it ended (None when detached), and whether the user
    stopped it."""

    run: Run | None
    stopped_by_user: bool = False

    @property
    def detached(self) -> bool:
        return self.run is None


def follow_run(
    client: RobotClient, run_id: str, progress: RunProgress, output: Output
) -> FollowedRun:
    """Show the run's commands as they finish until it ends; Ctrl-C offers the choices."""
    stopped_by_user = False
    while True:
        try:
            for index, command in enumerate(client.follow_run(run_id)):
                if index >= progress.done:  # after a Ctrl-C the stream starts again
                    progress.finished(command)
            return FollowedRun(client.get_run(run_id), stopped_by_user)
        except KeyboardInterrupt:
            choice = _ask(client, run_id, progress, output)
        if choice == "detach":
            return FollowedRun(None)
        if choice != "continue":
            stopped_by_user |= choice == "stop"
            _act(client, run_id, choice, progress)


def _ask(client: RobotClient, run_id: str, progress: RunProgress, output: Output) -> str:
    if not sys.stdin.isatty():
        return "stop"
    paused = client.get_run(run_id).status == RunStatus.PAUSED
    offered = ["resume" if paused else "pause", "stop", "detach", "continue"]
    keys = escape("/".join(f"[{choice[0]}]{choice[1:]}" for choice in offered))
    progress.suspend()
    try:
        while True:
            try:
                answer = output.errors.input(f"Run {run_id}: {keys}? ").strip().lower()
            except (KeyboardInterrupt, EOFError):
                return "stop"
            choice = CHOICES.get(answer[:1])
            if choice in offered:
                return choice
    finally:
        progress.resume()


def _act(client: RobotClient, run_id: str, choice: str, progress: RunProgress) -> None:
    try:
        if choice == "pause":
            client.pause_run(run_id)
            progress.note("paused (Ctrl-C to resume, stop or detach)")
        elif choice == "resume":
            client.resume_run(run_id)
            progress.note("resumed")
        else:
            client.stop_run(run_id)
            progress.note("stopping")
    except RunConflict as conflict:  # the run ended meanwhile: following shows how
        progress.note(f"could not {choice}: {conflict.detail}")
