"""Every failure shown carries a hint where a fix exists: the engine's common refusals name
their fix, a protocol failure without one points at its line, a usage error gives the usage."""

from __future__ import annotations

import pytest

from otlink.cli.failures import failure_of
from otlink.errors import PreflightFailed, ProtocolFailed


@pytest.mark.parametrize(
    ("error_type", "says"),
    [
        ("TipNotAttachedError", "pick_up_tip()"),
        ("TipAttachedError", "drop_tip()"),
        ("InvalidAspirateVolumeError", "room for"),
        ("PipetteNotAttachedError", "otlink emulate --left MODEL"),
    ],
)
def test_an_engine_refusal_names_its_fix(error_type: str, says: str) -> None:
    cause = PreflightFailed(
        command_type="aspirate", error_type=error_type, error_code="3005", detail="refused"
    )
    failure = failure_of(ProtocolFailed("refused [line 7]", 7, cause, file="/x/transfer.py"))
    assert failure.error_type == error_type and says in (failure.hint or "")


def test_a_failure_with_no_known_fix_points_at_its_line() -> None:
    cause = PreflightFailed(
        command_type="aspirate", error_type="SomethingNew", error_code="4000", detail="odd"
    )
    failure = failure_of(ProtocolFailed("odd [line 9]", 9, cause, file="/x/transfer.py"))
    assert failure.hint == "fix line 9 of transfer.py"
