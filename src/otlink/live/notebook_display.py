"""A live run's display in a Jupyter notebook: one output, updated in place as the run goes.

It shows the steps done (of the total, when the whole-protocol check counted them), the current
step in the words of ``otlink run``'s progress line (:class:`otlink.models.command_words.
CommandWords`), and the deck with the wells of that step highlighted; when the run ends, the
deck it left. It is made only inside a Jupyter kernel: elsewhere nothing of it runs, and IPython
is not even imported. ``OTLINK_NOTEBOOK_DISPLAY=off`` turns it off in a notebook too.

The protocol's path pays a list append per command, and a look at the local engine's commands
since the last one (between two commands, while that engine is idle): no drawing. A thread of
its own puts the commands into words, follows them on a :class:`otlink.deck.DeckState` and
draws it, at most REDRAWS_PER_SECOND times a second; words and picture are of the same step.
After each notebook cell, and when the run ends, the display is brought up to date before the
cell's output is complete.

Example (a notebook cell; the display appears under it)::

    report = otlink.run_protocol_file("transfer.py", "10.0.0.5")
"""

from __future__ import annotations

import html
import logging
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import Any

REDRAWS_PER_SECOND = 2
_INTERVAL = 1 / REDRAWS_PER_SECOND
_ALL = 1 << 30  # as many commands as there are

RobotCommand = tuple[str, Mapping[str, Any]]
SWITCH = "OTLINK_NOTEBOOK_DISPLAY"

_log = logging.getLogger(__name__)


def jupyter_shell() -> Any:
    """The running Jupyter kernel's shell, or None (a script, a terminal IPython, or the
    display turned off). Imports nothing: without IPython already loaded there is no kernel."""
    if os.environ.get(SWITCH, "").lower() in ("off", "0", "no", "false"):
        return None
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    # Only a kernel's shell has a kernel; a terminal IPython shows no rich output.
    return shell if getattr(shell, "kernel", None) is not None else None


def show_in_notebook(context: Any, definitions: Sequence[Mapping[str, Any]] = ()) -> Any:
    """A :class:`NotebookDisplay` of ``context``'s robot run, when in a Jupyter kernel (it
    closes with the context); None elsewhere, at the cost of a dictionary look-up."""
    shell = jupyter_shell()
    if shell is None:
        return None
    client = context.robot_run.client
    title = f"Live run on {client.url}" if client is not None else "Live run"
    display = NotebookDisplay(title, context.robot_run, context.local_engine_state, definitions)
    context.robot_run.observers.append(display)
    shell.events.register("post_run_cell", display.refresh)
    # Closed after everything else the context holds: the last picture says how the robot run
    # ended (the local engine's state can still be read once it has stopped).
    resources = ExitStack()
    resources.callback(display.close, shell)
    resources.enter_context(context._otlink_resources)
    context._otlink_resources = resources
    return display


class NotebookDisplay:
    """The run's progress and deck in one notebook output (made by :func:`show_in_notebook`).

    It is an observer of the run (called with each robot command before it goes); ``expect``
    tells it the total, ``close`` draws the deck the run left.
    """

    def __init__(
        self,
        title: str,
        robot_run: Any,
        engine: Any,
        definitions: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        from IPython.display import display

        from otlink.deck import DeckState
        from otlink.models.command_words import CommandWords

        self.title = title
        self.total: int | None = None
        self._robot_run = robot_run
        self._engine = engine  # the local engine's state (2.14 and up), else None
        self._engine_cursor = 0  # how many of its commands have been taken
        # What happened, in order: a robot command (None: local only), and the local engine's
        # commands and liquids that came with it. Appended here, read by the drawing thread.
        self._steps: list[tuple[RobotCommand | None, list[Any], list[Any]]] = []
        self._deck = DeckState.from_commands((), definitions=definitions)
        self._words = CommandWords(name_of=self._labware_name)
        self._followed = self._done = 0
        self._current = "starting"
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = self._broken = False
        self._handle = display(self._bundle(None), raw=True, display_id=True)  # type: ignore[no-untyped-call]
        self._thread = threading.Thread(target=self._draw_often, name="otlink-display", daemon=True)
        self._thread.start()

    def expect(self, title: str, steps: int) -> None:
        """The run is of ``steps`` robot commands (the whole-protocol check counted them)."""
        self.title, self.total = title, steps

    def __call__(self, command_type: str, params: Mapping[str, Any]) -> None:
        self._steps.append(((command_type, params), *self._engine_news()))

    def refresh(self, *cell_result: Any) -> None:
        """Bring the display up to date now (after a notebook cell: ``post_run_cell``)."""
        self._steps.append((None, *self._engine_news()))
        self._draw()

    def close(self, shell: Any = None) -> None:
        """Stop drawing as the run goes, and show the deck the run left."""
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        self._thread.join()
        if shell is not None:
            shell.events.unregister("post_run_cell", self.refresh)
        self._steps.append((None, *self._engine_news()))
        self._draw(final=True)

    def _engine_news(self) -> tuple[list[Any], list[Any]]:
        """The local engine's commands since the last look (on the protocol's thread, between
        two commands: that engine is idle), and its liquids when a new one loads a liquid."""
        if self._engine is None:
            return [], []
        found = self._engine.commands.get_slice(self._engine_cursor, _ALL, True)
        news: list[Any] = found.commands[self._engine_cursor - found.cursor :]
        self._engine_cursor += len(news)
        loads_liquid = any(command.commandType == "loadLiquid" for command in news)
        return news, self._engine.liquid.get_all() if loads_liquid else []

    # --- off the protocol's path ----------------------------------------------------------

    def _draw_often(self) -> None:
        while not self._closed:
            self._wake.wait(_INTERVAL)
            if not self._closed and len(self._steps) != self._followed:
                self._draw()

    def _draw(self, final: bool = False) -> None:
        from otlink.deck import deck_svg

        with self._lock:
            if self._broken:
                return
            steps = self._steps[self._followed :]
            self._followed += len(steps)
            try:
                for robot_command, news, liquids in steps:
                    self._follow(robot_command, news, liquids)
                if final:
                    self._deck.current = None  # nothing is being done any more
                svg = deck_svg(self._deck)
            except Exception:  # a picture that cannot be drawn must not stop a robot run
                _log.warning("The notebook display stopped drawing the deck", exc_info=True)
                self._broken = True
                return
            self._handle.update(self._bundle(svg, final), raw=True)

    def _follow(
        self, robot_command: RobotCommand | None, news: list[Any], liquids: list[Any]
    ) -> None:
        if robot_command is not None:
            self._done += 1
            self._current = self._words(*robot_command)
        for liquid in liquids:
            if liquid.id not in self._deck.liquids:
                self._deck.add_liquid(liquid.model_dump(mode="json"))
        if self._engine is not None:
            self._deck.follow(c.model_dump(mode="json", exclude_none=True) for c in news)
        elif robot_command is not None:  # the legacy core: the robot commands are all there is
            command_type, params = robot_command
            self._deck.apply(command_type, params)

    def _bundle(self, svg: str | None, final: bool = False) -> dict[str, str]:
        done = self._done
        of_total = f" of {self.total}" if self.total is not None else ""
        seconds = f"{time.monotonic() - self._started:.1f} s"
        if final:
            ended = self._robot_run.ended
            status = ended.status if ended is not None else "closed"
            line = f"{status}: {done} steps in {seconds}"
        else:
            line = f"step {done}{of_total}: {self._current} ({seconds})"
        page = (
            '<div class="otlink-live-run"><p style="font-family: sans-serif">'
            f"<b>{html.escape(self.title)}</b> {html.escape(line)}</p>{svg or ''}</div>"
        )
        return {"text/plain": f"{self.title} {line}", "text/html": page}

    def _labware_name(self, definition_uri: str, load_name: str) -> str:
        from otlink.deck.definitions import find_labware

        namespace, _, rest = definition_uri.partition("/")
        version = rest.rpartition("/")[2]
        definition = find_labware(
            load_name,
            namespace or None,
            int(version) if version.isdigit() else None,
            self._deck.custom_definitions,
        )
        metadata = (definition or {}).get("metadata", {})
        return str(metadata.get("displayName") or load_name)
