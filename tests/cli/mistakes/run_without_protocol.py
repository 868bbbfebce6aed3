requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run():
    pass
