"""Cell values as spreadsheets write them: volumes, yes/no, mixes, well names."""

from __future__ import annotations

import re
from typing import Any

from .rows import Mix

_TRUE = {"yes", "y", "true", "t", "1", "x", "always", "new", "on"}
_FALSE = {"no", "n", "false", "f", "0", "never", "keep", "reuse", "off", ""}
_MIX = re.compile(r"^\s*(\d+)\s*(?:[x\u00d7*,;@]\s*(\d+(?:\.\d+)?)\s*(?:µl|ul)?)?\s*$", re.I)
_WELL = re.compile(r"^\s*([A-Za-z]{1,2})\s*0*(\d+)\s*$")


def decode(data: bytes) -> str:
    """A text file as spreadsheets save it: UTF-8 (with or without a BOM), UTF-16 with a BOM
    (Excel's "Unicode Text"), else Windows-1252 (Excel's "CSV" on a Western Windows: µ is 0xB5).

    >>> decode("Volume (µL)".encode("cp1252")), decode(b"\\xef\\xbb\\xbfA;B")
    ('Volume (µL)', 'A;B')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class CellError(ValueError):
    """A cell that cannot be read; the message says what it should look like, ``column``
    (where the reader knows it) which field it is in."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0`` (a slot 1 read from XLSX as 1.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise CellError(f"{what} should be a number, not {value!r}")
    if isinstance(value, int | float):
        return float(value)
    written = text(value)
    if not written:
        raise CellError(f"{what} is empty")
    if written.count(",") == 1 and written.rfind(",") > written.rfind("."):
        written = written.replace(".", "").replace(",", ".")  # a decimal comma: 1.234,5
    try:
        return float(written)
    except ValueError:
        raise CellError(f"{what} should be a number, not {text(value)!r}") from None


def optional_number(value: Any, what: str) -> float | None:
    return None if text(value) == "" else number(value, what)


def flag(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    written = text(value).lower()
    if written in _TRUE:
        return True
    if written in _FALSE:
        return False
    raise CellError(f"{what} should be yes or no, not {text(value)!r}")


def optional_flag(value: Any, what: str) -> bool | None:
    return None if text(value) == "" else flag(value, what)


def mix(value: Any, transfer_volume: float, what: str) -> Mix | None:
    """``3x20`` (3 cycles of 20 µL), ``3`` (3 cycles of the transfer's volume), empty: none."""
    if isinstance(value, dict):
        return Mix(int(value["repetitions"]), float(value["volume"]))
    written = text(value)
    if written == "" or written == "0":
        return None
    match = _MIX.match(written)
    if not match:
        raise CellError(
            f"{what} should be REPETITIONSxVOLUME (3x20) or REPETITIONS, not {written!r}"
        )
    volume = float(match.group(2)) if match.group(2) else transfer_volume
    return Mix(int(match.group(1)), volume)


def well(value: Any) -> str:
    """``a01`` -> ``A1``; a well number (``12``, as Tecan and Hamilton count) stays a number."""
    written = text(value)
    match = _WELL.match(written)
    if match:
        return f"{match.group(1).upper()}{int(match.group(2))}"
    return written
