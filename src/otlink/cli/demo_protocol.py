"""otlink's demo: a serial dilution across one row, with a run-time parameter.

``otlink demo`` runs this file live on a virtual OT-2, one atomic command at a time.
"""

from opentrons import protocol_api

metadata = {"protocolName": "otlink demo: serial dilution", "author": "otlink"}
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters: protocol_api.ParameterContext) -> None:
    parameters.add_int(
        variable_name="steps",
        display_name="Dilution steps",
        default=6,
        minimum=1,
        maximum=11,
    )


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    reservoir = protocol.load_labware("nest_12_reservoir_15ml", 2)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])

    row = plate.rows()[0]
    steps = protocol.params.steps  # type: ignore[attr-defined]
    protocol.comment(f"Diluent into {steps} wells, then a 1:2 series across row A.")
    p300.transfer(100, reservoir["A1"], row[1 : steps + 1])
    p300.transfer(200, reservoir["A2"], row[0])
    p300.transfer(100, row[:steps], row[1 : steps + 1], mix_after=(3, 50), new_tip="always")
