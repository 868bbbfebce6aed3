"""Pipetting at apiLevel 2.15: the fixed trash is labware, so every tip drop goes through it."""

from opentrons import protocol_api

metadata = {"protocolName": "Pipetting 2.15", "apiLevel": "2.15"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips300 = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    tips20 = protocol.load_labware("opentrons_96_tiprack_20ul", 4)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2, label="plate")
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips300])
    p20 = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips20])
    trash = protocol.fixed_trash

    protocol.comment("starting at B1")
    p300.starting_tip = tips300["B1"]
    protocol.home()
    protocol.set_rail_lights(True)

    p300.pick_up_tip()
    p300.aspirate(100, reservoir["A1"].bottom(2))
    p300.dispense(40, plate["A1"].top(-2))
    p300.dispense(20, plate["A2"].center())
    p300.mix(2, 30, plate["A2"])
    p300.touch_tip(plate["A2"], radius=0.8, v_offset=-2, speed=40)
    p300.air_gap(20)
    p300.dispense(60, trash["A1"])
    p300.blow_out(trash["A1"])
    p300.move_to(trash["A1"].top(2), minimum_z_height=30)
    p300.drop_tip()

    p300.pick_up_tip()
    p300.aspirate(50, plate.wells_by_name()["A1"])
    p300.blow_out(plate["A1"].top(5))
    p300.move_to(plate["H12"].top(10))
    p300.return_tip()

    p300.pick_up_tip(tips300["H12"])
    p300.drop_tip(trash["A1"])
    p300.pick_up_tip()
    p300.drop_tip(trash["A1"].top(-5))

    protocol.delay(seconds=2, msg="settling")
    p20.flow_rate.aspirate = 5
    p20.transfer(
        10,
        plate.rows()[0][:3],
        plate.rows()[1][:3],
        new_tip="always",
        mix_before=(1, 5),
        touch_tip=True,
        blow_out=True,
        blowout_location="trash",
    )
    p300.distribute(30, reservoir["A2"], plate.columns()[3][:4], disposal_volume=10)
    p300.consolidate(25, plate.columns_by_name()["5"][:3], reservoir["A3"])
    protocol.set_rail_lights(False)
