"""The newest apiLevel opentrons 8.8 runs on an OT-2: pipetting, liquids (named and empty),
all four module kinds, a pause and a manual move."""

from opentrons import protocol_api

requirements = {"robotType": "OT-2", "apiLevel": "2.27"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 4)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 5)
    temperature = protocol.load_module("temperature module gen2", 3)
    cold = temperature.load_labware(
        "opentrons_24_aluminumblock_nest_1.5ml_snapcap", label="samples"
    )
    shaker = protocol.load_module("heaterShakerModuleV1", 1)
    adapter = shaker.load_adapter("opentrons_96_pcr_adapter")
    pcr = adapter.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    cycler = protocol.load_module("thermocyclerModuleV1")
    cycled = cycler.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    magnet = protocol.load_module("magneticModuleV2", 9)
    beads = magnet.load_labware("nest_96_wellplate_2ml_deep")
    pipette = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])

    water = protocol.define_liquid("water", description="water", display_color="#0000ff")
    reservoir.load_liquid(["A1", "A2"], 8000, water)
    plate.load_empty(plate.wells()[:8])
    cold["A1"].load_liquid(water, 500)

    protocol.home()
    temperature.set_temperature(4)
    shaker.close_labware_latch()

    pipette.pick_up_tip()
    pipette.aspirate(100, reservoir["A1"])
    pipette.air_gap(20)
    pipette.dispense(120, plate["A1"], push_out=5)
    pipette.mix(2, 50, plate["A1"])
    pipette.blow_out()
    pipette.touch_tip(speed=30)
    pipette.aspirate(40, cold["A1"].bottom(2))
    pipette.dispense(40, pcr["A1"].top(-4))
    pipette.blow_out(protocol.fixed_trash)
    cycler.open_lid()
    pipette.aspirate(30, beads["A1"].bottom(0.5))
    pipette.dispense(30, cycled["A1"])
    pipette.drop_tip()
    magnet.engage(height_from_base=8)
    magnet.disengage()
    cycler.close_lid()
    cycler.set_lid_temperature(100)
    cycler.execute_profile(
        steps=[{"temperature": 90, "hold_time_minutes": 0.01}], repetitions=1, block_max_volume=30
    )
    cycler.set_block_temperature(4)
    cycler.deactivate()
    cycler.open_lid()

    pipette.transfer(30, reservoir["A2"], plate.columns()[1][:3], new_tip="always", touch_tip=True)
    pipette.distribute(25, reservoir["A2"], pcr.rows()[0][1:4])
    pipette.consolidate(10, plate.rows()[0][:2], reservoir["A3"])

    shaker.set_and_wait_for_temperature(40)
    shaker.set_and_wait_for_shake_speed(300)
    protocol.delay(seconds=1.5, msg="shaking")
    shaker.deactivate_shaker()
    shaker.deactivate_heater()
    shaker.open_labware_latch()
    temperature.deactivate()

    protocol.pause()
    protocol.move_labware(plate, 6, use_gripper=False)
    protocol.comment("plate moved")
    protocol.set_rail_lights(True)
    protocol.home()
