metadata = {"apiLevel": "2.15"}
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    pass
