"""Caseload against the county's staffing key, per caseworker, provider and facility. Counts
only: no data of refugees (caseworkers, providers and facilities are named)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from ankommen.algorithms.caseload import Load, assess
from ankommen.casework import catalogue
from ankommen.casework.models import Assignment, Case, Position, StaffingRatio
from ankommen.core.models import County, Provider, Site, User
from ankommen.people.models import Person, Responsibility


@dataclass(frozen=True)
class Ratio:
    per_fte: int
    unit: str
    unit_label: str
    source: str
    verified: bool
    configured: bool  # False: the default (no row for the county yet)


@dataclass(frozen=True)
class Row:
    name: str
    key: int | None
    load: Load
    bar: int  # 0–100: cases per FTE against twice the key (the chart)
    limit_x: int  # where the key lies on the same scale


@dataclass(frozen=True)
class Caseload:
    county: County
    day: date
    ratio: Ratio
    caseworkers: list[Row]
    providers: list[Row]
    facilities: list[Row]
    total: Load

    @property
    def above(self) -> list[Row]:
        return [row for row in self.providers + self.facilities if row.load.above]


def ratio_for(county: County, day: date) -> Ratio:
    row = (
        StaffingRatio.objects.active_on(day)
        .filter(county=county)
        .order_by("-valid_from", "-pk")
        .first()
    )
    if row is None:
        return Ratio(
            catalogue.DEFAULT_RATIO_PER_FTE,
            StaffingRatio.Unit.HOUSEHOLDS,
            str(StaffingRatio.Unit.HOUSEHOLDS.label),
            catalogue.DEFAULT_RATIO_SOURCE,
            False,
            False,
        )
    return Ratio(row.per_fte, row.unit, str(row.get_unit_display()), row.source, row.verified, True)


def _row(name: str, key: int | None, cases: int, fte: Decimal, limit: int) -> Row:
    load = assess(cases, float(fte), limit)
    scale = 2 * limit
    value = load.per_fte if load.per_fte is not None else (scale if cases else 0)
    return Row(name, key, load, min(100, round(100 * value / scale)), 50)


def caseload(*, county: County, day: date) -> Caseload:
    """Open cases per full-time equivalent. The caller checks that the actor may see the
    county's figures (``VIEW_AGGREGATES`` with county scope)."""
    ratio = ratio_for(county, day)
    cases = Case.objects.filter(county=county, opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )
    households_by_provider: dict[int, set[int]] = defaultdict(set)
    all_households: set[int] = set()
    for provider_id, household_id in cases.values_list("provider_id", "household_id"):
        households_by_provider[provider_id].add(household_id)
        all_households.add(household_id)
    persons_of: dict[int, int] = {}
    if ratio.unit == StaffingRatio.Unit.PERSONS:
        persons_of = dict(
            Person._base_manager.filter(household_id__in=all_households)
            .values_list("household_id")
            .annotate(n=Count("pk"))
        )

    def count(households: set[int]) -> int:
        if ratio.unit == StaffingRatio.Unit.PERSONS:
            return sum(persons_of.get(h, 0) for h in households)
        return len(households)

    positions = list(Position.objects.active_on(day).filter(county=county))
    fte_by: dict[str, dict[int, Decimal]] = {
        "caseworker": defaultdict(Decimal),
        "provider": defaultdict(Decimal),
        "site": defaultdict(Decimal),
    }
    for p in positions:
        fte_by["caseworker"][p.caseworker_id] += p.fte
        fte_by["provider"][p.provider_id] += p.fte
        if p.site_id is not None:
            fte_by["site"][p.site_id] += p.fte

    by_caseworker: dict[int, set[int]] = defaultdict(set)
    for caseworker_id, household_id in (
        Assignment.objects.active_on(day)
        .filter(case__in=cases)
        .values_list("caseworker_id", "case__household_id")
    ):
        by_caseworker[caseworker_id].add(household_id)
    by_site: dict[int, set[int]] = defaultdict(set)
    for site_id, household_id in (
        Responsibility.objects.active_on(day)
        .filter(
            county=county,
            kind=Responsibility.Kind.ACCOMMODATION,
            site__isnull=False,
            household_id__in=all_households,
        )
        .values_list("site_id", "household_id")
    ):
        by_site[site_id].add(household_id)

    limit = ratio.per_fte
    users = User.objects.in_bulk(set(by_caseworker) | set(fte_by["caseworker"]))
    providers = Provider._base_manager.in_bulk(
        set(households_by_provider) | set(fte_by["provider"])
    )
    sites = Site._base_manager.in_bulk(set(by_site) | set(fte_by["site"]))
    caseworker_rows = [
        _row(str(users[u]), u, count(by_caseworker.get(u, set())), fte_by["caseworker"][u], limit)
        for u in users
    ]
    provider_rows = [
        _row(
            providers[p].name,
            p,
            count(households_by_provider.get(p, set())),
            fte_by["provider"][p],
            limit,
        )
        for p in providers
    ]
    facility_rows = [
        _row(sites[s].name, s, count(by_site.get(s, set())), fte_by["site"][s], limit)
        for s in sites
    ]
    total_fte = sum((p.fte for p in positions), Decimal(0))

    def order(rows: list[Row]) -> list[Row]:
        return sorted(rows, key=lambda r: (not r.load.above, r.name))

    return Caseload(
        county=county,
        day=day,
        ratio=ratio,
        caseworkers=order(caseworker_rows),
        providers=order(provider_rows),
        facilities=order(facility_rows),
        total=assess(count(all_households), float(total_fte), limit),
    )
