"""The README's transfer.py: one transfer from A1 to B1 of a custom plate (my_plate.json)."""

requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "README transfer"}


def add_parameters(parameters):
    parameters.add_float(
        variable_name="volume", display_name="Volume (µL)", default=50, minimum=1, maximum=300
    )


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("my_plate", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    p300.transfer(protocol.params.volume, plate["A1"], plate["B1"])
