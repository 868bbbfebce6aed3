import otlink_no_such_module

requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    pass
