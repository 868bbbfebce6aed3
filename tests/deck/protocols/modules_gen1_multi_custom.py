requirements = {"robotType": "OT-2", "apiLevel": "2.19"}


def run(protocol):
    hs = protocol.load_module("heaterShakerModuleV1", 1)
    hs_plate = hs.load_adapter("opentrons_96_flat_bottom_adapter").load_labware(
        "nest_96_wellplate_200ul_flat"
    )
    mag = protocol.load_module("magdeck", 9)
    mag_plate = mag.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    temp = protocol.load_module("tempdeck", 3)
    temp_block = temp.load_labware("opentrons_96_aluminumblock_generic_pcr_strip_200ul")
    tc = protocol.load_module("thermocycler")
    tc_plate = tc.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    trough = protocol.load_labware("otlink_test_8_trough", 6, namespace="custom_beta")
    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 5)
    p20m = protocol.load_instrument("p20_multi_gen2", "left", tip_racks=[tips])
    water = protocol.define_liquid("Water", description="", display_color="#4fa3e0")
    enzyme = protocol.define_liquid("Enzyme mix", description="", display_color="#2ca02c")
    trough["A1"].load_liquid(water, 15000)
    trough["A2"].load_liquid(enzyme, 8000)
    tc.open_lid()
    hs.close_labware_latch()
    p20m.transfer(15, trough["A1"], [hs_plate.columns()[i][0] for i in range(4)])
    p20m.transfer(
        10, trough["A2"], [tc_plate["A1"], mag_plate["A1"], temp_block["A1"]], new_tip="always"
    )
    p20m.pick_up_tip()
    p20m.aspirate(5, trough["A2"])
    p20m.dispense(5, hs_plate["A12"])
    p20m.drop_tip()
