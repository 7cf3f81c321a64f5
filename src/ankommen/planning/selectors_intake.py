"""Reads of intake planning: which counties an actor plans for, the series and the chain, and
the county's own intake counted from the allocations and the persons' allocation dates. Counts
only, no persons."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from ankommen.algorithms.intake import Chain, Link
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.people.models import Person
from ankommen.planning.models_intake import (
    ChainLink,
    Factor,
    NationalSeries,
    SeriesValue,
    StreamSource,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User


def planning_counties(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_PLANNING
) -> list[County]:
    """Counties in which the actor holds ``action`` (county scope only)."""
    return sorted(access.counties_for(actor, action), key=lambda c: c.name)


def county_for(
    *, actor: User | AnonymousUser, slug: str, action: Action = Action.VIEW_PLANNING
) -> County:
    """The county ``slug`` if the actor plans for it. ``PermissionDenied`` when the actor holds
    ``action`` nowhere, ``County.DoesNotExist`` for any other county (404: not revealed)."""
    counties = planning_counties(actor=actor, action=action)
    if not counties:
        raise PermissionDenied
    for county in counties:
        if county.slug == slug:
            return county
    raise County.DoesNotExist


def series_for(county: County) -> QuerySet[NationalSeries]:
    """The series a county may use: the shipped ones and its own uploads."""
    return NationalSeries.objects.filter(Q(county__isnull=True) | Q(county=county)).order_by(
        "county", "name"
    )


def month_index(day: date) -> int:
    """``year * 12 + month - 1``, the month numbering of :class:`algorithms.forecast.Series`."""
    return day.year * 12 + day.month - 1


def series_values(series: NationalSeries) -> dict[int, float]:
    return {
        month_index(month): value
        for month, value in SeriesValue.objects.filter(series=series).values_list("month", "value")
    }


def stream_sources(county: County) -> dict[str, NationalSeries]:
    return {
        source.stream: source.series
        for source in StreamSource.objects.filter(county=county).select_related("series")
    }


def chain_links(county: County) -> QuerySet[ChainLink]:
    return ChainLink.objects.filter(county=county).order_by("stream", "factor", "valid_from")


def chain_of(links: list[ChainLink], stream: str) -> Chain:
    """The chain of one stream as plain values (shares as fractions)."""

    def factor(code: str, scale: float) -> tuple[Link, ...]:
        return tuple(
            Link(month_index(link.valid_from), float(link.value) * scale)
            for link in links
            if link.stream == stream and link.factor == code
        )

    return Chain(
        land_share=factor(Factor.LAND_SHARE, 0.01),
        county_share=factor(Factor.COUNTY_SHARE, 0.01),
        lag=factor(Factor.LAG, 1.0),
    )


def _taken_in(county: County, day: date) -> QuerySet[Person]:
    """Persons the county has taken in by ``day``, each once, on the day they came: the
    arrival day of their allocation (imported allocation lists; an announced arrival counts once
    its day has come), else the allocation date recorded on the person. Births in the county
    have neither and do not count."""
    return (
        Person._base_manager.filter(county=county)
        .annotate(taken_in=Coalesce("allocation__planned_arrival", "allocated_on"))
        .filter(taken_in__lte=day)
    )


def intake_by_year(county: County, *, day: date) -> dict[int, int]:
    """Persons taken in per calendar year, up to ``day``."""
    rows = (
        _taken_in(county, day)
        .annotate(year=ExtractYear("taken_in"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["year"]: row["n"] for row in rows}


def intake_by_month(county: County, *, day: date) -> dict[int, int]:
    """Persons taken in per month (``year * 12 + month - 1``), up to ``day``."""
    counts: dict[int, int] = defaultdict(int)
    rows = (
        _taken_in(county, day)
        .annotate(year=ExtractYear("taken_in"), month=ExtractMonth("taken_in"))
        .values("year", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["year"] * 12 + row["month"] - 1] += row["n"]
    return dict(sorted(counts.items()))
