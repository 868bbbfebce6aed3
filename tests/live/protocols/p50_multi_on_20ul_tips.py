"""A GEN1 P50 8-channel on 20 µL tips: opentrons' analysis accepts it, a robot fails the
pick-up (see otlink.live.tip_sizes). The tests rewrite the apiLevel below."""

metadata = {"apiLevel": "2.15"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p50 = protocol.load_instrument("p50_multi", "right", tip_racks=[tips])
    p50.pick_up_tip()
    p50.aspirate(10, plate["A1"])
    p50.dispense(10, plate["A2"])
    p50.drop_tip()
