requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "CSV plate map, read as a file"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="plate_map", display_name="Plate map")


def run(protocol):
    rows = protocol.params.plate_map.file.read().splitlines()[1:]
    for row in rows:
        well, volume = row.split(",")
        protocol.comment(f"{well} gets {volume} uL")
