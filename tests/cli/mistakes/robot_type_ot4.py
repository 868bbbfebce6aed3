requirements = {"robotType": "OT-4", "apiLevel": "2.20"}


def run(protocol):
    pass
