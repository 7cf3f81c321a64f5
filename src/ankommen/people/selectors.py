"""Reads of persons and households, always limited to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from ankommen.algorithms.names import latin_tokens, query_keys
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people.models import (
    Consent,
    Household,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Vulnerability,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

SEARCH_LIMIT = 50


def households_visible_to(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_PERSON
) -> QuerySet[Household]:
    return access.restrict(Household._base_manager.all(), actor, action)


def persons_visible_to(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_PERSON
) -> QuerySet[Person]:
    return access.restrict(
        Person._base_manager.select_related("household"),
        actor,
        action,
        household_field="household_id",
    )


def search_persons(*, actor: User | AnonymousUser, query: str) -> list[Person]:
    """Persons whose names match every word of ``query`` by sound, in any script.

    Exact (transliterated) matches rank first, then by family name.
    """
    keys = query_keys(query)
    if not keys:
        return []
    candidates = persons_visible_to(actor=actor)
    for key in keys:
        candidates = candidates.filter(
            pk__in=PersonNameKey.objects.filter(key=key).values("person_id")
        )
    found = list(
        candidates.prefetch_related("nationalities", "languages").order_by(
            "family_name", "given_names"
        )[: SEARCH_LIMIT * 4]
    )
    wanted = set(latin_tokens(query))

    def rank(person: Person) -> tuple[int, str, str]:
        exact = len(wanted & set(latin_tokens(f"{person.given_names} {person.family_name}")))
        return (-exact, person.family_name.casefold(), person.given_names.casefold())

    return sorted(found, key=rank)[:SEARCH_LIMIT]


def household_for_page(*, actor: User | AnonymousUser, pk: int) -> Household:
    """The household with its members, or ``Household.DoesNotExist`` if out of reach."""
    members = Person._base_manager.order_by("birth_year", "family_name").prefetch_related(
        "nationalities", "languages"
    )
    return (
        households_visible_to(actor=actor)
        .select_related("county")
        .prefetch_related(Prefetch("members", queryset=members))
        .get(pk=pk)
    )


def _in_force(row: ResidenceStatus | Vulnerability, day: date) -> bool:
    return row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)


@dataclass(frozen=True)
class MemberFacts:
    """Every residence status and vulnerability of a household's members (oldest first)."""

    statuses: list[ResidenceStatus]
    vulnerabilities: list[Vulnerability]

    def statuses_on(self, day: date) -> dict[int, ResidenceStatus]:
        """Per person the status in force on ``day`` (the latest to begin, if several)."""
        return {s.person_id: s for s in self.statuses if _in_force(s, day)}

    def needs_on(self, day: date) -> list[Vulnerability]:
        return [v for v in self.vulnerabilities if _in_force(v, day)]


def member_facts(
    *, actor: User | AnonymousUser, household: Household, members: list[Person]
) -> MemberFacts | None:
    """The members' statuses and needs, or ``None`` without ``VIEW_SENSITIVE`` for the household.

    Read once per household object: the household page's table and its timeline share them.
    Callers that show health-related needs record an audited read.
    """
    if not access.can_reach(actor, Action.VIEW_SENSITIVE, household):
        return None
    cached: MemberFacts | None = household.__dict__.get("_member_facts")
    if cached is None:
        cached = MemberFacts(
            statuses=list(
                ResidenceStatus.objects.filter(person__in=members).order_by("valid_from", "pk")
            ),
            vulnerabilities=list(
                Vulnerability.objects.filter(person__in=members).order_by("valid_from", "pk")
            ),
        )
        household.__dict__["_member_facts"] = cached
    return cached


def household_sizes(*, actor: User | AnonymousUser) -> QuerySet[Household]:
    return households_visible_to(actor=actor).annotate(size=Count("members"))


def person_for_page(*, actor: User | AnonymousUser, pk: int) -> Person:
    """One person with codes, or ``Person.DoesNotExist`` if out of reach."""
    return (
        persons_visible_to(actor=actor)
        .prefetch_related("nationalities", "languages")
        .select_related("household__county")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class SensitiveFacts:
    """Residence status history, vulnerabilities and consents of one person, newest first."""

    statuses: list[ResidenceStatus]
    vulnerabilities: list[Vulnerability]
    consents: list[Consent]

    @property
    def reveals_health(self) -> bool:
        return any(v.category in Vulnerability.HEALTH_RELATED for v in self.vulnerabilities)


def sensitive_facts(*, actor: User | AnonymousUser, person: Person) -> SensitiveFacts | None:
    """The person's sensitive facts, or ``None`` if the actor may not see them. Callers that
    show health-related vulnerabilities record an audited read."""
    if not access.can_reach(actor, Action.VIEW_SENSITIVE, person.household):
        return None
    return SensitiveFacts(
        statuses=list(ResidenceStatus.objects.filter(person=person).order_by("-valid_from")),
        vulnerabilities=list(
            Vulnerability.objects.filter(person=person).order_by("-valid_from", "-pk")
        ),
        consents=list(Consent.objects.filter(person=person).order_by("-given_on", "-pk")),
    )
