"""Temperature, magnetic and thermocycler modules on opentrons' legacy core (apiLevel 2.13).

The legacy core puts a plate on the Thermocycler higher than the engine does; a live run must
still go where the legacy core goes.
"""

metadata = {"apiLevel": "2.13", "protocolName": "Legacy modules 2.13"}


def run(protocol):
    tips = protocol.load_labware("opentrons_96_tiprack_300ul", 1)
    temperature = protocol.load_module("temperature module gen2", 3)
    cold = temperature.load_labware("opentrons_96_aluminumblock_generic_pcr_strip_200ul")
    magnet = protocol.load_module("magnetic module gen2", 4)
    beads = magnet.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    cycler = protocol.load_module("thermocycler")
    pcr = cycler.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    p300 = protocol.load_instrument("p300_single_gen2", "left", tip_racks=[tips])

    temperature.set_temperature(4)
    p300.transfer(50, cold["A1"], beads["A1"], mix_after=(1, 30))
    magnet.engage(height_from_base=6)
    protocol.delay(seconds=1)
    p300.transfer(40, beads["A1"].bottom(0.5), cold["A2"])
    magnet.disengage()
    magnet.engage()
    magnet.disengage()
    cycler.open_lid()
    p300.transfer(20, cold["A3"], pcr["B2"].bottom(1))
    cycler.close_lid()
    temperature.deactivate()
