"""The dated timeline of a household. Each field of action registers a source that yields
entries for a household; the household page merges and sorts them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ankommen.people.models import Household, Person, Responsibility, Vulnerability
from ankommen.people.selectors import member_facts


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    field: str  # slug of the field of action, or "person"
    title: str
    person: str = ""


TimelineSource = Callable[[Household, list[Person], object], Iterable[TimelineEntry]]
_SOURCES: list[TimelineSource] = []


def register(source: TimelineSource) -> TimelineSource:
    _SOURCES.append(source)
    return source


def timeline_for(household: Household, members: list[Person], actor: object) -> list[TimelineEntry]:
    entries = [entry for source in _SOURCES for entry in source(household, members, actor)]
    return sorted(entries, key=lambda entry: (entry.day, entry.title), reverse=True)


@register
def _key_dates(
    household: Household, members: list[Person], actor: object
) -> Iterable[TimelineEntry]:
    for person in members:
        if person.arrived_in_germany_on:
            yield TimelineEntry(
                person.arrived_in_germany_on,
                "person",
                _("Einreise nach Deutschland"),
                person.full_name,
            )
        if person.allocated_on:
            yield TimelineEntry(
                person.allocated_on,
                "unterbringung",
                _("Zuweisung an den Landkreis"),
                person.full_name,
            )


@register
def _statuses(
    household: Household, members: list[Person], actor: object
) -> Iterable[TimelineEntry]:
    facts = member_facts(actor=actor, household=household, members=members)  # type: ignore[arg-type]
    if facts is None:
        return
    names = {person.pk: person.full_name for person in members}
    for status in facts.statuses:
        yield TimelineEntry(status.valid_from, "person", str(status), names[status.person_id])
    for need in facts.vulnerabilities:
        if need.category in Vulnerability.HEALTH_RELATED:
            continue
        yield TimelineEntry(
            need.valid_from,
            "person",
            _("Schutzbedarf festgestellt: %(c)s") % {"c": need.get_category_display()},
            names[need.person_id],
        )


@register
def _responsibilities(
    household: Household, members: list[Person], actor: object
) -> Iterable[TimelineEntry]:
    field = {
        Responsibility.Kind.ACCOMMODATION: "unterbringung",
        Responsibility.Kind.CASEWORK: "beratung",
        Responsibility.Kind.MENTORING: "gesellschaft",
        Responsibility.Kind.COACHING: "arbeit",
    }
    for item in household.responsibilities.select_related("provider", "site", "caseworker"):
        who = item.site or item.provider or item.caseworker
        yield TimelineEntry(
            item.valid_from,
            field[Responsibility.Kind(item.kind)],
            _("%(kind)s: %(who)s – Beginn") % {"kind": item.get_kind_display(), "who": who},
        )
        if item.valid_to:
            yield TimelineEntry(
                item.valid_to,
                field[Responsibility.Kind(item.kind)],
                _("%(kind)s: %(who)s – Ende") % {"kind": item.get_kind_display(), "who": who},
            )
