requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Pause for buffer"}


def run(protocol):
    protocol.comment("before")
    protocol.pause("Add the buffer to A1")
    protocol.comment("after")
