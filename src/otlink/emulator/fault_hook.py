"""Where injected faults enter an engine: the picked command's own execution raises them.

The engine builds each command's implementation from the queued command (its private
``_ImplementationCls``) inside the executor's try block. For a picked command that one command's
implementation is swapped, just before it runs, for one that raises the fault, so the engine takes
its own path for a failed command: the command fails with the error, queued commands fail, a
played run fails. Commands are numbered by an engine plugin as they are queued, which is the order
of the run's command list.
"""

from __future__ import annotations

from functools import partial
from typing import Any, NoReturn

from opentrons.protocol_engine import ProtocolEngine
from opentrons.protocol_engine.actions import Action, QueueCommandAction
from opentrons.protocol_engine.plugins import AbstractPlugin
from opentrons_shared_data.errors import EnumeratedError

from .faults import FaultPlan


class _CommandTally(AbstractPlugin):
    """Each queued command's index in the run and its count among commands of its type."""

    def __init__(self) -> None:
        self.positions: dict[str, tuple[int, int]] = {}
        self._per_type: dict[str, int] = {}

    def handle_action(self, action: Action) -> None:
        if isinstance(action, QueueCommandAction):
            command_type = action.request.commandType
            nth = self._per_type.get(command_type, 0) + 1
            self._per_type[command_type] = nth
            self.positions[action.command_id] = (len(self.positions), nth)


class _InjectedFault:
    """Stands in for a command's implementation: it fails at once, moving nothing."""

    def __init__(self, error: EnumeratedError, **_dependencies: Any) -> None:
        self._error = error

    async def execute(self, params: Any) -> NoReturn:
        raise self._error


def inject_faults(engine: ProtocolEngine, plan: FaultPlan, run_id: str) -> None:
    """Let ``plan`` fail commands of ``engine``; costs a dictionary lookup per command."""
    tally = _CommandTally()
    engine.add_plugin(tally)
    # opentrons (pinned <9) offers no hook at execution time; the executor is reached directly.
    executor = engine._queue_worker._command_executor
    execute = executor.execute
    commands = engine.state_view.commands

    async def execute_with_faults(command_id: str) -> None:
        position = tally.positions.get(command_id) if plan.rules else None
        if position is not None:
            index, nth = position
            command = commands.get(command_id)
            error = plan.fault_for(run_id, command_id, command.commandType, index=index, nth=nth)
            if error is not None:
                command._ImplementationCls = partial(_InjectedFault, error)
        await execute(command_id=command_id)

    executor.execute = execute_with_faults
