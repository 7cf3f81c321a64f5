"""The claim (Erstattungsantrag) of a county for a quarter or a year, the reconciliation of
claimed against received, and the cost side per facility.

:func:`claim_for` checks access (finance needs county scope) and builds the claim from the
dated history (:mod:`ankommen.finance.selectors`) with the pure computation
:func:`ankommen.algorithms.claims.compute_claim`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils.translation import gettext as _

from ankommen.algorithms.claims import (
    Claim,
    ClaimError,
    History,
    Kind,
    compute_claim,
    quarter_bounds,
)
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Site
from ankommen.finance.models import FacilityCost, ReimbursementRule, StatePayment
from ankommen.finance.selectors import Pseudonyms, as_rule, history_for, rules_for
from ankommen.housing.selectors import figures_on

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

ZERO = Decimal("0.00")
KIND_ORDER = (Kind.ONE_OFF, Kind.RECIPIENT, Kind.MSA, Kind.HEALTH, Kind.NETTING)


@dataclass
class ClaimReport:
    county: County
    year: int
    quarter: int | None
    claim: Claim
    rules: dict[str, ReimbursementRule]

    @property
    def first(self) -> date:
        return self.claim.first

    @property
    def last(self) -> date:
        return self.claim.last

    @property
    def total(self) -> Decimal:
        return self.claim.total

    @property
    def label(self) -> str:
        if self.quarter is None:
            return _("Jahr %(year)s") % {"year": self.year}
        return _("%(quarter)s. Quartal %(year)s") % {"quarter": self.quarter, "year": self.year}

    def by_kind(self) -> list[tuple[Kind, Decimal]]:
        sums = self.claim.by_kind()
        return [(kind, sums[kind]) for kind in KIND_ORDER]

    def subjects(self) -> int:
        return len({line.person for line in self.claim.lines})


@contextmanager
def no_gc() -> Iterator[None]:
    """Hundreds of thousands of small objects without reference cycles: the cyclic garbage
    collector would only rescan them (a third of the CPU time at 100,000 persons)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Inputs:
    """What claims of one county and year are computed from, read once (a page shows the
    year's or a quarter's claim and the four quarters for the reconciliation)."""

    rules: list[ReimbursementRule]
    history: History


def read_inputs(county: County, year: int, quarter: int | None = None) -> Inputs:
    if not 2016 <= year <= 2100:
        raise ClaimError(_("Jahr %(year)s liegt außerhalb von 2016 bis 2100.") % {"year": year})
    first, last = quarter_bounds(year, quarter)
    return Inputs(rules_for(county), history_for(county, first, last, Pseudonyms(county)))


def build_claim(
    county: County, year: int, quarter: int | None = None, inputs: Inputs | None = None
) -> ClaimReport:
    """The claim for a calendar year or one of its quarters (no access check: commands and
    benches; pages and the API use :func:`claim_for`). ``inputs`` may hold the whole year's
    history. Raises ``ClaimError``."""
    with no_gc():
        inputs = inputs or read_inputs(county, year, quarter)
        first, last = quarter_bounds(year, quarter)
        claim = compute_claim([as_rule(r) for r in inputs.rules], inputs.history, first, last)
    return ClaimReport(county, year, quarter, claim, {str(r.pk): r for r in inputs.rules})


def claim_for(
    *,
    actor: User | AnonymousUser | None,
    county: County,
    year: int,
    quarter: int | None = None,
    inputs: Inputs | None = None,
) -> ClaimReport:
    access.require(actor, Action.VIEW_FINANCE, county)
    return build_claim(county, year, quarter, inputs)


@dataclass(frozen=True)
class Reconciliation:
    label: str
    quarter: int | None
    claimed: Decimal
    received: Decimal

    @property
    def difference(self) -> Decimal:
        return self.claimed - self.received


def reconciliation(county: County, year: int, inputs: Inputs | None = None) -> list[Reconciliation]:
    """Claimed (each quarter's own claim) against received (payments booked to the quarter); a
    payment for the whole year is shown on its own row. ``inputs``: the whole year's."""
    payments: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        StatePayment.objects.filter(county=county, year=year)
        .values("quarter")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        payments[row["quarter"]] = row["total"] or ZERO
    inputs = inputs or read_inputs(county, year)
    rows = []
    for quarter in (1, 2, 3, 4):
        claimed = build_claim(county, year, quarter, inputs).total
        rows.append(
            Reconciliation(
                _("%(quarter)s. Quartal") % {"quarter": quarter},
                quarter,
                claimed,
                payments[quarter],
            )
        )
    if payments[None]:
        rows.append(Reconciliation(_("ohne Quartal"), None, ZERO, payments[None]))
    return rows


@dataclass
class FacilityBalance:
    site: Site
    costs: dict[str, Decimal] = field(default_factory=dict)
    reimbursed: Decimal = ZERO
    reserve_share: Decimal = ZERO  # beds held in reserve per bed, averaged over the months

    @property
    def cost(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    @property
    def deficit(self) -> Decimal:
        return self.cost - self.reimbursed

    @property
    def reserve_price(self) -> Decimal:
        """What the reserve places cost: the facility's cost × the share of its beds held."""
        return (self.cost * self.reserve_share).quantize(Decimal("0.01"))


def _month_middles(first: date, last: date) -> list[date]:
    return [date(first.year, m, 15) for m in range(first.month, last.month + 1)]


def facility_balances(report: ClaimReport) -> list[FacilityBalance]:
    """Cost (rent, security, operation) against the yearly lump sums earned by the persons
    housed there, per facility; the share of beds held in reserve from the dated bed states on
    the 15th of each month."""
    county = report.county
    sites = {
        site.pk: site
        for site in Site._base_manager.filter(county=county).exclude(kind=Site.Kind.OFFICE)
    }
    balances = {pk: FacilityBalance(site) for pk, site in sites.items()}
    for row in (
        FacilityCost.objects.filter(county=county, month__range=(report.first, report.last))
        .values("site_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        if row["site_id"] in balances:
            balances[row["site_id"]].costs[row["kind"]] = row["total"]
    for line in report.claim.lines:
        if line.kind == Kind.RECIPIENT and line.place and int(line.place) in balances:
            balances[int(line.place)].reimbursed += line.amount
    days = _month_middles(report.first, report.last)
    shares: dict[int, list[Decimal]] = defaultdict(list)
    for day in days:
        for site_id, figures in figures_on(list(sites), day).items():
            if figures.beds:
                shares[site_id].append(Decimal(figures.reserved) / Decimal(figures.beds))
    for site_id, values in shares.items():
        balances[site_id].reserve_share = sum(values, Decimal(0)) / len(days)
    return sorted(balances.values(), key=lambda b: b.site.name)
