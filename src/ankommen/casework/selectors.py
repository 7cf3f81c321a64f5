"""Reads of casework, always limited by ``core.access`` (the casework actions, which outside
county scope need the household's consent to sharing with the provider)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from ankommen.casework.models import Assignment, Case, Contact, Goal, Referral, Topic
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User


def cases_visible_to(
    *, actor: User | AnonymousUser | None, action: Action = Action.VIEW_CASEWORK
) -> QuerySet[Case]:
    return access.restrict(
        Case.objects.select_related("household", "provider", "person"),
        actor,
        action,
        household_field="household_id",
    )


def open_cases_visible_to(*, actor: User | AnonymousUser | None, day: date) -> list[Case]:
    """Open cases in reach with their members and current caseworkers, for the overview."""
    members = Person._base_manager.order_by("birth_year", "family_name")
    return list(
        cases_visible_to(actor=actor)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .prefetch_related(
            Prefetch("household__members", queryset=members),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active_on(day).select_related("caseworker"),
                to_attr="current_assignments",
            ),
        )
        .order_by("household__reference", "pk")
    )


def case_for_page(*, actor: User | AnonymousUser | None, pk: int) -> Case:
    """One case in reach, or ``Case.DoesNotExist``."""
    return cases_visible_to(actor=actor).select_related("household__county").get(pk=pk)


def cases_of_household(*, actor: User | AnonymousUser | None, household_id: int) -> list[Case]:
    return list(cases_visible_to(actor=actor).filter(household_id=household_id))


@dataclass(frozen=True)
class ContactView:
    """A contact as one reader sees it: the confidential note only for the staff of the
    author's provider; others learn only that there is one."""

    contact: Contact
    topics: list[str]
    confidential_note: str | None  # None: there is one, but not for this reader
    has_confidential: bool


def readable_providers(actor: User | AnonymousUser | None, county_id: int) -> frozenset[int]:
    return access.providers_for(actor, Action.VIEW_CASEWORK, county_id)


def contacts_of(*, actor: User | AnonymousUser | None, case: Case) -> list[ContactView]:
    """The case's contacts, newest first; ``case`` must come from a selector of this module."""
    providers = readable_providers(actor, case.county_id)
    rows = []
    contacts = (
        Contact.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position")))
    )
    for contact in contacts:
        has = bool(contact.confidential_note)
        readable = has and contact.author_provider_id in providers
        rows.append(
            ContactView(
                contact=contact,
                topics=[t.label for t in contact.topics.all()],
                confidential_note=contact.confidential_note if readable else None,
                has_confidential=has,
            )
        )
    return rows


def referrals_of(*, case: Case) -> list[Referral]:
    return list(Referral.objects.filter(case=case))


def goals_of(*, case: Case) -> list[Goal]:
    return list(Goal.objects.filter(case=case).select_related("referral"))


def assignments_of(*, case: Case) -> list[Assignment]:
    return list(case.assignments.select_related("caseworker").order_by("-valid_from", "-pk"))


def referral_for_change(*, actor: User | AnonymousUser | None, pk: int) -> Referral:
    """A referral the actor may change, or ``Referral.DoesNotExist``."""
    return (
        access.restrict(
            Referral.objects.select_related("case__household"),
            actor,
            Action.CHANGE_CASEWORK,
            household_field="case__household_id",
        )
    ).get(pk=pk)


def goal_for_change(*, actor: User | AnonymousUser | None, pk: int) -> Goal:
    """A goal the actor may change, or ``Goal.DoesNotExist``."""
    return (
        access.restrict(
            Goal.objects.select_related("case__household"),
            actor,
            Action.CHANGE_CASEWORK,
            household_field="case__household_id",
        )
    ).get(pk=pk)


@dataclass
class Worklist:
    """Overdue follow-ups of one caseworker (``caseworker`` None: cases without one)."""

    caseworker: object | None
    referrals: list[Referral] = field(default_factory=list)


def _overdue(day: date) -> QuerySet[Referral]:
    return Referral.objects.filter(
        status__in=Referral.OPEN, follow_up_on__lt=day, case__closed_on__isnull=True
    ).select_related("case__household", "case__provider")


def overdue_referrals(*, actor: User | AnonymousUser | None, day: date) -> QuerySet[Referral]:
    """Open referrals whose follow-up date has passed, in cases the actor reaches."""
    return access.restrict(
        _overdue(day),
        actor,
        Action.VIEW_CASEWORK,
        household_field="case__household_id",
    ).order_by("follow_up_on", "pk")


def worklists(
    *,
    actor: User | AnonymousUser | None,
    day: date,
    only_own: bool = False,
    system_county: County | None = None,
) -> list[Worklist]:
    """Overdue follow-ups per caseworker (a case with several caseworkers appears under each);
    ``only_own`` keeps the actor's own list. ``system_county``: the system's unattended job
    (the command), all of one county, without an actor."""
    if system_county is not None:
        found = _overdue(day).filter(county=system_county).order_by("follow_up_on", "pk")
    else:
        found = overdue_referrals(actor=actor, day=day)
    referrals = list(
        found.prefetch_related(
            Prefetch("case__household__members", queryset=Person._base_manager.all())
        )
    )
    assignments: dict[int, list[Assignment]] = {}
    for a in (
        Assignment.objects.active_on(day)
        .filter(case_id__in={r.case_id for r in referrals})
        .select_related("caseworker")
    ):
        assignments.setdefault(a.case_id, []).append(a)
    lists: dict[int | None, Worklist] = {}
    for referral in referrals:
        owners: list[Assignment | None] = list(assignments.get(referral.case_id, []))
        for a in owners or [None]:
            key = a.caseworker_id if a is not None else None
            if only_own and key != getattr(actor, "pk", -1):
                continue
            worklist = lists.setdefault(key, Worklist(a.caseworker if a is not None else None))
            worklist.referrals.append(referral)
    return sorted(lists.values(), key=lambda w: (w.caseworker is None, str(w.caseworker or "")))


def eligible_caseworkers(*, case: Case, day: date) -> list[User]:
    """Staff who may be assigned to the case (see ``services.may_work_on``)."""
    from ankommen.core.models import Membership, Role, Scope, User

    roles = [r for r in Role if Action.CHANGE_CASEWORK in access.ROLE_ACTIONS[r]]
    users = (
        Membership.objects.active_on(day)
        .filter(county_id=case.county_id, role__in=roles)
        .filter(Q(provider_id=case.provider_id) | Q(scope=Scope.COUNTY))
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=users, is_active=True).order_by("username"))
