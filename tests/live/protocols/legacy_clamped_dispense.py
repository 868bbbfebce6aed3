"""Dispenses more than the tip holds, then from an empty tip: the legacy core clamps the first
to what the tip holds and only moves for the second (opentrons' plan_check_dispense)."""

metadata = {"apiLevel": "2.13"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p300.pick_up_tip()
    p300.aspirate(50, plate["A1"])
    p300.dispense(100, plate["A2"])
    p300.dispense(30, plate["A3"].bottom(3))
    p300.drop_tip()
