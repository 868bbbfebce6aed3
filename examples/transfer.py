"""A Protocol API v2 protocol, unmodified: a volume from a tube into four wells of a plate.

The tube rack is custom labware (labware/otlink_example_6_tuberack_15ml.json). Run it live,
step by step, or let the robot run it on its own (the robot from --robot or OTLINK_ROBOT):

    otlink run transfer.py --param volume=50 --labware ./labware --offsets offsets.json
    otlink run transfer.py --upload --labware ./labware --offsets offsets.json
"""

from opentrons import protocol_api

metadata = {"protocolName": "otlink example: transfer", "author": "otlink"}
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters: protocol_api.ParameterContext) -> None:
    parameters.add_float(
        variable_name="volume",
        display_name="Volume per well",
        default=50.0,
        minimum=1.0,
        maximum=300.0,
        unit="µL",
    )


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    tubes = protocol.load_labware("otlink_example_6_tuberack_15ml", 3)
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])
    # Parameters are attributes made at run time: type checkers cannot know them.
    volume: float = protocol.params.volume  # type: ignore[attr-defined]
    p300.transfer(volume, tubes["A1"], plate.columns()[0][:4])
