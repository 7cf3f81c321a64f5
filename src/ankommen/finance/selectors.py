"""Reads of the finance app: the rules in force for a county and the dated history a claim is
computed from, as plain values for :mod:`ankommen.algorithms.claims`.

Persons appear only under a pseudonym (:func:`pseudonym`): a keyed hash of the record's id, the
same in every claim of the county, which nobody can turn back into a person without the
server's key. The history is read per county; callers check access first
(:func:`ankommen.finance.claims.claim_for`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from ankommen.algorithms.claims import Booking, History, Housing, HousingSpan, Kind, Period, Rule
from ankommen.core.models import County
from ankommen.finance.models import BenefitPeriod, HealthInvoice, Income, ReimbursementRule
from ankommen.housing.selectors_stays import stays_between
from ankommen.people.models import Person, Responsibility


def pseudonym(county: County, kind: str, pk: int) -> str:
    """``P-…`` for a person, ``H-…`` for a household: stable, not reversible without the key."""
    message = f"finance:{county.pk}:{kind}:{pk}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:10].upper()}"


class Pseudonyms:
    """Pseudonyms of one county, computed once per record."""

    def __init__(self, county: County) -> None:
        self.county = county
        self._cache: dict[tuple[str, int], str] = {}

    def __call__(self, kind: str, pk: int) -> str:
        key = (kind, pk)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = pseudonym(self.county, kind, pk)
        return found


def rules_for(county: County) -> list[ReimbursementRule]:
    """The Land's rules and the county's own (county key), oldest first."""
    return list(
        ReimbursementRule.objects.filter(state=county.state)
        .filter(Q(county_key="") | Q(county_key=county.official_key))
        .order_by("kind", "housing", "valid_from")
    )


def as_rule(rule: ReimbursementRule) -> Rule:
    return Rule(
        key=str(rule.pk),
        kind=Kind(rule.kind),
        valid_from=rule.valid_from,
        amount=rule.amount,
        housing=Housing(rule.housing) if rule.housing else None,
        paragraph=rule.paragraph,
        source=rule.source,
    )


def _overlapping(queryset, first: date, last: date):  # type: ignore[no-untyped-def]
    return queryset.filter(valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )


def _merged(spans: list[tuple[date, date | None, int]]) -> list[tuple[date, date | None, int]]:
    """Union of dated spans (inclusive ends); each run keeps the id of its first span."""
    spans.sort(key=lambda s: s[0])
    merged: list[tuple[date, date | None, int]] = []
    for first, last, pk in spans:
        if merged:
            m_first, m_last, m_pk = merged[-1]
            if m_last is None or first <= m_last + timedelta(days=1):
                new_last = None if m_last is None or last is None else max(m_last, last)
                merged[-1] = (m_first, new_last, m_pk)
                continue
        merged.append((first, last, pk))
    return merged


def history_for(county: County, first: date, last: date, names: Pseudonyms) -> History:
    """Everything a claim for ``first`` … ``last`` needs, in a handful of streamed queries."""
    benefits = [
        Period(names("P", person_id), valid_from, valid_to, f"L{pk}")
        for pk, person_id, valid_from, valid_to in _overlapping(
            BenefitPeriod.objects.filter(county=county), first, last
        )
        .values_list("pk", "person_id", "valid_from", "valid_to")
        .order_by()
        .iterator(chunk_size=20000)
    ]
    housing = [
        HousingSpan(
            names("P", stay.person_id),
            stay.first,
            stay.last,
            Housing.FLAT if stay.is_flat else Housing.SHARED,
            str(stay.site_id),
        )
        for stay in stays_between(county, first, last)
    ]
    intakes = [
        Booking(names("P", pk), allocated_on, "Zuweisung")
        for pk, allocated_on in Person._base_manager.filter(
            county=county, allocated_on__range=(first, last)
        )
        .values_list("pk", "allocated_on")
        .order_by()
        if allocated_on is not None
    ]
    # Migrationssozialarbeit: one case per household while a casework responsibility runs
    # (docs/finance.md; to be replaced by the casework app's cases).
    by_household: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
    for pk, household_id, valid_from, valid_to in (
        _overlapping(
            Responsibility.objects.filter(county=county, kind=Responsibility.Kind.CASEWORK),
            first,
            last,
        )
        .values_list("pk", "household_id", "valid_from", "valid_to")
        .order_by()
    ):
        by_household[household_id].append((valid_from, valid_to, pk))
    msa = [
        Period(names("H", household_id), span_first, span_last, f"Z{pk}")
        for household_id, spans in by_household.items()
        for span_first, span_last, pk in _merged(spans)
    ]
    income = [
        Booking(names("P", person_id), day, f"E{pk}", amount)
        for pk, person_id, day, amount in Income.objects.filter(
            county=county, day__range=(first, last)
        )
        .values_list("pk", "person_id", "day", "amount")
        .order_by()
    ]
    health = [
        Booking(names("P", person_id), day, f"R{pk}", amount)
        for pk, person_id, day, amount in HealthInvoice.objects.filter(
            county=county, day__range=(first, last)
        )
        .values_list("pk", "person_id", "day", "amount")
        .order_by()
    ]
    return History(benefits, housing, intakes, msa, income, health)
