requirements = {"robotType": "OT-2", "apiLevel": "2"}


def run(protocol):
    pass
