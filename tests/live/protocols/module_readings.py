"""Reads every module property of the Protocol API after driving each module (a comment each)."""

from opentrons.protocols.api_support.types import APIVersion

metadata = {"protocolName": "Module readings", "apiLevel": "2.20"}


def run(protocol):
    def text(value):
        # A number as a person writes it: the robot's 37.0 and its hardware's 37 alike.
        return f"{value:g}" if isinstance(value, float | int) else str(value)

    def say(name, module, *properties):
        values = ", ".join(f"{prop}={text(getattr(module, prop))}" for prop in properties)
        protocol.comment(f"{name}: {values}")

    temperature = protocol.load_module("temperature module gen2", 3)
    magnets = protocol.load_module("magnetic module gen2", 9)
    cycler = protocol.load_module("thermocycler module")
    shaker = protocol.load_module("heaterShakerModuleV1", 1)
    magnets.load_labware("nest_96_wellplate_100ul_pcr_full_skirt")
    cycler_properties = (
        "lid_position",
        "block_temperature",
        "block_target_temperature",
        "block_temperature_status",
        "lid_temperature",
        "lid_target_temperature",
        "lid_temperature_status",
    )
    shaker_properties = (
        "current_temperature",
        "target_temperature",
        "temperature_status",
        "current_speed",
        "target_speed",
        "speed_status",
        "labware_latch_status",
    )
    say("before", temperature, "temperature", "target", "status")
    temperature.set_temperature(37)
    say("temperature", temperature, "temperature", "target", "status")
    magnets.engage()
    say("magnets", magnets, "status")
    cycler.close_lid()
    cycler.set_lid_temperature(60)
    cycler.set_block_temperature(50)
    say("cycler", cycler, *cycler_properties)
    cycler.open_lid()
    cycler.deactivate()
    say("cycler off", cycler, *cycler_properties)
    shaker.close_labware_latch()
    shaker.set_and_wait_for_temperature(40)
    shaker.set_and_wait_for_shake_speed(500)
    say("shaker", shaker, *shaker_properties)
    shaker.deactivate_shaker()
    shaker.open_labware_latch()
    say("shaker off", shaker, *shaker_properties)
    magnets.disengage()
    temperature.deactivate()
    say("after", temperature, "temperature", "target", "status")
    if protocol.api_version >= APIVersion(2, 14):
        say("serials", temperature, "serial_number")
