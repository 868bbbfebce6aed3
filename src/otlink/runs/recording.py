"""A strategy that runs nothing: the commands are kept, for dry runs and previews."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from otlink.runs.sink import Origin, RunEnd

if TYPE_CHECKING:
    from otlink.client import RobotClient
    from otlink.models import Command

__all__ = ["RecordedCommand", "RecordingRun"]


@dataclass(frozen=True)
class RecordedCommand:
    """One command a protocol issued, and where it issued it."""

    command_type: str
    params: Mapping[str, Any]
    origin: Origin | None = None


@dataclass(eq=False)
class RecordingRun:
    """Keeps every command instead of running it; ``client`` (optional) is the robot a
    check may read (its pipettes and modules), never one it moves.

    Example::

        run = RecordingRun()
        run.execute("home", {})
        print([c.command_type for c in run.commands])    # ["home"]
    """

    client: RobotClient | None = None
    commands: list[RecordedCommand] = field(default_factory=list)
    definitions: list[Mapping[str, Any]] = field(default_factory=list)
    run_id: str = field(default_factory=lambda: f"recording-{uuid4()}")
    ended: RunEnd | None = None

    def execute(
        self, command_type: str, params: Mapping[str, Any], origin: Origin | None = None
    ) -> Command | None:
        self.commands.append(RecordedCommand(command_type, dict(params), origin))
        return None

    def sync(self) -> None:
        return None

    def add_labware_definition(self, definition: Mapping[str, Any]) -> str:
        self.definitions.append(definition)
        name = definition.get("parameters", {}).get("loadName")
        return f"{definition.get('namespace')}/{name}/{definition.get('version')}"

    def finish(self) -> RunEnd:
        return self._end()

    def stop(self) -> RunEnd:
        return self._end()

    def _end(self) -> RunEnd:
        if self.ended is None:
            last = self.commands[-1].command_type if self.commands else None
            self.ended = RunEnd(self.run_id, "recorded", 0, last)
        return self.ended
