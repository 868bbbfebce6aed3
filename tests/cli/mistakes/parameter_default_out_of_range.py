requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters(parameters):
    parameters.add_int(variable_name="n", display_name="N", default=30, minimum=1, maximum=10)


def run(protocol):
    pass
