"""Protocol engine commands as the robot reports them.

A command is ``queued``, then ``running``, then ``succeeded`` or ``failed``; a failed one has
an ``error``. Listing a run's commands gives :class:`CommandSummary` objects (no ``result``);
``GET .../commands/{id}`` and ``POST .../commands`` give the full :class:`Command`.

Enumerated values are typed ``Tolerant[SomeEnum]``: a value a newer robot adds still parses, as a
plain string.
"""

from __future__ import annotations

from typing import Any

from otlink.models.base import MultiBodyMeta, Tolerant, WireEnum, WireModel

__all__ = [
    "Command",
    "CommandCollectionLinks",
    "CommandCreate",
    "CommandError",
    "CommandIntent",
    "CommandLink",
    "CommandLinkMeta",
    "CommandNote",
    "CommandPage",
    "CommandStatus",
    "CommandSummary",
]


class CommandStatus(WireEnum):
    """Where a command is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CommandIntent(WireEnum):
    """Why a command was sent.

    ``setup`` commands run at once but only before the run is played; ``protocol`` commands
    wait for ``play``; ``fixit`` commands run during error recovery (Flex).
    """

    SETUP = "setup"
    PROTOCOL = "protocol"
    FIXIT = "fixit"


class CommandError(WireModel):
    """Why a command failed: ``errorType`` (e.g. ``"TipNotAttachedError"``), the robot's
    ``errorCode`` (e.g. ``"3005"``), the ``detail`` sentence and any ``wrappedErrors``."""

    id: str
    createdAt: str | None = None
    isDefined: bool = False
    errorType: str
    errorCode: str
    detail: str
    errorInfo: dict[str, Any] = {}
    wrappedErrors: list[CommandError] = []


class CommandNote(WireModel):
    """A warning or information the engine attached to a command."""

    noteKind: str
    shortMessage: str
    longMessage: str = ""
    source: str = ""


class CommandSummary(WireModel):
    """A command in a list: everything but its ``result``.

    Example::

        for command in client.iter_commands(run_id):
            print(command.commandType, command.status)
    """

    id: str
    key: str | None = None
    commandType: str
    createdAt: str
    startedAt: str | None = None
    completedAt: str | None = None
    status: Tolerant[CommandStatus]
    params: dict[str, Any] = {}
    error: CommandError | None = None
    intent: Tolerant[CommandIntent] | None = None
    notes: list[CommandNote] = []
    failedCommandId: str | None = None

    @property
    def is_done(self) -> bool:
        """True once the command has succeeded or failed (it will not change again)."""
        return self.status in (CommandStatus.SUCCEEDED, CommandStatus.FAILED)


class Command(CommandSummary):
    """A command with its ``result`` (e.g. ``{"pipetteId": ...}`` after ``loadPipette``).

    Example::

        command = client.enqueue_command(run_id, "loadPipette",
                                         {"pipetteName": "p300_single_gen2", "mount": "left"})
        pipette_id = command.result["pipetteId"]
    """

    result: dict[str, Any] | None = None


class CommandCreate(WireModel):
    """The body of ``POST .../commands``: what to run, why (``intent``) and a ``key``."""

    commandType: str
    params: dict[str, Any] = {}
    intent: Tolerant[CommandIntent] | None = None
    key: str | None = None


class CommandLinkMeta(WireModel):
    """Where the run's current command stands: its id, key and index."""

    runId: str | None = None
    commandId: str
    index: int
    key: str | None = None
    createdAt: str | None = None


class CommandLink(WireModel):
    """``links.current`` of a command list: the running or most recent command."""

    href: str
    meta: CommandLinkMeta | None = None


class CommandCollectionLinks(WireModel):
    """``links`` of a command list: the ``current`` command, and the failed command being
    recovered from (Flex), if any."""

    current: CommandLink | None = None
    currentlyRecoveringFrom: CommandLink | None = None


class CommandPage(WireModel):
    """One page of a run's commands: ``data`` starts at index ``meta.cursor`` of
    ``meta.totalLength`` commands.

    Example::

        page = client.list_commands(run_id, cursor=0, page_length=50)
        print(len(page.data), "of", page.meta.totalLength)
    """

    data: list[CommandSummary]
    meta: MultiBodyMeta = MultiBodyMeta()
    links: CommandCollectionLinks | None = None
