"""What the legacy-core mirror shares: the robot run, the robot ids, and the pre-flight rule.

Protocols below apiLevel 2.14 run on opentrons' legacy core, which moves (simulated) hardware
itself and issues no engine commands. otlink's legacy cores (the protocol core in
``legacy_context.py``, ``legacy_instruments.py``, ``legacy_modules.py``) let each action run
locally first and then post the robot command that does the same; this object is what they
share.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any
from uuid import uuid4

from otlink.errors import LiveRunBroken, OtlinkError, PreflightFailed

from .robot_run import RobotRun

_GENERAL_ERROR_CODE = "4000"


class LegacyMirror:
    """Posts robot commands for actions the local legacy core has carried out.

    Example::

        mirror = LegacyMirror(robot_run)
        with mirror.local("aspirate"):
            ...  # the legacy core aspirates on simulated hardware
        mirror.post("aspirate", {...})
    """

    def __init__(self, robot: RobotRun) -> None:
        self.robot = robot
        self._ids: dict[int, tuple[object, str]] = {}
        self._depth = 0
        self._broken: BaseException | None = None

    @property
    def at_top_level(self) -> bool:
        """True outside any mirrored action: a move made now is the protocol's own move."""
        return self._depth == 0

    @contextlib.contextmanager
    def local(self, action: str) -> Iterator[None]:
        """Run one legacy-core action locally: a failure there is a PreflightFailed.

        Moves the legacy core makes inside the action (to a well before aspirating, around a
        thermocycler lid) are part of it: the robot command of the action makes them too.
        """
        if self._broken is not None:
            raise LiveRunBroken(self.robot.id, self._broken)
        self._depth += 1
        try:
            yield
        except OtlinkError:
            raise
        except Exception as error:
            raise _preflight_failure(action, error) from error
        finally:
            self._depth -= 1

    def post(self, command_type: str, params: Mapping[str, Any]) -> None:
        """Run one command on the robot; its failure is raised here, in the protocol's call."""
        if self._broken is not None:
            raise LiveRunBroken(self.robot.id, self._broken)
        try:
            self.robot.execute(command_type, params)
        except BaseException as failure:
            # The local core went ahead; the robot did not. Nothing more can be mirrored.
            self._broken = failure
            raise

    def give_id(self, thing: object, kind: str) -> str:
        """A new robot id for a loaded labware, pipette or module."""
        robot_id = f"{kind}-{uuid4()}"
        self._ids[id(thing)] = (thing, robot_id)
        return robot_id

    def id_of(self, thing: object) -> str:
        """The robot id given to ``thing`` when it was loaded."""
        return self._ids[id(thing)][1]


def _preflight_failure(action: str, error: Exception) -> PreflightFailed:
    code = getattr(getattr(error, "code", None), "value", None)
    return PreflightFailed(
        command_type=action,
        error_type=type(error).__name__,
        error_code=str(getattr(code, "code", _GENERAL_ERROR_CODE)),
        detail=str(error),
    )
