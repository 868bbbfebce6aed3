"""PCR set-up and cycling: a master mix kept at 4 °C, 35 cycles, a 10-minute final extension."""

metadata = {"protocolName": "PCR with long holds", "author": "otlink tests"}
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(ctx):
    cold = ctx.load_module("temperature module gen2", 3)
    cycler = ctx.load_module("thermocycler module gen2")
    mix_block = cold.load_labware("opentrons_24_aluminumblock_nest_1.5ml_snapcap")
    plate = cycler.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    tips = ctx.load_labware("opentrons_96_tiprack_20ul", 1)
    p20 = ctx.load_instrument("p20_single_gen2", "right", tip_racks=[tips])

    cold.set_temperature(4)
    cycler.open_lid()
    cycler.set_block_temperature(4)
    for well in plate.wells()[:8]:
        p20.transfer(15, mix_block["A1"], well, new_tip="always")
    cycler.close_lid()
    cycler.set_lid_temperature(105)
    cycler.set_block_temperature(95, hold_time_minutes=3, block_max_volume=20)
    cycler.execute_profile(
        steps=[
            {"temperature": 95, "hold_time_seconds": 30},
            {"temperature": 57, "hold_time_seconds": 30},
            {"temperature": 72, "hold_time_seconds": 60},
        ],
        repetitions=35,
        block_max_volume=20,
    )
    cycler.set_block_temperature(72, hold_time_minutes=10, block_max_volume=20)
    cycler.set_block_temperature(4)
    ctx.delay(minutes=30, msg="Hold the products cold before taking them out.")
    cycler.deactivate_lid()
    cycler.open_lid()
    cold.deactivate()
