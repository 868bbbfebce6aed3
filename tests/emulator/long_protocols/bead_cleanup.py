"""Magnetic bead clean-up: a kit's binding, settling and drying times, and a heated elution."""

metadata = {"protocolName": "Bead clean-up", "author": "otlink tests"}
requirements = {"robotType": "OT-2", "apiLevel": "2.16"}


def run(ctx):
    magnet = ctx.load_module("magnetic module gen2", 1)
    shaker = ctx.load_module("heaterShakerModuleV1", 3)
    samples = magnet.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    elution = shaker.load_labware("opentrons_96_pcr_adapter_nest_wellplate_100ul_pcr_full_skirt")
    reservoir = ctx.load_labware("nest_12_reservoir_15ml", 2)
    tips = ctx.load_labware("opentrons_96_tiprack_300ul", 4)
    p300 = ctx.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    beads, ethanol, water, waste = (reservoir[name] for name in ("A1", "A2", "A3", "A12"))
    columns = samples.rows()[0][:2]
    shaker.close_labware_latch()  # the pipette may pass beside it only when latched

    for well in columns:
        p300.transfer(50, beads, well, mix_after=(5, 50), new_tip="always")
    ctx.delay(minutes=5, msg="Binding")
    magnet.engage(height_from_base=10)
    ctx.delay(minutes=5, msg="Beads settling")
    for well in columns:
        p300.transfer(90, well, waste, new_tip="always")
    for _wash in range(2):
        for well in columns:
            p300.transfer(150, ethanol, well, new_tip="always")
        ctx.delay(seconds=30)
        for well in columns:
            p300.transfer(150, well, waste, new_tip="always")
    ctx.delay(minutes=10, msg="Air-drying the beads")
    magnet.disengage()
    shaker.set_and_wait_for_temperature(65)
    for source, target in zip(columns, elution.rows()[0][:2], strict=True):
        p300.transfer(30, water, source, mix_after=(10, 20), new_tip="always")
        p300.transfer(25, source, target, new_tip="always")
    shaker.set_and_wait_for_shake_speed(1200)
    ctx.delay(minutes=10, msg="Elution at 65 °C")
    shaker.deactivate_shaker()
    shaker.deactivate_heater()
    shaker.open_labware_latch()
