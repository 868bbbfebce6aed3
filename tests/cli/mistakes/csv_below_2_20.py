requirements = {"robotType": "OT-2", "apiLevel": "2.18"}


def add_parameters(parameters):
    parameters.add_csv_file(variable_name="plate_map", display_name="Plate map")


def run(protocol):
    pass
