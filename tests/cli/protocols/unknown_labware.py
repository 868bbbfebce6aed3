requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    protocol.load_labware("corning_96_wellplate_360ul_flt", 2)
