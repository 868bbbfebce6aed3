requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def add_parameters():
    pass


def run(protocol):
    pass
