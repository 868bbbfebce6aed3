metadata = {"apiLevel": "2.13", "protocolName": "Legacy modules"}


def run(protocol):
    temp = protocol.load_module("temperature module gen2", 1)
    cold = temp.load_labware("opentrons_96_aluminumblock_generic_pcr_strip_200ul")
    mag = protocol.load_module("magnetic module gen2", 4)
    beads = mag.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 2)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 3)
    p300 = protocol.load_instrument("p300_multi_gen2", "left", tip_racks=[tips])
    temp.set_temperature(4)
    p300.transfer(50, reservoir["A1"], [beads.columns()[i][0] for i in range(3)])
    mag.engage(height_from_base=5)
    p300.transfer(20, beads["A1"], cold["A1"])
    mag.disengage()
