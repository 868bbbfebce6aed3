metadata = {"apiLevel": "2.13"}


def run(protocol):
    protocol.load_labware("corning_96_wellplate_360ul_flt", 2)
