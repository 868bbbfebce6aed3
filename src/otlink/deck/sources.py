"""Decks from where the commands are: a robot run, a live protocol context. (A protocol file's
deck comes from the dry run ``otlink run`` checks with: :mod:`otlink.live.dry_run` gives the
commands, :meth:`DeckState.from_commands` follows them.)

Example::

    deck = deck_from_robot_run(RobotClient("10.0.0.5"), run_id)
    Path("deck.svg").write_text(deck_svg(deck))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from otlink.client import RobotClient
from otlink.runs.ending import is_otlink_hold

from .state import DeckState

# Commands whose result says what they loaded (a robot's command list leaves results out).
_LOADS = ("loadLabware", "loadModule", "loadPipette")


def robot_run_commands(client: RobotClient, run_id: str) -> list[dict[str, Any]]:
    """A robot run's commands as dicts, the loads with their results (fetched one by one:
    the robot's command list has no results), without the holds otlink adds to a live run."""
    commands: list[dict[str, Any]] = []
    for summary in client.iter_commands(run_id):
        if is_otlink_hold(summary.commandType, summary.params):
            continue
        command = summary.model_dump(mode="json")
        if summary.commandType in _LOADS and str(summary.status) == "succeeded":
            command["result"] = client.get_command(run_id, summary.id).result
        commands.append(command)
    return commands


def deck_from_robot_run(
    client: RobotClient, run_id: str, commands: list[dict[str, Any]] | None = None
) -> DeckState:
    """The deck as a robot run has it: its loads, liquids and every command it ran."""
    run = client.get_run(run_id)
    if commands is None:
        commands = robot_run_commands(client, run_id)
    return DeckState.from_commands(commands, liquids=run.liquids)


def deck_of_engine(state: Any, definitions: Iterable[Mapping[str, Any]] = ()) -> DeckState:
    """The deck of an opentrons protocol engine's ``state`` (a ``StateView``): its commands, with
    their results, and its liquids."""
    return DeckState.from_commands(
        (c.model_dump(mode="json", exclude_none=True) for c in state.commands.get_all()),
        liquids=(liquid.model_dump(mode="json") for liquid in state.liquid.get_all()),
        definitions=definitions,
    )


def deck_of_context(context: Any) -> DeckState:
    """The deck of a live protocol context (``otlink.get_protocol_api``) so far.

    From its local engine's state where it has one (apiLevel 2.14 and up: liquids included),
    else from its robot run.
    """
    state = context.local_engine_state
    if state is not None:
        return deck_of_engine(state)
    robot_run = context.robot_run
    return deck_from_robot_run(robot_run.client, robot_run.id)
