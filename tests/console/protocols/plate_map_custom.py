requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Plate map on a custom plate"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="plate_map", display_name="Plate map")
    parameters.add_str(
        variable_name="mode",
        display_name="Mode",
        default="fast",
        choices=[
            {"display_name": "Fast", "value": "fast"},
            {"display_name": "Careful", "value": "careful"},
        ],
    )


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 1)
    plate = protocol.load_labware("otlink_deep_96_wellplate", 2, namespace="custom_beta", version=1)
    pipette = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips])
    pipette.pick_up_tip()
    for well, volume in protocol.params.plate_map.parse_as_csv()[1:]:
        protocol.comment(f"{protocol.params.mode}: {well} gets {volume} uL")
        pipette.aspirate(float(volume) / 2, plate[well])
        pipette.dispense(float(volume) / 2, plate[well])
    pipette.drop_tip()
