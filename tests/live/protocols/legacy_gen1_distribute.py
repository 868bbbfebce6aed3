"""GEN1 pipettes on opentrons' legacy core, as protocols of the OT-2's first years were written.

A P300 single and a P10 8-channel (on 20 µL tips, a common pairing): a multi-dispense with a
disposal volume blown out to the trash, a consolidate, transfers with an air gap, mixes and
touch tips, and each new_tip policy. The fidelity tests rewrite the apiLevel below.
"""

metadata = {"apiLevel": "2.0", "protocolName": "Legacy GEN1 distribute"}


def run(protocol):
    tips300 = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    tips20 = protocol.load_labware("opentrons_96_tiprack_20ul", 4)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    reservoir = protocol.load_labware("usascientific_12_reservoir_22ml", 3)
    p300 = protocol.load_instrument("p300_single", "left", tip_racks=[tips300])
    p10 = protocol.load_instrument("p10_multi", "right", tip_racks=[tips20])

    # blowout_location came in 2.8; before it a distribute's blow out went to the trash anyway.
    to_trash = {"blowout_location": "trash"} if protocol.api_version.minor >= 8 else {}
    p300.distribute(
        40,
        reservoir["A1"],
        plate.columns()[0],
        disposal_volume=20,
        blow_out=True,
        new_tip="once",
        **to_trash,
    )
    p300.consolidate(25, plate.columns()[0][:4], reservoir["A12"], new_tip="always")
    p300.transfer(
        120,
        reservoir["A2"],
        [plate["A2"], plate["H2"]],
        air_gap=20,
        touch_tip=True,
        new_tip="always",
    )
    p300.pick_up_tip()
    p300.transfer(30, reservoir["A3"], plate.columns()[2][:3], new_tip="never", mix_after=(2, 20))
    p300.blow_out(protocol.fixed_trash["A1"])
    p300.drop_tip()

    p10.transfer(5, reservoir["A4"], plate.rows()[0][3:5], mix_before=(2, 8), new_tip="always")
    p10.pick_up_tip()
    p10.aspirate(8, reservoir["A5"].bottom(1))
    p10.air_gap(2)
    p10.dispense(10, plate["A6"].top(-1))
    p10.mix(3, 6, plate["A6"])
    p10.touch_tip(plate["A6"])
    p10.blow_out()
    p10.return_tip()
    p10.pick_up_tip()
    p10.distribute(2, reservoir["A6"], plate.rows()[0][6:9], new_tip="never", disposal_volume=1)
    p10.drop_tip()
