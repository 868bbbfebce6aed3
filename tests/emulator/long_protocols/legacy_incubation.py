"""An older protocol (API 2.13, before the engine ran Python protocols): three 20-minute waits."""

metadata = {"protocolName": "Legacy incubation", "apiLevel": "2.13"}


def run(ctx):
    plate = ctx.load_labware("corning_96_wellplate_360ul_flat", 1)
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 2)
    p300 = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    for step in range(3):
        p300.transfer(50, plate["A1"], plate.wells()[step + 1])
        ctx.delay(minutes=20, msg=f"Incubation {step + 1}")
