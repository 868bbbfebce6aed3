requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "CSV plate map"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="plate_map", display_name="Plate map")


def run(protocol):
    for well, volume in protocol.params.plate_map.parse_as_csv()[1:]:
        protocol.comment(f"{well} gets {volume} uL")
