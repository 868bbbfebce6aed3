"""Facts about the OT-2 that the emulator and live protocols both build engines from."""

ROBOT_TYPE = "OT-2 Standard"

# An OT-2's deck configuration: eleven standard slots and the fixed trash (robot-server's default).
OT2_DECK_CONFIGURATION: list[tuple[str, str, None]] = [
    *((f"cutout{slot}", "singleStandardSlot", None) for slot in range(1, 12)),
    ("cutout12", "fixedTrashSlot", None),
]
