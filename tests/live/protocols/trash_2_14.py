"""Every way a tip or liquid reaches the fixed-trash labware at apiLevel 2.14, the first level
on the engine core, plus a return_tip that must go back to its rack."""

from opentrons import protocol_api

metadata = {"protocolName": "Fixed trash 2.14", "apiLevel": "2.14"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p20 = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips])
    trash = protocol.fixed_trash

    protocol.home()
    p20.pick_up_tip()
    p20.aspirate(10, plate["A1"])
    p20.dispense(5, trash["A1"])
    p20.blow_out(trash["A1"])
    p20.move_to(trash["A1"].top(5), force_direct=True, minimum_z_height=20, speed=100)
    p20.move_to(trash["A1"].top())
    p20.drop_tip()
    p20.pick_up_tip()
    p20.return_tip()
    p20.pick_up_tip(tips["A2"])
    p20.drop_tip(trash["A1"])
    p20.pick_up_tip()
    p20.drop_tip(trash["A1"].top(-10))
    p20.transfer(5, plate["A1"], plate["A2"], blow_out=True, blowout_location="trash")
    p20.transfer(5, plate["A2"], plate["A3"], trash=False)
