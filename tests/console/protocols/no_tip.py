requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Forgets its tip"}


def run(protocol):
    plate = protocol.load_labware("corning_96_wellplate_360ul_flat", 2)
    p300 = protocol.load_instrument("p300_single_gen2", "left")
    p300.aspirate(50, plate["A1"])
