requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
VOLUME = 100 / 0


def run(protocol):
    pass
