"""Protocols nobody here wrote, run live against a virtual OT-2 with the pipettes and modules
each needs, and compared with opentrons' official analysis of the same file.

They are Opentrons' own test data (``protocols/real/``, each with its source and licence in its
first lines, otherwise unmodified). Below apiLevel 2.14 the analysis records only tips and
liquid, so the live run is also compared, action by action and point by point, with opentrons'
simulation of the file; from 2.14 on every command and its params must match the analysis but
for the differences that ``live_fidelity.as_live_run`` documents.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from opentrons.protocols.execution.errors import ExceptionInProtocolError

from live.legacy_record import (
    analysed_actions,
    as_dispensed,
    assert_faithful,
    run_live,
    simulated_actions,
)
from live_fidelity import PROTOCOLS, as_live_run, comparable, live_commands, official_analysis
from otlink.emulator.child_process import EmulatorProcess

# Each test starts a virtual OT-2 of its own and runs an official analysis: slow tier.
pytestmark = pytest.mark.slow

REAL = PROTOCOLS / "real"
TIPS_AND_LIQUID = ("pickUpTip", "dropTip", "aspirate", "dispense", "blowout")


@pytest.mark.parametrize(
    ("name", "robot_options", "module_settings"),
    [
        # A guided walk-through, 2.7: moves around a well's edges, dispenses of more than the
        # tip holds (the legacy core dispenses what it holds).
        ("OT2_S_v2_7_P20S_None_Walkthrough.py", (), 0),
        # Magnetic and GEN1 Temperature Modules, 2.7, a GEN2 8-channel P20: 6 module settings
        # (temperatures, magnet heights, off), each leaving the module as the legacy core did.
        (
            "2_modules_1s_1m_v2.py",
            (
                *("--right", "p20_multi_gen2"),
                *("--module", "magneticModuleV2", "--module", "temperatureModuleV1"),
            ),
            6,
        ),
    ],
)
def test_a_legacy_protocol_does_what_opentrons_simulation_and_analysis_say(
    name: str,
    robot_options: tuple[str, ...],
    module_settings: int,
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    protocol = REAL / name
    robot = start_emulator(*robot_options)
    live = assert_faithful(protocol, robot.url, module_settings=module_settings)
    tips_and_liquid = [action for action in live if action.kind in TIPS_AND_LIQUID]
    assert tips_and_liquid == as_dispensed(analysed_actions(protocol))


def test_the_analysis_below_2_14_records_a_dispense_as_asked_the_robot_as_done(
    emulator: EmulatorProcess,
) -> None:
    # The walk-through dispenses 13.3 µL from a tip holding 11.1: the analysis says 13.3, the
    # legacy core (and so the live run) dispenses 11.1. (README: What differs.)
    protocol = REAL / "OT2_S_v2_7_P20S_None_Walkthrough.py"
    asked = [a.volume for a in analysed_actions(protocol) if a.kind == "dispense"]
    done = [a.volume for a in as_dispensed(analysed_actions(protocol)) if a.kind == "dispense"]
    assert len(asked) == len(done) and 11.111111 in done and 11.111111 not in asked
    live = assert_faithful(protocol, emulator.url)
    assert [a.volume for a in live if a.kind == "dispense"] == done


@pytest.mark.parametrize(
    ("name", "robot_options"),
    [("OT2_S_v2_16_P300M_P20S_aspirateDispenseMix0Volume.py", ("--left", "p300_multi_gen2"))],
)
def test_an_engine_protocol_holds_what_the_official_analysis_holds(
    name: str, robot_options: tuple[str, ...], start_emulator: Callable[..., EmulatorProcess]
) -> None:
    protocol = REAL / name
    analysis = official_analysis(protocol)
    live = live_commands(protocol, start_emulator(*robot_options).url)
    assert [command["status"] for command in live] == ["succeeded"] * len(live)
    assert comparable(live) == comparable(as_live_run(analysis))


SWIFT = "OT2_S_v2_11_P10S_P300M_MM_TC1_TM_Swift.py"
SWIFT_ROBOT = (
    *("--left", "p10_single", "--right", "p300_multi_gen2"),
    *("--module", "magneticModuleV2", "--module", "temperatureModuleV1"),
    *("--module", "thermocyclerModuleV1"),
)


def test_a_library_prep_that_never_opens_the_thermocycler_stops_where_the_engine_says(
    start_emulator: Callable[..., EmulatorProcess],
) -> None:
    # A Swift library prep, 2.11: a GEN1 P10, a GEN2 8-channel P300, three modules. It pipettes
    # into the Thermocycler's plate without open_lid(). opentrons' legacy simulation has no lid
    # check and runs it; the robot's engine, which a live run goes through, takes the lid of a
    # just-loaded Thermocycler as closed and refuses (README: What differs).
    protocol = REAL / SWIFT
    assert simulated_actions(protocol)
    with pytest.raises(ExceptionInProtocolError, match="ThermocyclerNotOpenError") as failed:
        run_live(protocol, start_emulator(*SWIFT_ROBOT).url)
    assert "[line 69]" in str(failed.value)
