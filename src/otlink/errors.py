"""The one exception tree of otlink.

Everything the client raises is an :class:`OtlinkError`::

    OtlinkError
    ├── RobotUnreachable          no answer from the robot: names the host and what was tried
    │   └── CommandOutcomeUnknown a command POST was cut off and the robot could not be asked
    │                             whether it arrived; the command was NOT sent again
    ├── ApiError                  the robot answered with an error status (4xx/5xx): status, the
    │   │                         robot's error id, title, detail, errorCode and the request
    │   ├── NotFound              404: RunNotFound, ProtocolNotFound, CommandNotFound, ...
    │   ├── RunConflict           409: another run active, run stopped, setup after play, ...;
    │   │                         carries a ``hint`` that says how to fix it
    │   └── RobotBusy             503: the robot is booting or an analysis is pending
    ├── CommandFailed             the robot ran the command and it failed (HTTP 201 with
    │                             ``status: failed``): command, errorType, errorCode, detail,
    │                             wrapped errors
    ├── PreflightFailed           a live protocol's command failed on the local simulating
    │                             engine, so it was never sent: nothing moved on the robot
    ├── LiveRunBroken             a live protocol went on after the robot failed a command
    ├── RobotCannotRun            the robot would refuse the protocol (apiLevel, robot type)
    ├── WaitTimeout               a wait ran out of time; the robot goes on (nothing is cancelled)
    │   └── CommandTimeout        the command is still queued or running on the robot
    ├── UnexpectedResponse        the robot answered something otlink cannot read
    ├── ProtocolFileError         a protocol file that cannot be read as a protocol (syntax error,
    │                             no apiLevel): ``file`` and ``line`` say where
    ├── ProtocolFailed            a protocol run stopped on an error: the protocol's ``line`` and
    │                             the ``cause`` (one of the errors above)
    ├── RunInterrupted            Ctrl-C stopped the robot run; the message says where it stopped
    ├── MissingExtra              a part of otlink needs an extra that is not installed (also an
    │                             ImportError): says which, and the pip line
    └── InvalidInput              something given to otlink cannot be used; ``hint`` says what to
        │                         change (also a ValueError)
        ├── NoRobotGiven          no robot address: not passed, not in OTLINK_ROBOT or the config
        ├── InputFileError        a labware, offsets, data or config file otlink cannot read
        ├── ParameterValueError   a run-time parameter the protocol lacks, or a value that does
        │                         not fit its type
        └── TooManyAddresses      a discovery subnet too large to probe

Catch :class:`OtlinkError` to handle them all, or a branch to handle one kind::

    try:
        client.enqueue_command(run_id, "aspirate", params)
    except CommandFailed as failure:
        print(failure.error_type, failure.detail)
    except RunConflict as conflict:
        print(conflict.hint)

Every error has ``hint`` (what to do about it, or None); those that point into a file have
``file`` and ``line`` too. This module imports nothing of otlink: every layer raises these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "ApiError",
    "CommandFailed",
    "CommandOutcomeUnknown",
    "CommandTimeout",
    "InputFileError",
    "InvalidInput",
    "LiveRunBroken",
    "MissingExtra",
    "NoRobotGiven",
    "NotFound",
    "OtlinkError",
    "ParameterValueError",
    "PreflightFailed",
    "ProtocolFailed",
    "ProtocolFileError",
    "RobotBusy",
    "RobotCannotRun",
    "RobotUnreachable",
    "RunConflict",
    "RunInterrupted",
    "TooManyAddresses",
    "UnexpectedResponse",
    "WaitTimeout",
]


class OtlinkError(Exception):
    """Base of every error otlink raises.

    ``hint`` says what to do about it (None when there is nothing to add); ``file`` and
    ``line`` point at the user's file the error is about, when there is one.
    """

    hint: str | None = None
    file: str | None = None
    line: int | None = None


class RobotUnreachable(OtlinkError):
    """The robot did not answer.

    ``host`` is the robot's address, ``tried`` says what was attempted (the request, how many
    times, for how long) and ``cause`` the last network error. ``maybe_sent`` is true when the
    request may have reached the robot before the connection broke.

    Example::

        try:
            client.health()
        except RobotUnreachable as gone:
            print(gone.host, gone.tried)
    """

    def __init__(
        self, host: str, tried: str, cause: str, *, maybe_sent: bool = False, attempts: int = 1
    ) -> None:
        self.host = host
        self.tried = tried
        self.cause = cause
        self.maybe_sent = maybe_sent
        self.attempts = attempts
        super().__init__(f"robot at {host} is unreachable: {tried}: {cause}")


class CommandOutcomeUnknown(RobotUnreachable):
    """A command was posted, the connection broke, and the robot could not be asked about it.

    The command carried ``key``; otlink did not send it again, so it ran at most once. When the
    robot is back, look for the key (``client.find_command(run_id, key)``) to learn its fate.
    """

    def __init__(self, host: str, tried: str, cause: str, *, key: str, attempts: int) -> None:
        self.key = key
        super().__init__(host, tried, cause, maybe_sent=True, attempts=attempts)
        self.args = (
            f"{self.args[0]} (command key {key!r} may or may not have run; it was not sent again)",
        )


class ApiError(OtlinkError):
    """The robot answered with an HTTP error status.

    Attributes mirror the robot's first error object: ``error_id`` (e.g. ``"RunNotFound"``),
    ``title``, ``detail``, ``error_code`` (e.g. ``"4001"``); ``errors`` holds all of them as
    sent, ``status`` is the HTTP status and ``request`` is ``"METHOD URL"``.

    Example::

        try:
            client.get_run("nope")
        except ApiError as error:
            assert error.status == 404 and error.error_id == "RunNotFound"
    """

    def __init__(
        self,
        status: int,
        request: str,
        *,
        error_id: str | None = None,
        title: str | None = None,
        detail: str = "",
        error_code: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.status = status
        self.request = request
        self.error_id = error_id
        self.title = title
        self.detail = detail
        self.error_code = error_code
        self.errors = list(errors)
        label = error_id or title or "error"
        code = f", errorCode {error_code}" if error_code else ""
        super().__init__(f"{request} -> HTTP {status} {label}{code}: {detail}")


class NotFound(ApiError):
    """404: the run, protocol, command, analysis or offset does not exist."""


class RobotBusy(ApiError):
    """503: the robot is still booting, or is busy (e.g. a protocol analysis is pending)."""


_CONFLICT_HINTS = {
    "RunAlreadyActive": "another run is active on the robot: stop it (stop_run) or let it finish,"
    " then create the run again",
    "RunNotIdle": "the run is active: stop it (stop_run) before archiving or deleting it",
    "RunStopped": "the run has stopped or is no longer the current run: create a new run"
    " (create_run) and send to that one",
    "SetupCommandNotAllowed": "the run has been played, which closes it to setup commands:"
    " send intent='protocol' commands, or for step-by-step control use a new run that you"
    " never play",
    "RunActionNotAllowed": "that action is not allowed in the run's current status (pause needs"
    " a running run; play is refused once the run has ended): check get_run(...).status",
    "RunActive": "a run is in progress: stop it (stop_run) before sending stateless commands",
    "ProtocolRunIsActive": "a protocol run has started and not finished: stop it before starting"
    " a maintenance run",
    "ProtocolUsedByRun": "runs still use this protocol: delete those runs first (delete_run)",
}


class RunConflict(ApiError):
    """409: the robot's state does not allow the request now; ``hint`` says how to fix it.

    Example::

        try:
            client.create_run()
        except RunConflict as conflict:
            print(conflict.hint)  # "another run is active on the robot: stop it ..."
    """

    def __init__(self, status: int, request: str, **details: Any) -> None:
        super().__init__(status, request, **details)
        self.hint: str | None = _CONFLICT_HINTS.get(
            self.error_id or "", "the robot's current state does not allow this request"
        )

    def __str__(self) -> str:
        return f"{super().__str__()} (hint: {self.hint})"


class CommandFailed(OtlinkError):
    """The robot ran a command and it failed.

    The robot reports a failed command with HTTP 201 and ``status: "failed"``; otlink turns
    that into this error. ``command`` is the full command (an ``otlink.models.Command``);
    ``error_type``, ``error_code``, ``detail`` and ``wrapped_errors`` come from its ``error``.
    With lookahead the failure is raised later than the command was issued: ``filename`` and
    ``line`` then say where it was issued (when known).

    Example::

        try:
            client.enqueue_command(run_id, "aspirate", params)
        except CommandFailed as failure:
            assert failure.error_type == "TipNotAttachedError"
    """

    def __init__(
        self,
        command: Any,
        *,
        error_type: str,
        error_code: str,
        detail: str,
        wrapped_errors: Sequence[Any] = (),
    ) -> None:
        self.command = command
        self.error_type = error_type
        self.error_code = error_code
        self.detail = detail
        self.wrapped_errors = list(wrapped_errors)
        command_type = getattr(command, "commandType", "command")
        command_id = getattr(command, "id", "?")
        self.filename: str | None = None
        self.line: int | None = None
        super().__init__(
            f"{command_type} {command_id} failed: {error_type} (errorCode {error_code}): {detail}"
        )

    def __str__(self) -> str:
        issued = f" (issued at {self.filename}:{self.line})" if self.line is not None else ""
        return f"{super().__str__()}{issued}"


class WaitTimeout(OtlinkError):
    """A wait ran out of time. Nothing was cancelled on the robot: it keeps going."""


class CommandTimeout(WaitTimeout):
    """The command did not finish in time; it is still ``queued`` or ``running`` on the robot.

    ``command`` is its last known state. Wait again with ``client.wait_for_command(...)`` or
    end it with the run's ``stop`` action.
    """

    def __init__(self, command: Any, waited: float) -> None:
        self.command = command
        self.waited = waited
        super().__init__(
            f"{getattr(command, 'commandType', 'command')} {getattr(command, 'id', '?')} is"
            f" still {getattr(command, 'status', '?')} after {waited:.1f} s; it keeps going on"
            " the robot (wait_for_command waits again, the stop action ends the run)"
        )


class UnexpectedResponse(OtlinkError):
    """The robot's answer could not be read (``request``, ``status``, ``body``)."""

    def __init__(self, request: str, status: int, body: str, reason: str) -> None:
        self.request = request
        self.status = status
        self.body = body
        super().__init__(f"{request} -> HTTP {status}: unreadable answer ({reason}): {body[:200]}")


class PreflightFailed(OtlinkError):
    """A live protocol's command failed on the local simulating engine and was not sent.

    The robot did not move for it. ``error_type``, ``error_code`` and ``detail`` are the
    engine's, the same a robot would report (e.g. ``TipNotAttachedError``).
    """

    def __init__(self, *, command_type: str, error_type: str, error_code: str, detail: str) -> None:
        self.command_type = command_type
        self.error_type = error_type
        self.error_code = error_code
        self.detail = detail
        super().__init__(
            f"{command_type} refused before it reached the robot: {error_type}"
            f" (errorCode {error_code}): {detail}"
        )


class LiveRunBroken(OtlinkError):
    """A live protocol tried to go on after the robot failed one of its commands.

    The local engine had already run that command, so the two no longer agree; start a new
    protocol context (the robot run ``run_id`` is left as it is, for you to look at).
    """

    def __init__(self, run_id: str, cause: BaseException) -> None:
        self.run_id = run_id
        self.cause = cause
        super().__init__(
            f"robot run {run_id} stopped taking commands after an earlier failure ({cause});"
            " open a new protocol context to go on"
        )


class RobotCannotRun(OtlinkError):
    """The robot would refuse this protocol (an upload of it gets HTTP 422): checked before any
    run is made on it. ``needs`` is what the protocol asks for, ``robot_has`` what the robot
    offers (e.g. ``"apiLevel 2.99"`` and ``"apiLevel 2.0 to 2.27"``).

    Example::

        try:
            otlink.get_protocol_api("2.99", robot="10.0.0.5")
        except RobotCannotRun as refused:
            print(refused.needs, refused.robot_has)
    """

    def __init__(self, needs: str, robot_has: str, fix: str) -> None:
        self.needs = needs
        self.robot_has = robot_has
        self.fix = fix
        self.hint = fix
        super().__init__(f"protocol needs {needs}; {robot_has}: {fix}")


class MissingExtra(OtlinkError, ImportError):
    """A part of otlink needs an optional extra that is not installed.

    ``extra`` is the extra's name (``live``, ``emulator``, ...), ``needed_by`` what needed it and
    ``missing`` the packages not found. It is also an :class:`ImportError`, as importing the
    part would have been. The CLI reports it as a usage error (exit 2).

    Example::

        try:
            import otlink.emulator
        except MissingExtra as missing:
            print(missing)  # otlink.emulator needs the virtual OT-2: pip install 'otlink[emulator]'
    """

    def __init__(self, extra: str, needed_by: str, gives: str, missing: Sequence[str]) -> None:
        self.extra = extra
        self.needed_by = needed_by
        self.missing = tuple(missing)
        super().__init__(
            f"{needed_by} needs {gives}: pip install 'otlink[{extra}]'", name=self.missing[0]
        )


class ProtocolFileError(OtlinkError, ValueError):
    """A protocol file that cannot be read as a protocol: a syntax error, no ``apiLevel``, not a
    Protocol API v2 file. ``file`` and ``line`` say where (``line`` when known).

    Example::

        try:
            otlink.run_protocol_file("broken.py", "10.0.0.5")
        except ProtocolFileError as error:
            print(error.file, error.line, error)
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.hint = hint


class ProtocolFailed(OtlinkError):
    """A protocol run stopped on an error (live, or on the robot after an upload).

    ``cause`` is the error when there is one (usually a :class:`CommandFailed` or
    :class:`PreflightFailed`), ``error_type`` its kind (``"TipNotAttachedError"``) and ``detail``
    what it says; ``file`` and ``line`` are the protocol's line that caused it, when known.

    Example::

        try:
            otlink.run_protocol_file("transfer.py", "10.0.0.5")
        except ProtocolFailed as failure:
            print(failure.line, failure.error_type)
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        cause: BaseException | None = None,
        *,
        file: str | None = None,
        error_type: str | None = None,
        detail: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.line = line
        self.file = file
        self.cause = cause
        self.hint = hint
        self.error_type: str = error_type or str(
            getattr(cause, "error_type", None) or type(cause or self).__name__
        )
        self.detail: str = detail or str(getattr(cause, "detail", None) or cause or message)


class RunInterrupted(OtlinkError):
    """Ctrl-C: the robot run was stopped; the message says where the robot is."""


class InvalidInput(OtlinkError, ValueError):
    """Something given to otlink cannot be used; ``hint`` says what to change.

    Example::

        try:
            otlink.run_protocol_file("transfer.py", "10.0.0.5", parameters={"volume": "lots"})
        except InvalidInput as mistake:
            print(mistake, mistake.hint)
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.file = file
        self.line = line


class NoRobotGiven(InvalidInput):
    """No robot address: none was passed, ``OTLINK_ROBOT`` is unset and the config file has none."""


class InputFileError(InvalidInput):
    """A labware, offsets, data or config file that otlink cannot read (``file``, ``line``)."""


class ParameterValueError(InvalidInput):
    """A run-time parameter value that does not fit its parameter, or a parameter the protocol
    lacks."""


class TooManyAddresses(InvalidInput):
    """A discovery subnet with more hosts than otlink probes at once."""
