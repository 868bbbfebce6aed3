requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Notebook transfer"}


def add_parameters(parameters):
    parameters.add_int(
        variable_name="wells", display_name="Wells", default=8, minimum=1, maximum=96
    )


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 2)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    buffer = protocol.define_liquid("Buffer", description="wash", display_color="#1f77b4")
    reservoir["A1"].load_liquid(buffer, 10000)
    wells = plate.wells()[: protocol.params.wells]
    p300.transfer(50, reservoir["A1"], wells, new_tip="always")
