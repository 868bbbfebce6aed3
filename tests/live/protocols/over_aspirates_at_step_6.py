"""Over-aspirates at its 6th robot command (line 12): the check must refuse it before a run."""

metadata = {"apiLevel": "2.20"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p300.pick_up_tip()
    p300.aspirate(100, plate["A1"])
    p300.aspirate(250, plate["A1"])
    p300.drop_tip()
