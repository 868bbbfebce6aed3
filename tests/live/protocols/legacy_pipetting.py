"""Pipetting on opentrons' legacy core: what a live run must do just the same.

The fidelity tests run it at several apiLevels below 2.14, rewriting the level below.
"""

from opentrons.types import Point

metadata = {"apiLevel": "2.13", "protocolName": "Legacy pipetting"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    small_tips = protocol.load_labware("opentrons_96_tiprack_20ul", 4)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p20 = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[small_tips])

    protocol.comment("transfer, new tips, trash drops")
    p300.transfer(
        100,
        reservoir["A1"],
        [plate["A1"], plate["B1"]],
        new_tip="always",
        mix_after=(2, 50),
        touch_tip=True,
        blow_out=True,
        air_gap=10,
    )
    p20.distribute(5, reservoir["A2"], plate.columns()[1][:3], disposal_volume=2)
    p300.consolidate(30, plate.columns()[2][:3], reservoir["A3"])

    p300.flow_rate.aspirate = 50
    p300.pick_up_tip()
    p300.aspirate(50, plate["A1"].bottom(2))
    p300.move_to(plate["A4"].top(5))
    p300.move_to(plate["A4"].top().move(Point(1, -1, 2)))
    p300.dispense(25, plate["A4"].center())
    p300.mix(2, 20, plate["A4"])
    p300.air_gap(10)
    p300.dispense(35, plate["A5"].bottom(1.5))
    p300.blow_out(plate["A5"])
    p300.touch_tip(plate["A5"], radius=0.8, v_offset=-2, speed=40)
    p300.return_tip()

    trash = protocol.fixed_trash["A1"]  # labware below 2.16, only an area on the robot
    p20.pick_up_tip()
    p20.aspirate(10, reservoir["A4"])
    p20.dispense(5, trash.top(-5))
    p20.move_to(trash.top(2))
    p20.blow_out(trash)
    p20.drop_tip(trash.top(-10))

    protocol.delay(seconds=1.5)
    if protocol.api_version.minor >= 5:  # rail lights came in 2.5
        protocol.set_rail_lights(True)
    protocol.home()
