"""Modules at apiLevel 2.16: temperature, magnetic, thermocycler and heater-shaker, with
adapters, named liquids, a pause and a manual labware move."""

from opentrons import protocol_api
from opentrons.protocol_api import OFF_DECK

metadata = {"protocolName": "Modules 2.16"}
requirements = {"robotType": "OT-2", "apiLevel": "2.16"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 5)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 6)
    pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])

    temperature = protocol.load_module("temperature module gen2", 3)
    block = temperature.load_adapter("opentrons_96_well_aluminum_block")
    cold_plate = block.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    magnet = protocol.load_module("magnetic module gen2", 9)
    deep_plate = magnet.load_labware("nest_96_wellplate_2ml_deep", label="beads")
    cycler = protocol.load_module("thermocycler module")
    pcr_plate = cycler.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    shaker = protocol.load_module("heaterShakerModuleV1", 1)
    shaker_plate = shaker.load_labware(
        "nest_96_wellplate_200ul_flat", adapter="opentrons_96_flat_bottom_adapter"
    )

    buffer = protocol.define_liquid("buffer", "wash buffer", "#00ff00")
    reservoir["A1"].load_liquid(buffer, 5000)

    protocol.home()
    temperature.set_temperature(8)
    cycler.open_lid()
    cycler.set_lid_temperature(105)
    cycler.set_block_temperature(20, hold_time_seconds=1, block_max_volume=50)

    shaker.close_labware_latch()
    pipette.pick_up_tip()
    for plate in (cold_plate, deep_plate, pcr_plate, shaker_plate):
        pipette.aspirate(50, reservoir["A1"])
        pipette.dispense(50, plate["A1"].bottom(1))
    pipette.drop_tip()

    magnet.engage(height_from_base=10)
    protocol.delay(seconds=1)
    magnet.disengage()

    shaker.set_target_temperature(37)
    shaker.set_and_wait_for_shake_speed(500)
    shaker.deactivate_shaker()
    shaker.deactivate_heater()
    shaker.open_labware_latch()

    cycler.close_lid()
    cycler.execute_profile(
        steps=[
            {"temperature": 95, "hold_time_seconds": 1},
            {"temperature": 57, "hold_time_seconds": 1},
        ],
        repetitions=2,
        block_max_volume=50,
    )
    cycler.deactivate_lid()
    cycler.deactivate_block()
    cycler.open_lid()
    temperature.deactivate()

    protocol.pause("Check the plates.")
    protocol.move_labware(reservoir, 2)
    protocol.move_labware(reservoir, OFF_DECK)
