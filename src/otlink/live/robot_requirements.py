"""What the robot would refuse, refused before a run is made on it.

An upload of a protocol the robot cannot run is refused by the robot (HTTP 422 at analysis); a
live run never uploads the file, so otlink asks the same questions first: is the apiLevel one
the robot's software runs (``/health``'s ``minimum_`` and ``maximum_protocol_api_version``) and
one the opentrons installed here runs, and is the protocol's robot type this robot's?

>>> from otlink.models import Health
>>> robot = Health(name="ot2", robot_model="OT-2 Standard", api_version="8.8.0",
...                minimum_protocol_api_version=[2, 0], maximum_protocol_api_version=[2, 27])
>>> try:
...     refuse_what_the_robot_would(robot, APIVersion(2, 99))
... except RobotCannotRun as refused:
...     print(refused.needs, "/", refused.robot_has)
apiLevel 2.99 / this robot runs apiLevel 2.0 to 2.27
"""

from __future__ import annotations

from opentrons.protocols.api_support.definitions import (
    MAX_SUPPORTED_VERSION,
    MIN_SUPPORTED_VERSION,
)
from opentrons.protocols.api_support.types import APIVersion

from otlink.errors import RobotCannotRun
from otlink.models import Health
from otlink.ot2 import ROBOT_TYPE

# robot-server's /health robot_model and the protocol's robotType, as people say them.
_ROBOT_NAMES = {"OT-2 Standard": "an OT-2", "OT-3 Standard": "a Flex"}


def refuse_what_the_robot_would(
    robot: Health, api_level: APIVersion, robot_type: str = ROBOT_TYPE
) -> None:
    """Raise RobotCannotRun if ``robot`` (its ``/health``) would refuse a protocol at
    ``api_level`` for ``robot_type`` (``"OT-2 Standard"`` or ``"OT-3 Standard"``), or if the
    opentrons that checks it here cannot run it."""
    robot_model = robot.robot_model
    if robot_type != robot_model:
        raise RobotCannotRun(
            f"{_ROBOT_NAMES.get(robot_type, robot_type)} (robotType in its requirements)",
            f"this robot is {_ROBOT_NAMES.get(robot_model, robot_model)}",
            "run it on a robot of that type, or write the protocol for this one",
        )
    if robot_type != ROBOT_TYPE:
        raise RobotCannotRun(
            f"{_ROBOT_NAMES.get(robot_type, robot_type)}",
            "otlink runs protocols live on an OT-2 only",
            "upload it instead (otlink run --upload)",
        )
    lowest = _version(robot.minimum_protocol_api_version) or MIN_SUPPORTED_VERSION
    highest = _version(robot.maximum_protocol_api_version) or MAX_SUPPORTED_VERSION
    if not lowest <= api_level <= highest:
        raise RobotCannotRun(
            f"apiLevel {api_level}",
            f"this robot runs apiLevel {lowest} to {highest}",
            "change the protocol's apiLevel, or update the robot's software"
            if api_level > highest
            else "change the protocol's apiLevel",
        )
    if not MIN_SUPPORTED_VERSION <= api_level <= MAX_SUPPORTED_VERSION:
        raise RobotCannotRun(
            f"apiLevel {api_level}",
            f"the opentrons installed here runs apiLevel {MIN_SUPPORTED_VERSION} to"
            f" {MAX_SUPPORTED_VERSION}",
            "change the protocol's apiLevel, or update otlink (pip install -U 'otlink[live]')",
        )


def _version(numbers: list[int]) -> APIVersion | None:
    return APIVersion(numbers[0], numbers[1]) if len(numbers) >= 2 else None
