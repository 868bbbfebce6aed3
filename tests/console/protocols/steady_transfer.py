requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Steady transfer"}


def add_parameters(parameters):
    parameters.add_int(
        variable_name="transfers", display_name="Transfers", default=3, minimum=1, maximum=40
    )
    parameters.add_float(
        variable_name="volume", display_name="Volume", default=50.0, minimum=1, maximum=300
    )
    parameters.add_float(
        variable_name="wait", display_name="Wait", default=0.5, minimum=0, maximum=10
    )


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p300.pick_up_tip()
    for index in range(protocol.params.transfers):
        p300.aspirate(protocol.params.volume, plate.wells()[index])
        p300.dispense(protocol.params.volume, plate.wells()[index + 48])
        protocol.delay(seconds=protocol.params.wait)
    p300.drop_tip()
