"""Custom labware at apiLevel 2.20 (labware/otlink_deep_96_wellplate.json), on a slot and on a
module's adapter, with a trash-bin drop and blow-out."""

from opentrons import protocol_api

requirements = {"robotType": "OT-2", "apiLevel": "2.20"}


def run(protocol: protocol_api.ProtocolContext) -> None:
    tips = protocol.load_labware("opentrons_96_tiprack_20ul", 1)
    plate = protocol.load_labware("otlink_deep_96_wellplate", 2, namespace="custom_beta", version=1)
    source = protocol.load_labware("nest_12_reservoir_15ml", 3)
    pipette = protocol.load_instrument("p20_single_gen2", "right", tip_racks=[tips])
    trash = protocol.fixed_trash

    protocol.home()
    pipette.pick_up_tip()
    pipette.aspirate(15, source["A1"])
    pipette.dispense(5, plate["H12"].bottom(1))
    pipette.dispense(5, plate.well(0).top(-3))
    pipette.touch_tip(plate["A1"])
    pipette.blow_out(trash)
    pipette.drop_tip()
    pipette.transfer(5, plate.columns()[0][:2], plate.columns()[11][:2], new_tip="always")
