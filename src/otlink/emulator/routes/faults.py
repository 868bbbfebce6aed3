"""/otlink/faults: the virtual robot's fault rules, read and changed while it runs.

Not a robot-server route, so it needs no Opentrons-Version header. Bodies are
``{"data": {"rules": [RULE, ...]}}``, where a RULE is a ``--fault`` string (``"aspirate#2"``) or an
object (``{"commandType": "aspirate", "nth": 2, "once": true}``); every answer is the whole state,
``{"data": {"rules": [...], "fired": [...]}}``. A bad rule answers 422 in robot-server's shape.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import responses
from ..api_errors import ApiError
from ..dependencies import Robot
from ..faults import FaultRule, FaultSpecError

router = APIRouter(prefix="/otlink/faults")


def _invalid(detail: str, pointer: str) -> ApiError:
    return ApiError(422, "InvalidRequest", "Invalid Request", detail, source={"pointer": pointer})


async def _rules_of(request: Request) -> list[FaultRule]:
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise _invalid("the body is not JSON", "/") from None
    data = body.get("data") if isinstance(body, dict) else None
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        raise _invalid('expected {"data": {"rules": [...]}}', "/data/rules")
    parsed = []
    for position, rule in enumerate(rules):
        try:
            parsed.append(FaultRule.from_json(rule))
        except FaultSpecError as error:
            raise _invalid(str(error), f"/data/rules/{position}") from None
    return parsed


def _state(robot: Any, status: int = 200) -> Response:
    return responses.data(robot.faults.describe(), status=status)


@router.get("")
async def get_faults(robot: Robot) -> Response:
    return _state(robot)


@router.put("")
async def replace_faults(robot: Robot, request: Request) -> Response:
    """Replace every rule (and forget what fired)."""
    robot.faults.replace(await _rules_of(request))
    return _state(robot)


@router.post("", status_code=201)
async def add_faults(robot: Robot, request: Request) -> Response:
    """Add rules after the ones there are."""
    robot.faults.add(await _rules_of(request))
    return _state(robot, status=201)


@router.delete("")
async def clear_faults(robot: Robot) -> Response:
    """No rules: every command runs as it would."""
    robot.faults.clear()
    return _state(robot)
