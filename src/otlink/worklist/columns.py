"""Header names as labs write them, matched to the fields of a row (case, spaces, synonyms)."""

from __future__ import annotations

import re

# Normalised header (lower case, letters and digits only) -> field. A labware is named by a
# slot or by a name; where a file has both, the slot is the reference and the name is checked.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_slot": ("sourceslot", "srcslot", "sourcedeckslot", "fromslot"),
    "source": (
        "source",
        "src",
        "sourceplate",
        "sourceplatename",
        "sourcelabware",
        "sourcelabwarename",
        "srcplate",
        "sourcerack",
        "sourceracklabel",
        "fromplate",
        "sourcename",
        "sourcecontainer",
    ),
    "source_well": (
        "sourcewell",
        "srcwell",
        "sourceposition",
        "sourcepos",
        "fromwell",
        "sourcewellname",
        "srcpos",
        "sourcetube",
    ),
    "destination_slot": (
        "destinationslot",
        "destslot",
        "dstslot",
        "targetslot",
        "toslot",
        "destinationdeckslot",
    ),
    "destination": (
        "destination",
        "dest",
        "dst",
        "target",
        "destinationplate",
        "destinationplatename",
        "destplate",
        "dstplate",
        "targetplate",
        "destinationlabware",
        "destlabware",
        "destinationlabwarename",
        "targetlabware",
        "destinationrack",
        "destrack",
        "toplate",
        "destinationname",
        "targetname",
        "destinationcontainer",
    ),
    "destination_well": (
        "destinationwell",
        "destwell",
        "dstwell",
        "targetwell",
        "targetposition",
        "destinationposition",
        "destposition",
        "destpos",
        "towell",
        "destinationwellname",
        "targetpos",
    ),
    "volume": (
        "volume",
        "vol",
        "transfervolume",
        "transfervol",
        "amount",
        "samplevolume",
        "volumeul",
        "volumeinul",
        "transferamount",
    ),
    "new_tip": ("newtip", "tip", "changetip", "tippolicy", "freshtip", "tipchange"),
    "mix_before": ("mixbefore", "premix", "mixsource"),
    "mix_after": ("mix", "mixafter", "postmix", "mixdestination", "mixes"),
    "air_gap": ("airgap",),
    "touch_tip": ("touchtip",),
    "blow_out": ("blowout",),
    "liquid_class": ("liquidclass", "liquid", "class", "liquidtype"),
    "aspirate_flow_rate": (
        "aspirateflowrate",
        "aspiraterate",
        "aspirationrate",
        "aspspeed",
        "aspiratespeed",
        "asprate",
        "aspirationflowrate",
    ),
    "dispense_flow_rate": (
        "dispenseflowrate",
        "dispenserate",
        "dispspeed",
        "dispensespeed",
        "disprate",
    ),
    "aspirate_height": (
        "aspirateheight",
        "aspheight",
        "aspirationheight",
        "sourceheight",
        "sourceaspirationheightabovebottom",
        "aspirationheightabovebottom",
    ),
    "dispense_height": (
        "dispenseheight",
        "dispheight",
        "destinationheight",
        "destheight",
        "destinationdispenseheightabovebottom",
        "dispenseheightabovebottom",
        "destdispenseheightabovebottom",
    ),
}

# Columns that only inform (names, barcodes, plate types of other instruments): read, not used.
INFORMATIONAL = frozenset(
    {
        "samplename",
        "sample",
        "sampleid",
        "samplecomment",
        "samplegroup",
        "comment",
        "comments",
        "note",
        "notes",
        "description",
        "sourceplatebarcode",
        "destinationplatebarcode",
        "sourcebarcode",
        "destinationbarcode",
        "destbarcode",
        "barcode",
        "sourceplatetype",
        "destinationplatetype",
        "destplatetype",
        "platetype",
        "sourcelabwaretype",
        "destinationlabwaretype",
        "sourceracktype",
        "destinationracktype",
        "destinationsamplename",
        "sourceconcentration",
        "sourceconcentrationunits",
        "destinationconcentration",
        "destinationconcentrationunits",
        "actualvolume",
        "transferstatus",
        "index",
        "id",
    }
)

_BY_NAME = {name: field for field, names in _SYNONYMS.items() for name in names}
_UNIT = re.compile(r"[\(\[]\s*(?:in\s+)?(µl|ul|μl|nl|ml|mm)\s*[\)\]]|[_ ](µl|ul|μl|nl|ml)$", re.I)
_UNIT_FACTOR = {"µl": 1.0, "ul": 1.0, "μl": 1.0, "nl": 0.001, "ml": 1000.0, "mm": 1.0}


def normalise(header: str) -> str:
    """``"Source Plate Name (µL)"`` -> ``"sourceplatename"``: no unit, case, spaces or marks."""
    without_unit = _UNIT.sub("", header)
    return re.sub(r"[^a-z0-9]", "", without_unit.lower())


def field_for(header: str) -> str | None:
    """The row field a header names, or None (informational or unknown: see :func:`informs`).

    >>> field_for("Transfer Volume"), field_for("destination_well"), field_for("Plate")
    ('volume', 'destination_well', None)
    """
    return _BY_NAME.get(normalise(header))


def informs(header: str) -> bool:
    """A column that carries information for people (sample names, barcodes...), not a step."""
    return normalise(header) in INFORMATIONAL


def unit_factor(header: str) -> float | None:
    """µL per unit written in a header (``Transfer Volume (nL)`` -> 0.001), None if none."""
    match = _UNIT.search(header)
    if not match:
        return None
    unit = (match.group(1) or match.group(2)).lower()
    return _UNIT_FACTOR[unit]


def known_columns() -> list[str]:
    """One readable name per field, for messages."""
    return [field.replace("_", " ") for field in _SYNONYMS]


def all_names() -> list[str]:
    """Every normalised header name a field answers to."""
    return sorted(_BY_NAME)
