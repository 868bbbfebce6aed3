requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1
    protocol.home()
