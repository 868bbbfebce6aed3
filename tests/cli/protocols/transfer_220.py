requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "CLI transfer"}


def add_parameters(parameters):
    parameters.add_float(
        variable_name="volume", display_name="Volume", default=50.0, minimum=1, maximum=300
    )
    parameters.add_bool(variable_name="mix", display_name="Mix", default=False)


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p300.pick_up_tip()
    p300.aspirate(protocol.params.volume, plate["A1"])
    p300.dispense(protocol.params.volume, plate["B1"])
    if protocol.params.mix:
        p300.mix(2, 20, plate["B1"])
    p300.drop_tip()
