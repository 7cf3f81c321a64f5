"""Intake planning without Django: the chain that turns a national series into a county prior,
and the Aufnahmesoll with its carry-over into the next year.

Months are integers ``year * 12 + month - 1`` (as in :mod:`ankommen.algorithms.forecast`).

**The chain** (``docs/planning.md``, "Prior"): for every month ``m`` of the national series,

    prior[m + lag(m)] += national[m] × land_share(m) × county_share(m + lag(m))

where each factor is the dated value in force (the latest ``valid_from`` not after the month):
the Land's share is the one in force when the applications are registered (the EASY
distribution), the county's share the one in force when the persons arrive in the county. A lag
that changes can map two national months to one county month (they add up) or none.

**The carry-over** (Aufnahmesoll, § 6(4) LAufnG; the Land nets under- or over-fulfilment in the
following year): ``target(y) = quota(y) + balance(y - 1)`` and ``balance(y) = target(y) -
intake(y)``. A positive balance is a shortfall the county must still take in, a negative one an
over-fulfilment that lowers next year's target. A year without a quota breaks the chain: the
next year starts without a carry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Longest lag accepted, in months.
MAX_LAG = 24


class ChainError(ValueError):
    """A chain that cannot be applied (German message)."""


@dataclass(frozen=True)
class Link:
    """One dated value of a chain factor: in force from month ``valid_from`` on."""

    valid_from: int
    value: float


@dataclass(frozen=True)
class Chain:
    """The three factors of a stream: shares as fractions (0.0303655 for 3.03655 %), the lag in
    whole months."""

    land_share: tuple[Link, ...]
    county_share: tuple[Link, ...]
    lag: tuple[Link, ...]


def value_on(links: Sequence[Link], month: int) -> float | None:
    """The value in force in ``month`` (the link with the latest ``valid_from`` ≤ month)."""
    best: Link | None = None
    for link in links:
        if link.valid_from <= month and (best is None or link.valid_from >= best.valid_from):
            best = link
    return None if best is None else best.value


def check_chain(chain: Chain) -> None:
    """Raise :class:`ChainError` for a share outside 0–1 or a lag that is not a whole number of
    months between 0 and :data:`MAX_LAG`."""
    for name, links in (("Landesanteil", chain.land_share), ("Kreisanteil", chain.county_share)):
        for link in links:
            if not 0.0 <= link.value <= 1.0:
                raise ChainError(f"{name} {link.value * 100:g} % liegt nicht zwischen 0 und 100 %.")
    for link in chain.lag:
        if link.value != int(link.value) or not 0 <= link.value <= MAX_LAG:
            raise ChainError(
                f"Verzögerung {link.value:g} ist keine ganze Zahl von 0 bis {MAX_LAG} Monaten."
            )


def apply_chain(national: Mapping[int, float], chain: Chain) -> dict[int, float]:
    """The county prior per month. National months before a factor's first ``valid_from`` give
    nothing (no share known yet)."""
    check_chain(chain)
    prior: dict[int, float] = {}
    for month in sorted(national):
        land = value_on(chain.land_share, month)
        lag = value_on(chain.lag, month)
        if land is None or lag is None:
            continue
        target = month + int(lag)
        county = value_on(chain.county_share, target)
        if county is None:
            continue
        prior[target] = prior.get(target, 0.0) + national[month] * land * county
    return prior


def add_streams(streams: Sequence[Mapping[int, float]]) -> dict[int, float]:
    """The sum of several streams' priors, over the months any of them covers (a stream without
    a value in a month adds nothing there)."""
    total: dict[int, float] = {}
    for stream in streams:
        for month, value in stream.items():
            total[month] = total.get(month, 0.0) + value
    return dict(sorted(total.items()))


@dataclass(frozen=True)
class QuotaYear:
    """One year of the Aufnahmesoll. ``quota`` is ``None`` when the Land's figure is unknown."""

    year: int
    quota: int | None
    carried_in: int  # balance of the previous year (+ shortfall, − over-fulfilment)
    intake: int  # persons taken in
    so_far: bool = False  # the year is not over (intake up to the reference day)

    @property
    def target(self) -> int | None:
        """What the county has to take in this year: quota plus carry-over."""
        return None if self.quota is None else self.quota + self.carried_in

    @property
    def balance(self) -> int | None:
        """Target minus intake: > 0 still to take in (shortfall), < 0 over-fulfilled."""
        target = self.target
        return None if target is None else target - self.intake

    @property
    def fulfilment(self) -> float | None:
        """Intake as a share of the target (``None`` without a positive target)."""
        target = self.target
        return None if target is None or target <= 0 else self.intake / target


def carry_over(
    quotas: Mapping[int, int],
    intake: Mapping[int, int],
    years: Sequence[int],
    *,
    current_year: int | None = None,
) -> list[QuotaYear]:
    """The Aufnahmesoll of ``years`` (ascending, consecutive) with the carry-over. The carry
    into the first year is the balance of the year before it, computed from every earlier year
    with a quota (so a table starting in 2024 still nets 2023). ``current_year`` marks the year
    whose intake is counted so far."""
    if not years:
        return []
    if list(years) != list(range(years[0], years[0] + len(years))):
        raise ChainError("Die Jahre müssen aufsteigend aufeinander folgen.")
    known = [y for y in quotas if y < years[0]]
    start = min(known) if known else years[0]
    rows: list[QuotaYear] = []
    carry = 0
    for year in range(start, years[-1] + 1):
        quota = quotas.get(year)
        row = QuotaYear(
            year=year,
            quota=quota,
            carried_in=carry if quota is not None else 0,
            intake=intake.get(year, 0),
            so_far=current_year is not None and year == current_year,
        )
        balance = row.balance
        carry = balance if balance is not None else 0
        if year >= years[0]:
            rows.append(row)
    return rows
