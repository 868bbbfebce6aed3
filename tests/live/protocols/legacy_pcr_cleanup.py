"""A PCR setup and bead clean-up on opentrons' legacy core: temperature, thermocycler, magnet.

Master mix kept cold is distributed into the Thermocycler's plate, samples are added with a
mix, the plate is cycled (lid heated, a profile, a hold), then cleaned up on the Magnetic
Module. Heater-Shaker steps run from 2.13 on, where the legacy core has it. The fidelity tests
rewrite the apiLevel below.
"""

metadata = {"apiLevel": "2.8", "protocolName": "Legacy PCR and clean-up"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_filtertiprack_200ul", 3)
    small_tips = protocol.load_labware("opentrons_96_filtertiprack_20ul", 2)
    cold = protocol.load_module("temperature module gen2", 1)
    block = cold.load_labware("opentrons_24_aluminumblock_nest_1.5ml_snapcap")
    magnet = protocol.load_module("magnetic module gen2", 4)
    beads = magnet.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    cycler = protocol.load_module("thermocycler")
    pcr = cycler.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 5)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p20 = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[small_tips])

    cold.set_temperature(4)
    cycler.open_lid()
    cycler.set_block_temperature(4)
    p300.distribute(20, block["A1"], pcr.wells()[:4], disposal_volume=10, new_tip="once")
    p20.transfer(5, block.wells()[1:5], pcr.wells()[:4], mix_after=(3, 10), new_tip="always")

    cycler.close_lid()
    cycler.set_lid_temperature(105)
    cycler.execute_profile(
        steps=[{"temperature": 95, "hold_time_seconds": 30}], repetitions=1, block_max_volume=25
    )
    cycler.execute_profile(
        steps=[
            {"temperature": 95, "hold_time_seconds": 10},
            {"temperature": 60, "hold_time_minutes": 0.5},
        ],
        repetitions=3,
        block_max_volume=25,
    )
    cycler.set_block_temperature(4, hold_time_seconds=5, block_max_volume=25)
    cycler.deactivate_lid()
    cycler.open_lid()

    p300.transfer(25, pcr.wells()[:2], beads.wells()[:2], new_tip="always")
    p300.transfer(45, reservoir["A1"], beads.wells()[:2], mix_after=(5, 40), new_tip="always")
    protocol.delay(minutes=0.05)
    if protocol.api_version.minor < 14:
        magnet.engage(height=10)  # from home, as GEN1-era protocols gave it (gone in 2.14)
    else:
        magnet.engage(height_from_base=7.5)
    magnet.engage(height_from_base=4.2)
    protocol.delay(seconds=2)
    for well in beads.wells()[:2]:
        p300.transfer(60, well.bottom(0.5), reservoir["A12"].top(-2), blow_out=True)
    magnet.disengage()
    magnet.engage(offset=-1)
    magnet.disengage()
    cycler.deactivate_block()
    cycler.deactivate()
    cold.deactivate()
    if protocol.api_version.minor >= 13:
        shaker = protocol.load_module("heaterShakerModuleV1", 6)
        shaker.close_labware_latch()
        shaker.set_and_wait_for_shake_speed(500)
        shaker.set_and_wait_for_temperature(37)
        shaker.deactivate_shaker()
        shaker.deactivate_heater()
        shaker.open_labware_latch()
