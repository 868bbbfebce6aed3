requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    protocol.load_instrument("p20_multi_gen2", "right")  # line 5: the robot has a single-channel
