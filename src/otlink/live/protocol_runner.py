"""Run a protocol file live on a robot: ``otlink run`` and ``otlink demo`` stand on this."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opentrons.protocols.execution.errors import ExceptionInProtocolError

from otlink.client import RobotClient
from otlink.client.labware_files import LabwareSource, OffsetSource, load_labware_definitions
from otlink.client.robot_address import resolve_robot
from otlink.errors import (
    CommandFailed,
    OtlinkError,
    ProtocolFailed,
    RobotUnreachable,
    RunInterrupted,
)
from otlink.runs.session import RunLost

from .context import get_protocol_api
from .pauses import PauseHandler, ask_to_continue
from .protocol_file import DataFiles, ProtocolFile, read_protocol
from .robot_requirements import refuse_what_the_robot_would
from .robot_run import FILE_LOOKAHEAD, RobotRun
from .whole_protocol_check import ProtocolCheck, check_whole_protocol

Observer = Callable[[str, Mapping[str, Any]], None]


@dataclass
class LiveRunReport:
    """What happened: the robot run, how many commands the robot ran, and how long it took."""

    protocol: str
    robot_run_id: str
    check: ProtocolCheck | None = None
    commands: int = 0
    seconds: float = 0.0
    last_command: str | None = None

    def __call__(self, command_type: str, params: Mapping[str, Any]) -> None:
        self.commands += 1
        self.last_command = command_type


def run_protocol_file(
    path: str | os.PathLike[str],
    robot: str | RobotClient | None = None,
    *,
    labware: Iterable[LabwareSource] = (),
    offsets: OffsetSource = (),
    parameters: Mapping[str, str] | None = None,
    data: DataFiles | None = None,
    observers: Iterable[Observer] = (),
    on_pause: PauseHandler = ask_to_continue,
    lookahead: int = FILE_LOOKAHEAD,
    check: bool = True,
    on_checked: Callable[[ProtocolCheck], None] | None = None,
) -> LiveRunReport:
    """Run ``path``'s ``run(protocol)`` live on ``robot``, homing first as a robot does.

    ``robot`` is a host, a :class:`RobotClient`, or None for the robot the CLI would use
    (``OTLINK_ROBOT``, then the config file). ``parameters`` are run-time parameter values as
    text (``{"volume": "50"}``); ``data`` gives each CSV parameter its file
    (``{"plate_map": "map.csv"}``), read on the laptop: the protocol's
    ``protocol.params.plate_map.parse_as_csv()`` reads that file, in the check and in the run.

    First the whole protocol is checked on the laptop with the robot's pipettes and modules
    (:mod:`otlink.live.whole_protocol_check`; ``check=False`` skips it): a failure there raises
    ProtocolFailed with the protocol's line before any run is made on the robot. The check's
    step count and time estimate go to ``on_checked`` and are in the report.

    Raises ProtocolFailed (with the protocol's line) when a command fails, locally or on the
    robot, and RunInterrupted after Ctrl-C, once the robot run is stopped. The robot run is
    always closed. ``on_pause`` and ``lookahead`` are as for :func:`get_protocol_api`, but
    lookahead is on (32) by default: a file speaks only to the robot. A robot failure names the
    line that issued the failed command.

    Example::

        report = otlink.run_protocol_file("transfer.py", "10.0.0.5", parameters={"volume": "50"})
        print(report.commands, "commands in", round(report.seconds), "s")
        otlink.run_protocol_file("plate.py", "10.0.0.5", data={"plate_map": "map.csv"})
    """
    path = Path(path)
    definitions = load_labware_definitions(labware)
    protocol = read_protocol(path, definitions)
    values = protocol.parameters(parameters, data or {})
    with contextlib.ExitStack() as resources:
        client = (
            robot
            if isinstance(robot, RobotClient)
            else resources.enter_context(RobotClient(resolve_robot(robot)))
        )
        refuse_what_the_robot_would(client.health(), protocol.api_level, protocol.parsed.robot_type)
        checked = None
        if check:
            checked = check_whole_protocol(protocol, client, values, definitions)
            values = protocol.parameters(parameters, data or {})  # a CSV file the check read, whole
            if on_checked is not None:
                on_checked(checked)
        report = _run_live(
            protocol,
            client,
            values,
            definitions,
            offsets,
            observers,
            on_pause,
            lookahead,
            checked,
        )
        report.check = checked
        return report


def _run_live(
    protocol: ProtocolFile,
    client: RobotClient,
    parameter_values: Any,
    definitions: list[dict[str, Any]],
    offsets: OffsetSource,
    observers: Iterable[Observer],
    on_pause: PauseHandler,
    lookahead: int,
    checked: ProtocolCheck | None,
) -> LiveRunReport:
    path = protocol.path
    started = time.monotonic()
    with get_protocol_api(
        protocol.api_level,
        client,
        labware=definitions,
        offsets=offsets,
        on_pause=on_pause,
        lookahead=lookahead,
    ) as context:
        report = LiveRunReport(protocol.name, context.robot_run.id)
        if context.notebook_display is not None and checked is not None:
            context.notebook_display.expect(protocol.name, checked.steps)
        context.robot_run.observers += [report, *observers]
        robot_run = context.robot_run
        try:
            with _ctrl_c_stops_the_protocol():
                context.home()
                protocol.run(context, parameter_values)
                robot_run.finish()
        except ExceptionInProtocolError as error:
            cause = error.original_exc
            if isinstance(cause, RobotUnreachable):
                raise _unreachable(cause, robot_run) from error
            issued = _issued_line(cause, path)
            line = error.line if issued is None else issued
            message = str(error) if issued is None else f"{cause} [line {issued}]"
            raise ProtocolFailed(
                message + _ended(robot_run), line, cause, file=str(path)
            ) from error
        except RobotUnreachable as error:
            raise _unreachable(error, robot_run) from error
        except OtlinkError as error:  # outside the protocol's own code: the home, the end
            line = _issued_line(error, path)
            at = "" if line is None else f" [line {line}]"
            message = f"{error}{at}{_ended(robot_run)}"
            raise ProtocolFailed(message, line, error, file=str(path)) from error
        except (KeyboardInterrupt, _CtrlC):
            raise RunInterrupted(_stop(robot_run, report)) from None
        finally:
            report.seconds = time.monotonic() - started
    return report


def _ended(robot_run: RobotRun) -> str:
    """The run stopped (if it was not over) and archived, as a sentence for a message."""
    end = robot_run.stop()
    if end.problem is not None:
        return f" (robot run {end.run_id} could not be ended: {end.problem})"
    ran = "an unknown number of" if end.commands_ran < 0 else str(end.commands_ran)
    return f" (robot run {end.run_id} is {end.status}; the robot ran {ran} commands)"


def _unreachable(error: RobotUnreachable, robot_run: RobotRun) -> RobotUnreachable:
    """The same error, saying what became of the run."""
    kind = RunLost if isinstance(error, RunLost) else RobotUnreachable
    return kind(error.host, error.tried, error.cause + _ended(robot_run), maybe_sent=True)


def _issued_line(error: BaseException, path: Path) -> int | None:
    """The protocol file's line that issued a command failing late (with lookahead)."""
    if isinstance(error, CommandFailed) and error.filename == str(path):
        return error.line
    return None


class _CtrlC(BaseException):
    """Ctrl-C while a protocol runs.

    Not a KeyboardInterrupt on purpose: opentrons calls ``run()`` through ``exec`` of a string,
    and a KeyboardInterrupt leaving that makes CPython end the process by SIGINT at exit,
    whatever exit code otlink chose.
    """


@contextlib.contextmanager
def _ctrl_c_stops_the_protocol() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signal_number: int, frame: Any) -> None:
        raise _CtrlC()

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(robot_run: RobotRun, report: LiveRunReport) -> str:
    end = robot_run.stop()
    ran = "an unknown number of" if end.commands_ran < 0 else str(end.commands_ran)
    if end.problem is not None:
        return (
            f"Interrupted after {report.commands} commands were issued, but the robot could not"
            f" be told to stop ({end.problem}); it finishes its current command"
            f" ({report.last_command})."
        )
    return (
        f"Interrupted: robot run {end.run_id} is {end.status}; the robot ran {ran} commands"
        f" (last: {end.last_command or 'none'}). Tips may still be attached; home the robot"
        " before the next run."
    )
