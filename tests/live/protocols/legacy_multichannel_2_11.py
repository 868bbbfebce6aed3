"""An 8-channel pipette on opentrons' legacy core (apiLevel 2.11): columns, a reservoir."""

metadata = {"apiLevel": "2.11", "protocolName": "Legacy multichannel 2.11"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("nest_96_wellplate_200ul_flat", 2)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 3)
    multi = protocol.load_instrument("p300_multi_gen2", "left", tip_racks=[tips])

    multi.transfer(50, reservoir["A1"], plate.rows()[0][:3], mix_after=(1, 20))
    multi.pick_up_tip()
    multi.aspirate(100, reservoir["A2"].bottom(3))
    multi.dispense(100, plate["A6"].top(-2))
    multi.blow_out(plate["A6"].top())
    multi.drop_tip()
