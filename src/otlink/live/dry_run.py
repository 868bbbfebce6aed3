"""A protocol file run on the laptop with nothing sent: the commands it would send a robot.

One dry run serves both ``otlink run``'s check before the robot moves
(:mod:`otlink.live.whole_protocol_check`) and ``otlink deck``'s pictures: the live context on
simulated hardware (with a robot's own pipettes and modules, or taking whatever the protocol
loads), its robot commands recorded by :class:`otlink.runs.RecordingRun`, not sent. Every
apiLevel runs: below 2.14 on opentrons' legacy core, as a live run does, so legacy protocols
with modules run here too. A failure anywhere is kept with the protocol's line, and with the
commands issued before it.

Example::

    dry = dry_run(read_protocol(Path("transfer.py")))
    print(len(dry.commands), "robot commands", dry.failure or "and no failure")
    render(dry.deck(), "png", at_start=True)   # otlink.deck: the set-up it needs
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opentrons.protocols.execution.errors import ExceptionInProtocolError

from otlink.client import RobotClient
from otlink.errors import OtlinkError, ProtocolFailed
from otlink.runs import RecordingRun
from otlink.runs.recording import RecordedCommand

from .context import live_context
from .local_engine import HardwareFactory, simulated_hardware
from .protocol_file import ProtocolFile
from .robot_run import RobotRun

if TYPE_CHECKING:
    from otlink.deck import DeckState

NOTHING_RAN = "nothing ran on the robot"


@dataclass(frozen=True)
class DryRun:
    """What a protocol did on the laptop.

    ``commands`` are the robot commands it issued, in order; ``failure`` is where it failed,
    if it did (the commands stop there). ``engine`` is the state of the local engine it ran
    on (apiLevel 2.14 and up; None below), read after the run; ``definitions`` its custom
    labware.
    """

    commands: list[RecordedCommand]
    failure: ProtocolFailed | None = None
    engine: Any = None
    definitions: Sequence[Mapping[str, Any]] = ()

    def deck(self) -> DeckState:
        """The deck the protocol set up and left (:mod:`otlink.deck`): from the local engine
        where there is one (with the liquids it loaded, which never go to a robot), else from
        the robot commands."""
        from otlink.deck import DeckState, deck_of_engine

        if self.engine is not None:
            return deck_of_engine(self.engine, self.definitions)
        return DeckState.from_commands(
            ({"commandType": c.command_type, "params": c.params} for c in self.commands),
            definitions=self.definitions,
        )


def dry_run(
    protocol: ProtocolFile,
    client: RobotClient | None = None,
    parameter_values: Any = None,
    definitions: Sequence[dict[str, Any]] = (),
    *,
    hardware_factory: HardwareFactory = simulated_hardware,
    failure_hint: str = f"fix the protocol; {NOTHING_RAN}",
) -> DryRun:
    """Run ``protocol`` (homing first, as ``otlink run`` does) with its robot commands recorded;
    ``client`` is a robot it may read (its modules' readings), never move."""
    run = RobotRun.recording(client)
    failure = None
    with ExitStack() as resources:
        context = live_context(
            protocol.api_level,
            run,
            list(definitions),
            lambda message: None,  # a pause in a dry run: nobody to ask, nothing to wait for
            resources=resources,
            hardware_factory=hardware_factory,
        )
        engine = context.local_engine_state
        try:
            context.home()
            protocol.run(context, parameter_values)
        except ExceptionInProtocolError as error:
            cause = error.original_exc
            failure = refused(protocol, str(cause), error.line, cause, failure_hint)
        except OtlinkError as error:  # outside the protocol's code: the home
            failure = refused(protocol, str(error), None, error, failure_hint)
    assert isinstance(run.strategy, RecordingRun)
    return DryRun(run.strategy.commands, failure, engine, definitions)


def refused(
    protocol: ProtocolFile,
    detail: str,
    line: int | None,
    cause: BaseException | None,
    hint: str,
) -> ProtocolFailed:
    """The ProtocolFailed of a dry run: ``detail`` at ``line`` of ``protocol``."""
    where = f" [line {line}]" if line is not None else ""
    return ProtocolFailed(
        f"checked before the robot moved: {detail}{where}",
        line,
        cause,
        file=str(protocol.path),
        hint=hint,
    )
