"""Pipetting at apiLevel 2.19: the trash is a trash bin (an addressable area), tips drop there."""

from opentrons import protocol_api
from opentrons.types import Point

requirements = {"robotType": "OT-2", "apiLevel": "2.19"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 3)
    deep = protocol.load_labware(
        "nest_96_wellplate_2ml_deep", 5, adapter="opentrons_96_deep_well_adapter"
    )
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    trash = protocol.fixed_trash

    p300.starting_tip = tips.wells_by_name()["C3"]
    protocol.home()
    protocol.set_rail_lights(on=True)
    p300.pick_up_tip()
    p300.aspirate(120, reservoir["A1"].bottom(z=1))
    p300.air_gap(10, height=2)
    p300.dispense(130, deep["A1"].center().move(Point(1, 0, -2)))
    p300.mix(3, 50, deep["A1"], rate=0.5)
    p300.blow_out(trash)
    p300.touch_tip(deep["A1"], radius=0.5)
    p300.aspirate(60, deep["A1"])
    p300.dispense(60, trash)
    p300.move_to(plate["A1"].top(20), force_direct=True)
    p300.return_tip()
    p300.pick_up_tip()
    p300.drop_tip(trash)
    p300.transfer(
        [20, 40, 60], reservoir["A2"], plate.rows()[0][:3], new_tip="once", mix_after=(2, 20)
    )
    p300.distribute(
        20,
        reservoir["A3"],
        [plate.wells()[i] for i in (8, 9, 10)],
        blow_out=True,
        blowout_location="source well",
    )
    p300.consolidate(20, plate.columns()[1][:3], reservoir["A4"], new_tip="always")
    protocol.comment("done")
    protocol.delay(minutes=0.02)
    protocol.set_rail_lights(on=False)
    protocol.home()
