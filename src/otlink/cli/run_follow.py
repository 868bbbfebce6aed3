"""Following a played run to its end: what a pause and Ctrl-C do meanwhile.

Where the protocol pauses (``protocol.pause()``, a manual ``move_labware``) its message is
shown, and ``--on-pause`` says what follows: ``ask`` (the default) asks on a terminal whether
to resume, stop, detach or wait, and waits off a terminal; ``wait`` leaves the robot paused
until someone resumes it (the Opentrons App, ``otlink runs resume``); ``resume`` resumes it at
once; ``stop`` stops the run (exit 5).

Ctrl-C asks whether to pause (or resume), stop, or detach (leave the robot running and return);
when nobody can answer (stdin is not a terminal) it stops the run. A second Ctrl-C at the
question stops it too.

Example::

    with RunProgress(output, title, analysis.commands) as progress:
        followed = follow_run(client, run.id, progress, output, on_pause="resume")
    if followed.detached: ...
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rich.markup import escape

from otlink.client import RobotClient
from otlink.errors import RunConflict
from otlink.models import CommandSummary, Run, RunStatus

from .output import Output
from .run_progress import RunProgress

PauseChoice = Literal["ask", "wait", "resume", "stop"]
PAUSE_CHOICES: tuple[PauseChoice, ...] = ("ask", "wait", "resume", "stop")
CHOICES = {"p": "pause", "r": "resume", "s": "stop", "d": "detach", "c": "continue", "w": "wait"}


@dataclass
class FollowedRun:
    """How following ended: the run once it ended (None when detached), whether the user
    stopped it, and the pause's message if it was stopped at a pause (``--on-pause stop``)."""

    run: Run | None
    stopped_by_user: bool = False
    stopped_at_pause: str | None = None

    @property
    def detached(self) -> bool:
        return self.run is None


def pause_message(command: CommandSummary) -> str | None:
    """What a command that pauses the run says (None for any other command).

    >>> pause_message(CommandSummary.model_validate({"id": "c", "key": "k",
    ...     "commandType": "waitForResume", "status": "succeeded", "params": {"message": "Add"},
    ...     "createdAt": "2024-01-01T00:00:00Z"}))
    'Add'
    """
    params: Mapping[str, Any] = command.params
    if command.commandType in ("waitForResume", "pause"):
        return str(params.get("message") or "the protocol paused")
    if command.commandType == "moveLabware" and params.get("strategy") == "manualMoveWithPause":
        return f"move labware {params.get('labwareId')} by hand to {params.get('newLocation')}"
    return None


def follow_run(
    client: RobotClient,
    run_id: str,
    progress: RunProgress,
    output: Output,
    *,
    on_pause: PauseChoice = "ask",
) -> FollowedRun:
    """Show the run's commands as they finish until it ends; pauses and Ctrl-C as above."""
    stopped_by_user = False
    handled = -1  # the index of the pause last handled: it stays unfinished a moment after
    while True:
        try:
            if _follow_to_a_pause(client, run_id, progress, handled):
                handled = progress.done
                message = pause_message(progress.planned[progress.done]) or "paused"
                if not _reaches_pause(client, run_id, progress.done):
                    continue  # resumed elsewhere already: follow on
                choice = _at_pause(client, run_id, message, progress, output, on_pause)
                if choice == "detach":
                    return FollowedRun(None)
                if choice == "stop":
                    client.stop_run(run_id)
                    return FollowedRun(client.wait_for_run(run_id), stopped_at_pause=message)
                continue
            return FollowedRun(client.get_run(run_id), stopped_by_user)
        except KeyboardInterrupt:
            choice = _ask(client, run_id, progress, output)
        if choice == "detach":
            return FollowedRun(None)
        if choice != "continue":
            stopped_by_user |= choice == "stop"
            _act(client, run_id, choice, progress)


def _follow_to_a_pause(
    client: RobotClient, run_id: str, progress: RunProgress, handled: int
) -> bool:
    """Show commands as they finish until the run ends (False) or its next command is one
    that pauses (True), other than the pause at ``handled``: a pause is done only once resumed,
    so following would wait silently."""
    if _pause_next(progress) and progress.done != handled:
        return True
    for index, command in enumerate(client.follow_run(run_id)):
        if index < progress.done:  # following again (after a pause or Ctrl-C) starts at 0
            continue
        progress.finished(command)
        if _pause_next(progress):
            return True
    return False


def _pause_next(progress: RunProgress) -> bool:
    upcoming = progress.planned[progress.done] if progress.done < len(progress.planned) else None
    return upcoming is not None and pause_message(upcoming) is not None


def _reaches_pause(client: RobotClient, run_id: str, index: int) -> bool:
    """Wait until the robot holds at the pause, the command ``index``; False if the run ended
    or went past it (resumed from elsewhere) first."""
    while True:
        run = client.get_run(run_id)
        if run.status == RunStatus.PAUSED:
            return True
        page = client.list_commands(run_id, cursor=index, page_length=1).data
        if run.is_done or (page and page[0].is_done):
            return False
        time.sleep(0.1)


def _at_pause(
    client: RobotClient,
    run_id: str,
    message: str,
    progress: RunProgress,
    output: Output,
    on_pause: PauseChoice,
) -> str:
    """What to do at a pause that says ``message``; resumes the run itself when told to."""
    if on_pause == "ask" and sys.stdin.isatty():
        progress.note(f"paused: {message}")
        choice = _ask(client, run_id, progress, output, paused=message)
    else:
        then = {
            "resume": "--on-pause resume: resuming",
            "stop": "--on-pause stop: stopping the run",
        }.get(on_pause, f"resume it from the Opentrons App or with otlink runs resume {run_id}")
        progress.note(f"paused: {message} ({then})")
        choice = on_pause
    if choice in ("ask", "wait", "continue"):
        return "continue"
    if choice == "resume":
        _act(client, run_id, "resume", progress)
    return choice


def _ask(
    client: RobotClient,
    run_id: str,
    progress: RunProgress,
    output: Output,
    *,
    paused: str | None = None,
) -> str:
    if not sys.stdin.isatty():
        return "stop"
    if paused is not None:
        offered = ["resume", "stop", "detach", "wait"]
        question = f"Paused: {paused}"
    else:
        is_paused = client.get_run(run_id).status == RunStatus.PAUSED
        offered = ["resume" if is_paused else "pause", "stop", "detach", "continue"]
        question = f"Run {run_id}"
    keys = "/".join(f"[{choice[0]}]{choice[1:]}" for choice in offered)
    progress.suspend()
    try:
        while True:
            try:
                answer = output.errors.input(escape(f"{question}: {keys}? ")).strip().lower()
            except (KeyboardInterrupt, EOFError):
                return "stop"
            choice = CHOICES.get(answer[:1]) if answer else offered[0]
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
