"""opentrons' legacy core (apiLevel < 2.14) finding module definitions on Python 3.11 and later.

The legacy core looks up the definition of a module it simulates (every module of an analysis)
by the file name ``f"{model}.json"``, where ``model`` is a ``str`` enum. Python 3.10, which a
robot runs, formats that as the enum's value (``temperatureModuleV2``); Python 3.11 formats it as
``TemperatureModuleModel.TEMPERATURE_V2``, no such file exists, and every ``load_module`` fails
with ``NoSuchModuleError`` (``python -m opentrons.cli analyze`` fails the same way here). With
:func:`install` the lookup is by the model's value, so an analysis or a run behaves as on a robot.

>>> install()
>>> module_geometry.load_definition(TemperatureModuleModel.TEMPERATURE_V2)["model"]
'temperatureModuleV2'
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any

from opentrons.hardware_control.modules.types import TemperatureModuleModel
from opentrons.protocol_api.core.legacy import module_geometry

__all__ = ["TemperatureModuleModel", "install"]
_INSTALLED = "__otlink_by_value__"


def install() -> None:
    """Look legacy module definitions up by model value (once per process)."""
    original = module_geometry.load_definition
    if getattr(original, _INSTALLED, False):
        return

    @functools.wraps(original)
    def load_definition(model: Any) -> Any:
        return original(model.value if isinstance(model, Enum) else model)

    setattr(load_definition, _INSTALLED, True)
    module_geometry.load_definition = load_definition
