requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    module = protocol.load_module("temperature module gen2", 3)
    module.set_temperature(37)
