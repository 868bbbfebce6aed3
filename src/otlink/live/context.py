"""``otlink.get_protocol_api``: opentrons' ProtocolContext, live on a robot."""

from __future__ import annotations

import atexit
import weakref
from collections.abc import Iterable
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from opentrons.protocol_api import ProtocolContext
from opentrons.protocols.api_support.types import APIVersion

from otlink.client import RobotClient
from otlink.client.labware_files import (
    LabwareSource,
    OffsetSource,
    load_labware_definitions,
    load_offsets,
)
from otlink.client.robot_address import resolve_robot
from otlink.errors import InvalidInput

from .engine_context import engine_core_context
from .legacy_context import legacy_core_context
from .local_engine import HardwareFactory, simulated_hardware
from .notebook_display import NotebookDisplay, show_in_notebook
from .pauses import PauseHandler, ask_to_continue
from .robot_requirements import refuse_what_the_robot_would
from .robot_run import DEFAULT_LOOKAHEAD, RobotRun

ENGINE_CORE_VERSION = APIVersion(2, 14)


_open_contexts: weakref.WeakSet[LiveProtocolContext] = weakref.WeakSet()


class LiveProtocolContext(ProtocolContext):  # type: ignore[misc]
    """opentrons' ProtocolContext, each command run locally first and then on the robot.

    Use it as a context manager, or call :meth:`close`, so the robot run is archived.
    """

    _otlink_resources: ExitStack
    robot_run: RobotRun
    #: The run's display in a Jupyter notebook, None elsewhere (:mod:`.notebook_display`).
    notebook_display: NotebookDisplay | None = None

    @property
    def local_engine_state(self) -> Any:
        """The state of the local engine each command runs on first (apiLevel 2.14 and up; None
        below, where opentrons' legacy core has no engine)."""
        # opentrons keeps the engine client on the context's core; only engine cores have one.
        engine_client = getattr(self._core, "_engine_client", None)
        return None if engine_client is None else engine_client.state

    def sync(self) -> None:
        """Wait until the robot has run every command so far (with lookahead, commands run on
        the robot later than the protocol issues them); a robot failure is raised here."""
        self.robot_run.sync()

    def __repr__(self) -> str:
        """apiLevel, robot, run and what is loaded, e.g. ``<LiveProtocolContext apiLevel 2.20
        on http://10.0.0.5:31950, run 5f2c…: pipettes p300_single_gen2 (left); labware
        opentrons_96_tiprack_300ul (1)>``."""
        client = self.robot_run.client
        robot = client.url if client is not None else "no robot"
        pipettes = ", ".join(
            f"{pipette.name} ({mount})" for mount, pipette in self.loaded_instruments.items()
        )
        labware = ", ".join(
            f"{item.load_name} ({slot})" for slot, item in sorted(self.loaded_labwares.items())
        )
        return (
            f"<{type(self).__name__} apiLevel {self.api_version} on {robot},"
            f" run {self.robot_run.id}: pipettes {pipettes or 'none'};"
            f" labware {labware or 'none'}>"
        )

    def _repr_svg_(self) -> str:
        """In a notebook: the deck as the protocol has used it so far (see :mod:`otlink.deck`)."""
        from otlink.deck import deck_of_context, deck_svg

        return deck_svg(deck_of_context(self))

    def close(self) -> None:
        """End the live run on the robot and stop the local engine. Safe to call twice."""
        _open_contexts.discard(self)
        self._otlink_resources.close()

    def __enter__(self) -> LiveProtocolContext:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # The robot records the run as it ended: succeeded when the block ran through, else
        # stopped (or failed, with the robot's error).
        try:
            if kind is None:
                self.robot_run.finish()
            else:
                self.robot_run.stop()
        finally:
            self.close()


def get_protocol_api(
    version: str | APIVersion,
    robot: str | RobotClient | None = None,
    *,
    labware: Iterable[LabwareSource] = (),
    offsets: OffsetSource = (),
    on_pause: PauseHandler = ask_to_continue,
    lookahead: int = DEFAULT_LOOKAHEAD,
) -> LiveProtocolContext:
    """The Protocol API v2 you know, live on a robot: each command is checked on a local
    simulating engine, then run on the robot as an atomic command, and waited for.

    ``robot`` is a host (``"10.0.0.5"``, ``"ot2.local:31950"``), a :class:`RobotClient`, or
    None for the robot the CLI would use (``OTLINK_ROBOT``, then the config file; see
    :func:`otlink.client.robot_address.resolve_robot`). ``labware`` are custom labware
    definitions (JSON files, folders of them, or dicts); ``offsets`` are labware offsets (a list,
    or a JSON file of one) applied to the robot run. ``on_pause(message)`` is called where the
    protocol pauses (``pause()``, a manual ``move_labware``): the protocol goes on when it
    returns; the default asks on the terminal (see :mod:`otlink.live.pauses`).

    ``lookahead`` is how many commands are sent to the robot ahead of their execution, in one
    batch (0: each is waited for). The robot then never waits for the network, but a robot
    failure is raised at the next sync point (a pause, :meth:`LiveProtocolContext.sync`, the
    end of the ``with`` block), naming the line that issued the failed command; nothing issued
    after it runs (see :mod:`otlink.runs`).

    An apiLevel the robot's software does not run is refused (RobotCannotRun) before a run is
    made on the robot, as an upload of the protocol would be.

    Example::

        import otlink

        with otlink.get_protocol_api("2.20", robot="10.0.0.5") as protocol:
            tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
            plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
            p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
            protocol.home()
            p300.transfer(100, plate["A1"], plate["B1"])
    """
    api_version = _api_version(version)
    definitions = load_labware_definitions(labware)
    resources = ExitStack()
    try:
        client = _client_for(robot, resources)
        refuse_what_the_robot_would(client.health(), api_version)
        run = RobotRun.on_robot(client, load_offsets(offsets), lookahead=lookahead)
    except BaseException:
        resources.close()
        raise
    context = live_context(api_version, run, definitions, on_pause, resources=resources)
    context.notebook_display = show_in_notebook(context, definitions)
    _open_contexts.add(context)
    return context


def live_context(
    api_version: APIVersion,
    run: RobotRun,
    definitions: list[dict[str, Any]],
    on_pause: PauseHandler,
    *,
    resources: ExitStack | None = None,
    hardware_factory: HardwareFactory = simulated_hardware,
) -> LiveProtocolContext:
    """A live context whose commands go to ``run`` (on a robot, or a recording), its local
    side on ``hardware_factory()``. Closing it closes ``run`` and then ``resources``."""
    resources = resources or ExitStack()
    try:
        resources.callback(run.close)
        for definition in definitions:
            run.add_labware_definition(definition)
        build = engine_core_context if api_version >= ENGINE_CORE_VERSION else legacy_core_context
        context = build(
            LiveProtocolContext,
            api_version,
            run,
            definitions,
            resources,
            on_pause,
            hardware_factory,
        )
    except BaseException:
        resources.close()
        raise
    assert isinstance(context, LiveProtocolContext)
    context._otlink_resources = resources
    context.robot_run = run
    return context


def _api_version(version: object) -> APIVersion:
    if isinstance(version, APIVersion):
        return version
    try:
        if isinstance(version, str):
            return APIVersion.from_string(version)
    except ValueError:
        pass
    raise InvalidInput(
        f"apiLevel {version!r} is not MAJOR.MINOR text",
        hint='give it as a protocol declares it, e.g. get_protocol_api("2.20")',
    )


def _client_for(robot: str | RobotClient | None, resources: ExitStack) -> RobotClient:
    if isinstance(robot, RobotClient):
        return robot
    client = RobotClient(resolve_robot(robot))
    resources.callback(client.close)
    return client


@atexit.register
def _close_forgotten_contexts() -> None:
    # A notebook or script that never closed its context still leaves the robot free.
    for context in list(_open_contexts):
        context.robot_run.stop()  # the program is gone: nothing it issued should still run
        context.close()
