"""Caseload against a staffing key (Personalschlüssel): plain arithmetic, no Django.

A key of 1:80 means one full-time equivalent (FTE) looks after at most 80 households (or
persons, as the key says). A unit with households but no staff is above the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class CaseloadError(ValueError):
    """Invalid input to the caseload arithmetic (German message)."""


@dataclass(frozen=True)
class Load:
    cases: int  # households (or persons) looked after
    fte: float  # full-time equivalents
    per_fte: float | None  # cases per FTE; None without staff
    limit: int  # the key: at most this many per FTE
    above: bool  # more cases than the key allows
    fte_needed: float  # FTE the key asks for these cases (rounded up to tenths)
    percent: int | None  # cases per FTE in per cent of the key; None without staff


def assess(cases: int, fte: float, limit: int) -> Load:
    """Compare ``cases`` looked after by ``fte`` full-time equivalents with a key of
    ``1:limit``."""
    if cases < 0:
        raise CaseloadError(f"Die Zahl der Fälle darf nicht negativ sein ({cases}).")
    if fte < 0 or math.isnan(fte):
        raise CaseloadError(f"Die Vollzeitäquivalente dürfen nicht negativ sein ({fte}).")
    if limit <= 0:
        raise CaseloadError(f"Der Personalschlüssel muss größer als 0 sein (1:{limit}).")
    needed = math.ceil(cases * 10 / limit) / 10
    if fte == 0:
        return Load(cases, 0.0, None, limit, cases > 0, needed, None)
    per_fte = cases / fte
    return Load(
        cases,
        fte,
        round(per_fte, 1),
        limit,
        per_fte > limit,
        needed,
        round(per_fte * 100 / limit),
    )
