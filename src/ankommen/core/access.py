"""The one place that decides who may do what with which data.

A user holds dated :class:`~ankommen.core.models.Membership` rows: a role in a county, limited
to a scope (the whole county, one provider, one site, or the user's own caseload). A role grants
actions (:data:`ROLE_ACTIONS`); a scope limits the households an action reaches, through the
dated ``people.Responsibility`` rows that housing and casework write.

Everything fails closed: no membership, no rights. Selectors call :func:`restrict` so that a
queryset only ever holds what the caller may see; views call :func:`require` for actions that
are not about one household.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.core.models import County, Membership, Role, Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    VIEW_PERSON = "view_person"  # names, dates of birth, household, languages
    VIEW_SENSITIVE = "view_sensitive"  # residence status, vulnerabilities, consents
    CHANGE_PERSON = "change_person"
    CREATE_PERSON = "create_person"
    EXPORT_PERSONS = "export_persons"
    VIEW_HEALTH = "view_health"  # health records (health roles only)
    VIEW_AGGREGATES = "view_aggregates"  # statistics without personal data
    VIEW_AUDIT = "view_audit"
    MANAGE_STAFF = "manage_staff"


# Actions that concern one household (and so are limited by scope); the rest are county-wide.
HOUSEHOLD_ACTIONS = frozenset(
    {
        Action.VIEW_PERSON,
        Action.VIEW_SENSITIVE,
        Action.CHANGE_PERSON,
        Action.EXPORT_PERSONS,
        Action.VIEW_HEALTH,
    }
)

_A = Action
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.COUNTY_ADMIN: frozenset(
        {
            _A.VIEW_PERSON,
            _A.VIEW_SENSITIVE,
            _A.CHANGE_PERSON,
            _A.CREATE_PERSON,
            _A.EXPORT_PERSONS,
            _A.VIEW_AGGREGATES,
            _A.VIEW_AUDIT,
            _A.MANAGE_STAFF,
        }
    ),
    Role.COUNTY_CASEWORKER: frozenset(
        {
            _A.VIEW_PERSON,
            _A.VIEW_SENSITIVE,
            _A.CHANGE_PERSON,
            _A.CREATE_PERSON,
            _A.EXPORT_PERSONS,
            _A.VIEW_AGGREGATES,
        }
    ),
    Role.SHELTER_MANAGER: frozenset({_A.VIEW_PERSON, _A.VIEW_SENSITIVE, _A.VIEW_AGGREGATES}),
    Role.PROVIDER_CASEWORKER: frozenset({_A.VIEW_PERSON, _A.VIEW_SENSITIVE, _A.CHANGE_PERSON}),
    Role.HEALTH_STAFF: frozenset({_A.VIEW_PERSON, _A.VIEW_SENSITIVE, _A.VIEW_HEALTH}),
    Role.EDUCATION_COORDINATOR: frozenset({_A.VIEW_PERSON, _A.VIEW_AGGREGATES}),
    Role.JOB_COACH: frozenset({_A.VIEW_PERSON, _A.VIEW_SENSITIVE}),
    Role.VOLUNTEER_COORDINATOR: frozenset({_A.VIEW_PERSON, _A.VIEW_AGGREGATES}),
    Role.VOLUNTEER: frozenset({_A.VIEW_PERSON}),
    Role.PLANNER: frozenset({_A.VIEW_AGGREGATES}),
    Role.AUDITOR: frozenset({_A.VIEW_AUDIT, _A.VIEW_AGGREGATES}),
}
del _A

# Roles that need TOTP two-factor authentication (all staff; volunteers only log in to their
# mentees' basic data and are exempt unless the county decides otherwise).
TWO_FACTOR_ROLES = frozenset(set(Role) - {Role.VOLUNTEER})


def active_memberships(
    user: User | AnonymousUser | None, *, day: date | None = None
) -> list[Membership]:
    """The user's memberships in force on ``day`` (today by default); none for anonymous users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached: dict[date, list[Membership]] = user.__dict__.setdefault("_active_memberships", {})
    day = day or timezone.localdate()
    if day not in cached:
        cached[day] = list(
            Membership.objects.active_on(day)
            .filter(user=user)
            .select_related("county", "provider", "site")
        )
    return cached[day]


def _granting(
    user: User | AnonymousUser | None, action: Action, county: County | None, day: date | None
) -> Iterable[Membership]:
    for membership in active_memberships(user, day=day):
        if county is not None and membership.county_id != county.pk:
            continue
        if action in ROLE_ACTIONS[Role(membership.role)]:
            yield membership


def allows(user: User | AnonymousUser | None, action: Action, county: County) -> bool:
    """May the user do a county-wide ``action`` (not about one household) in ``county``?"""
    if action in HOUSEHOLD_ACTIONS:
        # Household actions are county-wide only with county scope.
        return any(m.scope == Scope.COUNTY for m in _granting(user, action, county, None))
    return any(True for _ in _granting(user, action, county, None))


def counties_for(user: User | AnonymousUser | None, action: Action) -> list[County]:
    """Counties in which the user holds some membership granting ``action``."""
    seen: dict[int, County] = {}
    for membership in _granting(user, action, None, None):
        seen.setdefault(membership.county_id, membership.county)
    return list(seen.values())


def deny() -> NoReturn:
    raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))


def require(user: User | AnonymousUser | None, action: Action, county: County) -> None:
    if not allows(user, action, county):
        deny()


def require_reach(
    user: User | AnonymousUser | None, action: Action, household: models.Model
) -> None:
    if not can_reach(user, action, household):
        deny()


def household_condition(
    user: User | AnonymousUser | None,
    action: Action,
    *,
    household_field: str = "pk",
    county_field: str = "county",
    day: date | None = None,
) -> Q:
    """A filter that keeps the rows whose household the user may reach with ``action``.

    ``household_field`` names the household's key on the filtered model (``pk`` on Household,
    ``household_id`` on Person). The result matches nothing when no membership grants the action.
    """
    day = day or timezone.localdate()
    responsibility = apps.get_model("people", "Responsibility")
    in_force = responsibility.objects.active_on(day)
    condition = Q(pk__in=[])
    for m in _granting(user, action, None, day):
        in_county = Q(**{f"{county_field}_id": m.county_id})
        if m.scope == Scope.COUNTY:
            reach = Q()
        elif m.scope == Scope.PROVIDER:
            households = in_force.filter(provider_id=m.provider_id).values("household_id")
            reach = Q(**{f"{household_field}__in": households})
        elif m.scope == Scope.FACILITY:
            households = in_force.filter(site_id=m.site_id).values("household_id")
            reach = Q(**{f"{household_field}__in": households})
        else:  # own caseload
            households = in_force.filter(caseworker_id=m.user_id).values("household_id")
            reach = Q(**{f"{household_field}__in": households})
        condition |= in_county & reach
    return condition


def restrict(
    queryset: models.QuerySet[M],
    user: User | AnonymousUser | None,
    action: Action,
    *,
    household_field: str = "pk",
) -> models.QuerySet[M]:
    """Limit ``queryset`` to the rows the user may reach with ``action``.

    The condition only compares the rows' own columns with ``IN (subquery)``; it joins nothing,
    so no row can appear twice and no DISTINCT is needed. (A DISTINCT here made counting the
    100,000 persons of a county sort every column of every row: 145 ms instead of 9 ms.)
    ``household_field`` must therefore name a single-valued path.
    """
    return queryset.filter(household_condition(user, action, household_field=household_field))


def can_reach(user: User | AnonymousUser | None, action: Action, household: models.Model) -> bool:
    """May the user do ``action`` on this one household?"""
    return restrict(type(household)._base_manager.filter(pk=household.pk), user, action).exists()
