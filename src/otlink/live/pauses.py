"""What a protocol's pause does in a live run: the laptop waits, the robot stays ready.

On a robot, ``protocol.pause()`` (``waitForResume``) and a manual ``move_labware`` (a
``moveLabware`` that pauses) pause the run until someone resumes it. A live run cannot do that: a
pause there stops taking commands for good (resuming is ``play``, which closes a live run to
the commands that follow). So the pause happens where the protocol runs, on the laptop: otlink
asks its pause handler, and only when it returns does the protocol go on (a manual move is then
sent to the robot as one that does not pause, so the robot knows where the labware now is).

The default handler asks on the terminal::

    Paused: Add the reagents. Press Enter to continue.

Pass your own to ``get_protocol_api(..., on_pause=...)``, e.g. a Jupyter widget or a message to
a lab chat, or ``on_pause=lambda message: None`` to go straight on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from opentrons.protocol_engine import commands as pe_commands
from opentrons.protocol_engine.types import LabwareMovementStrategy

PauseHandler = Callable[[str], None]
"""Called with what the pause says; the protocol goes on once it returns."""


def ask_to_continue(message: str) -> None:
    """Show ``message`` and wait for Enter. In a Jupyter kernel the prompt is the notebook's
    input box. Where nobody can answer (stdin closed, a notebook run without a frontend that
    takes input, which raises StdinNotImplementedError) it says so, and how to wait instead,
    and goes on: it never raises."""
    prompt = f"Paused: {message} Press Enter to continue."
    try:
        if _in_a_kernel():
            input(prompt)  # the kernel shows the prompt with its input box
        else:
            print(prompt, file=sys.stderr, flush=True)
            input()
    except (EOFError, NotImplementedError):  # IPython's StdinNotImplementedError is one
        # Said where the person reads (the cell's output in a notebook), with how to wait.
        print(
            f"Paused: {message} Nobody can answer here (no input), so the protocol goes on."
            " To wait at pauses, run it where input is allowed, or pass"
            " get_protocol_api(..., on_pause=handler).",
            file=sys.stderr,
            flush=True,
        )


def _in_a_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


def pause_message(command: pe_commands.Command, state: Any) -> str | None:
    """What to tell the person at the robot if ``command`` (run locally) is a pause, else None.

    ``state`` is the local engine's state view, to name the labware a manual move is about.
    """
    params = command.params
    if command.commandType == "waitForResume":
        return str(params.message or "The protocol paused.")
    if (
        command.commandType == "moveLabware"
        and params.strategy == LabwareMovementStrategy.MANUAL_MOVE_WITH_PAUSE
    ):
        name = state.labware.get_display_name(params.labwareId) or state.labware.get_load_name(
            params.labwareId
        )
        return f"Move {name} to {_where(params.newLocation)} by hand."
    return None


def _where(location: Any) -> str:
    if hasattr(location, "slotName"):
        return f"slot {getattr(location.slotName, 'value', location.slotName)}"
    if hasattr(location, "moduleId"):
        return f"module {location.moduleId}"
    if hasattr(location, "labwareId"):
        return f"labware {location.labwareId}"
    return str(getattr(location, "value", location))
