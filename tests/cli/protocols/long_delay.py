requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    protocol.comment("waiting")
    protocol.delay(seconds=30)
    protocol.comment("never")
