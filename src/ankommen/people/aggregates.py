"""Counts without personal data for the field-of-action pages.

The organisation tree (sites, providers) is shown to anyone with a membership in the county;
counts of households and persons only where :mod:`ankommen.core.access` grants
``VIEW_AGGREGATES``. Every query names the counties it may read, and the scoped managers
(django-scopes) refuse to run outside a county scope, so a mistake here fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Provider, Site
from ankommen.people.models import Person, Responsibility

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

# Sites where people live (an office or counselling centre has no occupancy).
ACCOMMODATION_KINDS = (
    Site.Kind.SHARED_ACCOMMODATION,
    Site.Kind.APARTMENT_CLUSTER,
    Site.Kind.APARTMENT,
    Site.Kind.EMERGENCY,
)


def member_counties(actor: User | AnonymousUser) -> list[County]:
    """Counties in which the actor holds any membership in force today."""
    seen: dict[int, County] = {}
    for membership in access.active_memberships(actor):
        seen.setdefault(membership.county_id, membership.county)
    return sorted(seen.values(), key=lambda county: county.name)


def _aggregate_county_ids(actor: User | AnonymousUser) -> set[int]:
    return {county.pk for county in access.counties_for(actor, Action.VIEW_AGGREGATES)}


def _percent(part: int, whole: int) -> int | None:
    """Whole percent, rounded half up as a reader expects (12.5 → 13); ``None`` for 0 places."""
    return (200 * part + whole) // (2 * whole) if whole else None


@dataclass(frozen=True)
class SiteOccupancy:
    site: Site
    households: int
    persons: int

    @property
    def percent(self) -> int | None:
        """Persons per place, in percent; ``None`` for a site without places."""
        return _percent(self.persons, self.site.capacity)

    @property
    def bar(self) -> int:
        """Width of the bar (0–100): an over-full site fills the bar, the text says by how much."""
        return min(self.percent or 0, 100)

    @property
    def over_capacity(self) -> bool:
        return self.persons > self.site.capacity


@dataclass(frozen=True)
class AccommodationOverview:
    county: County
    counts_visible: bool
    sites: list[SiteOccupancy]

    @property
    def capacity(self) -> int:
        return sum(row.site.capacity for row in self.sites)

    @property
    def households(self) -> int:
        return sum(row.households for row in self.sites)

    @property
    def persons(self) -> int:
        return sum(row.persons for row in self.sites)

    @property
    def percent(self) -> int | None:
        return _percent(self.persons, self.capacity)


def _active(kind: str, day: date, county_ids: set[int]) -> Q:
    """Responsibilities of ``kind`` in force on ``day``, reached from Person via household."""
    prefix = "household__responsibilities__"
    return (
        Q(**{f"{prefix}kind": kind, f"{prefix}valid_from__lte": day})
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day}))
        & Q(county_id__in=county_ids)
    )


def accommodation_overview(
    *, actor: User | AnonymousUser, day: date | None = None
) -> list[AccommodationOverview]:
    """Accommodation sites per county, with households and persons housed where allowed."""
    day = day or timezone.localdate()
    counties = member_counties(actor)
    counted = _aggregate_county_ids(actor) & {county.pk for county in counties}
    households: dict[int, int] = {}
    persons: dict[int, int] = {}
    if counted:
        households = dict(
            Responsibility.objects.active_on(day)
            .filter(
                kind=Responsibility.Kind.ACCOMMODATION,
                county_id__in=counted,
                site__isnull=False,
            )
            .order_by()
            .values("site_id")
            .annotate(n=Count("household_id", distinct=True))
            .values_list("site_id", "n")
        )
        # One filter() call, so the conditions apply to the same responsibility row.
        persons = dict(
            Person.objects.filter(
                _active(Responsibility.Kind.ACCOMMODATION, day, counted),
                household__responsibilities__site__isnull=False,
            )
            .order_by()
            .values("household__responsibilities__site_id")
            .annotate(n=Count("pk", distinct=True))
            .values_list("household__responsibilities__site_id", "n")
        )
    sites = (
        Site.objects.filter(county__in=counties, kind__in=ACCOMMODATION_KINDS)
        .select_related("municipality", "provider")
        .order_by("municipality__name", "name")
    )
    by_county: dict[int, list[SiteOccupancy]] = {county.pk: [] for county in counties}
    for site in sites:
        by_county[site.county_id].append(
            SiteOccupancy(site, households.get(site.pk, 0), persons.get(site.pk, 0))
        )
    return [
        AccommodationOverview(county, county.pk in counted, by_county[county.pk])
        for county in counties
    ]


@dataclass(frozen=True)
class ProviderCount:
    provider: Provider | None  # None: responsibilities held by county staff without a provider
    households: int
    bar: int = 0  # width relative to the largest count, 0–100


@dataclass(frozen=True)
class CaseworkOverview:
    county: County
    counts_visible: bool
    providers: list[ProviderCount] = field(default_factory=list)

    @property
    def households(self) -> int:
        return sum(row.households for row in self.providers)


def casework_overview(
    *, actor: User | AnonymousUser, day: date | None = None
) -> list[CaseworkOverview]:
    """Households with an active casework responsibility, per provider, where allowed.

    Social providers without a case are listed with zero, so that a missing provider is visible.
    """
    day = day or timezone.localdate()
    counties = member_counties(actor)
    counted = _aggregate_county_ids(actor)
    result = []
    for county in counties:
        if county.pk not in counted:
            result.append(CaseworkOverview(county, counts_visible=False))
            continue
        counts = dict(
            Responsibility.objects.active_on(day)
            .filter(kind=Responsibility.Kind.CASEWORK, county_id=county.pk)
            .order_by()
            .values("provider_id")
            .annotate(n=Count("household_id", distinct=True))
            .values_list("provider_id", "n")
        )
        providers = Provider.objects.filter(county=county).filter(
            Q(kind=Provider.Kind.SOCIAL) | Q(pk__in=[pk for pk in counts if pk is not None])
        )
        rows: list[tuple[Provider | None, int]] = [(p, counts.get(p.pk, 0)) for p in providers]
        if counts.get(None):
            rows.append((None, counts[None]))
        rows.sort(key=lambda row: (-row[1], row[0].name if row[0] else ""))
        largest = max((n for _, n in rows), default=0)
        result.append(
            CaseworkOverview(
                county,
                counts_visible=True,
                providers=[
                    ProviderCount(provider, n, _percent(n, largest) or 0) for provider, n in rows
                ],
            )
        )
    return result


@dataclass(frozen=True)
class ResponsibilityTotals:
    county: County
    counts_visible: bool
    households: int = 0
    persons: int = 0
    # Distinct staff or volunteers named on the responsibilities (a count, never a name).
    helpers: int = 0


def responsibility_totals(
    *, actor: User | AnonymousUser, kind: str, day: date | None = None
) -> list[ResponsibilityTotals]:
    """Per county: households and persons with an active responsibility of ``kind``."""
    day = day or timezone.localdate()
    counted = _aggregate_county_ids(actor)
    result = []
    for county in member_counties(actor):
        if county.pk not in counted:
            result.append(ResponsibilityTotals(county, counts_visible=False))
            continue
        active = Responsibility.objects.active_on(day).filter(kind=kind, county_id=county.pk)
        figures = active.aggregate(
            households=Count("household_id", distinct=True),
            helpers=Count("caseworker_id", distinct=True),
        )
        persons = Person.objects.filter(_active(kind, day, {county.pk})).distinct().count()
        result.append(
            ResponsibilityTotals(
                county,
                counts_visible=True,
                households=figures["households"],
                persons=persons,
                helpers=figures["helpers"],
            )
        )
    return result
