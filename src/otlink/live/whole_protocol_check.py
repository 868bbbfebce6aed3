"""The whole protocol, checked before the robot moves: a dry run with the robot's equipment.

``otlink run FILE`` first runs the entire file on the laptop: the same local simulation every
live command goes through, with the same labware, parameters and data files, on simulated
hardware that has the robot's own pipettes; its robot commands are recorded, not sent
(:class:`otlink.runs.RecordingRun`). The protocol's modules must be among the robot's. A
failure anywhere (the 6th step over-aspirates, a pipette the robot lacks) is raised as
ProtocolFailed with the protocol's line, before any run is made on the robot. A file that
passes gives how many robot commands it will send and about how long the robot will take.

Example::

    check = check_whole_protocol(read_protocol(Path("transfer.py")), client)
    print(check.steps, "steps, about", round(check.seconds / 60), "min")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from otlink.client import RobotClient
from otlink.runs.recording import RecordedCommand

from .dry_run import NOTHING_RAN, dry_run, refused
from .duration_estimate import DurationEstimate
from .protocol_file import ProtocolFile
from .robot_equipment import RobotEquipment

_HINT = f"fix the protocol; {NOTHING_RAN} (--no-check skips this check)"


@dataclass(frozen=True)
class ProtocolCheck:
    """A protocol that passed: its robot commands (``steps``) and each one's estimated time."""

    step_seconds: tuple[float, ...]

    @property
    def steps(self) -> int:
        return len(self.step_seconds)

    @property
    def seconds(self) -> float:
        """The estimated time the robot takes for the whole protocol."""
        return sum(self.step_seconds)

    def seconds_after(self, done: int) -> float:
        """The estimated time left once ``done`` steps have run."""
        return sum(self.step_seconds[done:])


def check_whole_protocol(
    protocol: ProtocolFile,
    client: RobotClient,
    parameter_values: Any = None,
    definitions: Sequence[dict[str, Any]] = (),
) -> ProtocolCheck:
    """Dry-run ``protocol`` as ``otlink run`` would run it on ``client``'s robot (homing first),
    moving nothing there; raise ProtocolFailed, with the protocol's line, where it fails."""
    equipment = RobotEquipment.of(client)
    dry = dry_run(
        protocol,
        client,
        parameter_values,
        definitions,
        hardware_factory=equipment.hardware,
        failure_hint=_HINT,
    )
    if dry.failure is not None:
        raise dry.failure
    _refuse_missing_modules(protocol, dry.commands, equipment)
    estimate = DurationEstimate()
    return ProtocolCheck(
        tuple(estimate.seconds(command.command_type, command.params) for command in dry.commands)
    )


def _refuse_missing_modules(
    protocol: ProtocolFile, commands: Sequence[RecordedCommand], equipment: RobotEquipment
) -> None:
    taken: list[str] = []
    for command in commands:
        if command.command_type != "loadModule":
            continue
        requested = str(command.params["model"])
        serial = equipment.module_for(requested, taken)
        if serial is None:
            attached = ", ".join(model for _, model, _ in equipment.modules) or "none"
            line = command.origin[1] if command.origin else None
            raise refused(
                protocol,
                f"loadModule: the protocol needs a {requested}; this robot has no free one"
                f" (attached modules: {attached})",
                line,
                None,
                hint="attach the module (on the virtual OT-2: otlink emulate --module MODEL)",
            )
        taken.append(serial)
