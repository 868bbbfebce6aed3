"""The FastAPI application of the virtual OT-2."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from .access import AccessGuard, AccessPolicy
from .api_errors import install_error_handlers
from .body_limit import BodySizeLimit
from .hot_routes import HotRoutes
from .robot_settings import RobotSettings
from .routes import (
    client_data,
    data_files,
    error_recovery_settings,
    faults,
    health,
    instruments,
    maintenance_runs,
    modules,
    protocols,
    robot_control,
    run_commands,
    run_details,
    run_labware,
    runs,
    stateless_commands,
    system,
)
from .routes import settings as settings_routes
from .virtual_robot import VirtualRobot

ROUTERS = (
    # Command posts first: they are most of the traffic, and routes are matched in order.
    run_commands.posting_router,
    maintenance_runs.posting_router,
    runs.router,
    run_commands.router,
    run_details.router,
    client_data.router,
    error_recovery_settings.router,
    run_labware.router,
    maintenance_runs.router,
    stateless_commands.router,
    protocols.router,
    data_files.router,
    health.router,
    health.update_server_router,
    robot_control.router,
    robot_control.control_router,
    instruments.router,
    instruments.instruments_router,
    modules.router,
    settings_routes.router,
    system.router,
    system.system_router,
    faults.router,
)

# FastAPI 0.16x asks OpenTelemetry for its providers on every request unless told there are none
# (a tenth of the server's CPU for a GET); a virtual robot is not instrumented. Older ones lack it.
_NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI).parameters
    else {}
)


def create_app(
    settings: RobotSettings | None = None,
    access: AccessPolicy | None = None,
    *,
    owns_process: bool = False,
) -> FastAPI:
    """The robot-server HTTP API of one virtual OT-2, booted when the app starts.

    ``access`` says which web origins and Host names it answers (loopback only by default).
    ``owns_process``: the server is the process (``otlink emulate``), and works in its workspace,
    so protocol runs write their files there.

    >>> app = create_app(RobotSettings(name="bench-2", left="p1000_single_gen2"))
    """
    settings = settings or RobotSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        robot = await VirtualRobot.boot(settings, owns_process=owns_process)
        app.state.robot = robot
        try:
            yield
        finally:
            await robot.close()

    app = FastAPI(
        title="otlink virtual OT-2",
        description="The Opentrons robot-server HTTP API, served by the Opentrons engine.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url="/redoc",
        **_NO_TELEMETRY,
    )
    app.add_middleware(HotRoutes)  # innermost of ours: inside the error, body and access layers
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    # Outermost: a refused caller reaches nothing, not even the body reader.
    app.add_middleware(AccessGuard, policy=access or AccessPolicy())
    for router in ROUTERS:
        app.include_router(router)
    return app
