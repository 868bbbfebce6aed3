requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    tips20 = protocol.load_labware("opentrons_96_tiprack_20ul", 5)
    res = protocol.load_labware("nest_12_reservoir_15ml", 2, label="Buffers")
    plate = protocol.load_labware("corning_384_wellplate_112ul_flat", 3)
    temp = protocol.load_module("temperature module gen2", 6)
    cold = temp.load_labware("opentrons_24_aluminumblock_nest_1.5ml_snapcap")
    mag = protocol.load_module("magnetic module gen2", 9)
    magplate = mag.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    tc = protocol.load_module("thermocycler module gen2")
    pcr = tc.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    tc.open_lid()
    p300 = protocol.load_instrument("p300_multi_gen2", "left", tip_racks=[tips])
    p20 = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips20])
    buf = protocol.define_liquid("Buffer", description="wash", display_color="#1f77b4")
    dye = protocol.define_liquid("Dye", description="red", display_color="#d62728")
    res["A1"].load_liquid(buf, 10000)
    res["A2"].load_liquid(dye, 5000)
    for w in cold.wells()[:6]:
        w.load_liquid(dye, 1000)
    p300.transfer(100, res["A1"], plate.columns()[:3])
    p300.transfer(50, res["A2"], magplate.columns()[:2], new_tip="always")
    p20.transfer(10, cold.wells()[:6], pcr.wells()[:6], new_tip="always")
