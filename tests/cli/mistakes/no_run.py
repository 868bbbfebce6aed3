requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def main(protocol):
    pass
