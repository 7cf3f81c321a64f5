"""Typical first languages, naming traditions and household patterns per country of origin.

These are demo assumptions drawn from general knowledge of the groups who applied for asylum in
Germany (e.g. many applicants from Turkey and Iraq are Kurds, many from Russia are Chechens,
many from North Macedonia and Serbia are Roma); they are not statistics and not facts about any
person. Languages are ISO 639-3 codes. No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One group within a country of origin."""

    weight: float
    first_language: str
    pool: str  # key of namepools.POOLS
    # Further languages and the chance that an adult speaks each.
    other_languages: tuple[tuple[str, float], ...] = ()
    # Chance that a name is stored in the original script (the person's document shows it so).
    native_script: float = 0.0


@dataclass(frozen=True)
class Profile:
    variants: tuple[Variant, ...]
    households: str  # key of HOUSEHOLD_MIXES
    # Chance that the day and month of birth are unknown (documents show only the year).
    unknown_birth_day: float = 0.04


V = Variant
PROFILES: dict[str, Profile] = {
    "SYR": Profile(
        (
            V(0.78, "ara", "arab", (("eng", 0.25), ("tur", 0.08)), 0.15),
            V(0.22, "kmr", "kurdish", (("ara", 0.8),)),
        ),
        "family",
    ),
    "AFG": Profile(
        (
            V(0.58, "prs", "afghan", (("pus", 0.15), ("fas", 0.2), ("eng", 0.1)), 0.12),
            V(0.42, "pus", "afghan", (("prs", 0.6), ("urd", 0.1)), 0.12),
        ),
        "mixed",
        unknown_birth_day=0.35,
    ),
    "IRQ": Profile(
        (
            V(0.45, "ara", "arab", (("eng", 0.2),), 0.12),
            V(0.35, "kmr", "kurdish", (("ara", 0.5),)),
            V(0.20, "ckb", "kurdish", (("ara", 0.4), ("eng", 0.1))),
        ),
        "family",
    ),
    "TUR": Profile(
        (
            V(0.45, "tur", "turkish", (("eng", 0.3),)),
            V(0.55, "kmr", "kurdish_tr", (("tur", 0.95),)),
        ),
        "single",
    ),
    "GEO": Profile((V(1.0, "kat", "georgian", (("rus", 0.6), ("eng", 0.15)), 0.2),), "family"),
    "SOM": Profile(
        (V(1.0, "som", "somali", (("ara", 0.3), ("eng", 0.3))),), "single", unknown_birth_day=0.3
    ),
    "XXX": Profile(
        (
            V(0.7, "ara", "arab", (("eng", 0.1),), 0.1),
            V(0.3, "kmr", "kurdish", (("ara", 0.8),)),
        ),
        "family",
        unknown_birth_day=0.15,
    ),
    "ERI": Profile(
        (
            V(0.9, "tir", "eritrean", (("ara", 0.15), ("eng", 0.3), ("amh", 0.1)), 0.15),
            V(0.1, "tig", "eritrean", (("tir", 0.6), ("ara", 0.4))),
        ),
        "single",
        unknown_birth_day=0.25,
    ),
    "IRN": Profile(
        (
            V(0.75, "fas", "persian", (("eng", 0.4),), 0.12),
            V(0.13, "azb", "persian", (("fas", 0.95),)),
            V(0.12, "ckb", "kurdish", (("fas", 0.9),)),
        ),
        "mixed",
    ),
    "MDA": Profile(
        (
            V(0.7, "ron", "romanian", (("rus", 0.6),)),
            V(0.3, "rus", "romanian", (("ron", 0.5),)),
        ),
        "family",
    ),
    "NGA": Profile(
        (
            V(0.35, "yor", "nigerian", (("eng", 0.95), ("pcm", 0.5))),
            V(0.30, "ibo", "nigerian", (("eng", 0.95), ("pcm", 0.5))),
            V(0.20, "bin", "nigerian", (("eng", 0.95), ("pcm", 0.6))),
            V(0.15, "hau", "nigerian", (("eng", 0.8),)),
        ),
        "single",
        unknown_birth_day=0.08,
    ),
    "MKD": Profile(
        (
            V(0.35, "mkd", "macedonian", (("srp", 0.2),), 0.1),
            V(0.25, "sqi", "albanian", (("mkd", 0.6),)),
            V(0.40, "rmn", "roma_balkan", (("mkd", 0.8),)),
        ),
        "family",
    ),
    "RUS": Profile(
        (
            V(0.55, "che", "chechen", (("rus", 0.95),), 0.1),
            V(0.45, "rus", "russian", (("eng", 0.2),), 0.15),
        ),
        "family",
    ),
    "DZA": Profile(
        (
            V(0.8, "ara", "maghreb", (("fra", 0.7),), 0.05),
            V(0.2, "kab", "maghreb", (("ara", 0.8), ("fra", 0.8))),
        ),
        "single",
    ),
    "ALB": Profile((V(1.0, "sqi", "albanian", (("ita", 0.3), ("eng", 0.3))),), "family"),
    "PAK": Profile(
        (
            V(0.5, "urd", "pakistani", (("eng", 0.6),)),
            V(0.5, "pnb", "pakistani", (("urd", 0.9), ("eng", 0.4))),
        ),
        "single",
    ),
    "MAR": Profile(
        (
            V(0.8, "ara", "maghreb", (("fra", 0.5),), 0.05),
            V(0.2, "zgh", "maghreb", (("ara", 0.8),)),
        ),
        "single",
    ),
    "VNM": Profile((V(1.0, "vie", "vietnamese", (("eng", 0.2),)),), "single"),
    "GIN": Profile(
        (
            V(0.5, "fuf", "guinean", (("fra", 0.7),)),
            V(0.25, "sus", "guinean", (("fra", 0.7),)),
            V(0.25, "emk", "guinean", (("fra", 0.7),)),
        ),
        "single",
        unknown_birth_day=0.15,
    ),
    "SRB": Profile(
        (
            V(0.4, "srp", "serbian", (), 0.1),
            V(0.6, "rmn", "roma_balkan", (("srp", 0.9),)),
        ),
        "family",
    ),
    "TUN": Profile((V(1.0, "ara", "maghreb", (("fra", 0.7),), 0.05),), "single"),
    "LBN": Profile((V(1.0, "ara", "arab", (("fra", 0.4), ("eng", 0.4)), 0.1),), "mixed"),
    "ETH": Profile(
        (
            V(0.5, "amh", "ethiopian", (("eng", 0.3),), 0.1),
            V(0.3, "orm", "ethiopian", (("amh", 0.6),)),
            V(0.2, "tir", "eritrean", (("amh", 0.6),)),
        ),
        "single",
        unknown_birth_day=0.2,
    ),
    "YEM": Profile((V(1.0, "ara", "arab", (("eng", 0.2),), 0.1),), "mixed"),
    "UKR": Profile(
        (
            V(0.6, "ukr", "ukrainian", (("rus", 0.8), ("eng", 0.3)), 0.2),
            V(0.4, "rus", "ukrainian", (("ukr", 0.7), ("eng", 0.2)), 0.2),
        ),
        "ukraine",
        unknown_birth_day=0.0,
    ),
}
del V

# Household patterns (relative weights). "single_man"/"single_woman": one adult; "couple":
# two adults; "couple_children": parents with minor children; "single_mother"/"single_father";
# "three_generations": parents, children and a grandparent; "siblings": an adult with a younger
# adult sibling or cousin; "grandmother": an older woman with grandchildren; "older_couple".
HOUSEHOLD_MIXES: dict[str, dict[str, float]] = {
    "family": {
        "single_man": 28,
        "single_woman": 6,
        "couple": 8,
        "couple_children": 38,
        "single_mother": 10,
        "single_father": 2,
        "three_generations": 5,
        "siblings": 3,
    },
    "mixed": {
        "single_man": 45,
        "single_woman": 7,
        "couple": 7,
        "couple_children": 26,
        "single_mother": 8,
        "single_father": 2,
        "three_generations": 2,
        "siblings": 3,
    },
    "single": {
        "single_man": 62,
        "single_woman": 14,
        "couple": 6,
        "couple_children": 10,
        "single_mother": 6,
        "single_father": 1,
        "siblings": 1,
    },
    # Men of military age could mostly not leave Ukraine: women with children, older persons.
    "ukraine": {
        "single_man": 6,
        "single_woman": 16,
        "couple": 6,
        "couple_children": 12,
        "single_mother": 36,
        "grandmother": 10,
        "three_generations": 6,
        "older_couple": 8,
    },
}
