"""What the virtual OT-2 has attached: its name, pipettes and modules, checked before it boots."""

from __future__ import annotations

from dataclasses import dataclass, field

from .faults import FaultRule, FaultSpecError, parse_fault

# OT-2 pipettes by load name, with the hardware model the simulator attaches for each.
PIPETTE_MODELS: dict[str, str] = {
    "p10_single": "p10_single_v1.5",
    "p10_multi": "p10_multi_v1.5",
    "p20_single_gen2": "p20_single_v2.0",
    "p20_multi_gen2": "p20_multi_v2.0",
    "p50_single": "p50_single_v1.5",
    "p50_multi": "p50_multi_v1.5",
    "p300_single": "p300_single_v1.5",
    "p300_multi": "p300_multi_v1.5",
    "p300_single_gen2": "p300_single_v2.0",
    "p300_multi_gen2": "p300_multi_v2.1",
    "p1000_single": "p1000_single_v1.5",
    "p1000_single_gen2": "p1000_single_v2.0",
}

# The OT-2 modules, by engine model name, with the hardware kind that simulates each.
MODULE_KINDS: dict[str, str] = {
    "temperatureModuleV1": "tempdeck",
    "temperatureModuleV2": "tempdeck",
    "magneticModuleV1": "magdeck",
    "magneticModuleV2": "magdeck",
    "thermocyclerModuleV1": "thermocycler",
    "thermocyclerModuleV2": "thermocycler",
    "heaterShakerModuleV1": "heatershaker",
}

NO_PIPETTE = "none"


class SettingsError(ValueError):
    """A virtual robot that cannot exist (unknown pipette or module); the message says the fix."""


@dataclass(frozen=True)
class AttachedModule:
    model: str
    serial_number: str

    @property
    def kind(self) -> str:
        return MODULE_KINDS[self.model]


@dataclass(frozen=True)
class RobotSettings:
    """The virtual robot's identity and attached hardware.

    >>> RobotSettings(left="p1000_single_gen2", modules=("temperatureModuleV2",)).pipettes
    {'left': 'p1000_single_gen2', 'right': 'p20_single_gen2'}
    """

    name: str = "otlink-virtual-ot2"
    left: str = "p300_single_gen2"
    right: str = "p20_single_gen2"
    modules: tuple[str, ...] = ()
    serial: str = "OT2VIRTUAL0001"
    faults: tuple[str, ...] = ()
    # How long protocol code may run in a child process (loading it, analysing it).
    protocol_time_limit_s: float = 60.0
    # How long a run's protocol code may run without a Protocol API call (0: no limit).
    protocol_code_limit_s: float = 300.0
    # Delays and other waits end at once (each command still starts and ends); pauses still wait.
    fast: bool = False
    attached_modules: tuple[AttachedModule, ...] = field(init=False)
    fault_rules: tuple[FaultRule, ...] = field(init=False)

    def __post_init__(self) -> None:
        for mount in ("left", "right"):
            name = getattr(self, mount)
            if name != NO_PIPETTE and name not in PIPETTE_MODELS:
                raise SettingsError(
                    f"Unknown OT-2 pipette {name!r} on the {mount} mount; use one of "
                    f"{', '.join(PIPETTE_MODELS)}, or {NO_PIPETTE!r} for an empty mount."
                )
        for model in self.modules:
            if model not in MODULE_KINDS:
                raise SettingsError(
                    f"Unknown OT-2 module {model!r}; use one of {', '.join(MODULE_KINDS)}."
                )
        attached = tuple(
            AttachedModule(model=model, serial_number=f"{MODULE_KINDS[model]}-{index + 1}")
            for index, model in enumerate(self.modules)
        )
        object.__setattr__(self, "attached_modules", attached)
        try:
            rules = tuple(parse_fault(spec) for spec in self.faults)
        except FaultSpecError as error:
            raise SettingsError(f"--fault: {error}") from None
        object.__setattr__(self, "fault_rules", rules)

    @property
    def pipettes(self) -> dict[str, str]:
        """Attached pipette load names by mount; empty mounts are left out."""
        mounts = {"left": self.left, "right": self.right}
        return {mount: name for mount, name in mounts.items() if name != NO_PIPETTE}

    def pipette_serial(self, mount: str) -> str:
        return f"{mount[0].upper()}{self.pipettes[mount].upper().replace('_', '')}V0001"
