requirements = {"robotType": "OT-2", "apiLevel": "2.20", "pipette": "p300"}


def run(protocol):
    pass
