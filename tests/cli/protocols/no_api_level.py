metadata = {"protocolName": "No apiLevel"}


def run(protocol):
    protocol.home()
