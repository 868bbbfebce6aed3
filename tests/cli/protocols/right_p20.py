requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    protocol.load_instrument("p20_single_gen2", "right")  # line 5: nothing on the right mount
