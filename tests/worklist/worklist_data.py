"""Worklists from elsewhere (data/, see data/README.md) and the decks they run on here."""

from __future__ import annotations

from pathlib import Path

from otlink.worklist import Deck

DATA = Path(__file__).parent / "data"

# worklist -> (deck file, extra options of ``otlink worklist``)
EXAMPLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dilution_run.gwl": ("gwl_deck.toml", ()),
    "robotools_basics.gwl": ("gwl_deck.toml", ()),
    "cherrypicking_new_tip.csv": ("cherrypicking_deck.toml", ("--new-tip", "once")),
    "falcon_to_axygen.csv": ("falcon_deck.toml", ()),
    "biomek_picklist.csv": ("picklist_deck.toml", ("--new-tip", "per-source")),
    "primates_pcr.csv": (
        "primates_deck.toml",
        ("--ignore-column", "ot2set", "--ignore-column", "reagent"),
    ),
}


def simple_deck(*pipettes: str, extra: str = "") -> Deck:
    """p300 single left and p20 single right (or the given left/right), tips, two plates."""
    left, right = (pipettes + ("p300_single_gen2", "p20_single_gen2")[len(pipettes) :])[:2]
    return Deck.from_toml(
        f"""
        [pipettes]
        left = "{left}"
        right = "{right}"
        [labware]
        1 = "opentrons_96_tiprack_300ul"
        4 = "opentrons_96_tiprack_20ul"
        2 = {{ load_name = "nest_12_reservoir_15ml", name = "Reagents", volume = 10000 }}
        3 = {{ load_name = "corning_96_wellplate_360ul_flat", name = "Assay" }}
        5 = {{ load_name = "corning_96_wellplate_360ul_flat", name = "Samples", volume = 100 }}
        {extra}
        """
    )
