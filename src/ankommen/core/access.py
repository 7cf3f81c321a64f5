"""The one place that decides who may do what with which data.

A user holds dated :class:`~ankommen.core.models.Membership` rows: a role in a county, limited
to a scope (the whole county, one provider with its sites, one site, or the user's own
caseload). A role grants actions (:data:`ROLE_ACTIONS`); a scope limits the households an action
reaches, through the dated ``people.Responsibility`` rows that housing and casework write.
County-wide actions that show the whole county's records (:data:`COUNTY_SCOPE_ONLY`) need
county scope.

Everything fails closed: no membership, no rights. Selectors call :func:`restrict` so that a
queryset only ever holds what the caller may see; views call :func:`require` for actions that
are not about one household. The rules are summarised in ``docs/security.md`` and proven by the
matrix in ``tests/access/``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import reduce
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from django.apps import apps
from django.conf import settings
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
    VIEW_HEALTH = "view_health"  # health records (health roles only); every read audited
    RECORD_HEALTH = "record_health"  # write health records, book consultation hours
    VIEW_AGGREGATES = "view_aggregates"  # statistics without personal data
    VIEW_AUDIT = "view_audit"
    MANAGE_STAFF = "manage_staff"
    # Rooms, beds, bed assignments and moves: on the sites in scope and the households housed
    # there; county-wide (placement of announced households) only with county scope.
    MANAGE_ACCOMMODATION = "manage_accommodation"
    # Prepare a household's arrival: checklist, planned facility, vulnerability assessment.
    PREPARE_ARRIVAL = "prepare_arrival"
    # The capacity plan: forecast, simulation, scenarios, reserve places and costs per place.
    # Aggregates only (no personal data); county scope only.
    PLAN_CAPACITY = "plan_capacity"
    # GDPR: export everything held about one person (Art. 15); needs county scope, because the
    # export gathers the data of every field of action.
    EXPORT_SUBJECT_DATA = "export_subject_data"
    # GDPR Art. 17: run the anonymisation of persons whose retention period is over.
    RUN_RETENTION = "run_retention"
    # Intake planning (county figures only): the prior, the Aufnahmesoll, the Freimeldung.
    VIEW_PLANNING = "view_planning"
    # Upload series, edit the chain of shares and the yearly quota.
    MANAGE_PLANNING = "manage_planning"
    # Reimbursement (Kostenerstattung): claims with pseudonymised per-person lines, costs and
    # payments of the whole county; managing adds rules, payments and costs.
    VIEW_FINANCE = "view_finance"
    MANAGE_FINANCE = "manage_finance"
    # Casework (Migrationssozialarbeit): a household's cases, counselling contacts, referrals
    # and integration plan. Outside county scope only with the household's consent to sharing
    # with the provider (CONSENT_BOUND_ACTIONS).
    VIEW_CASEWORK = "view_casework"
    CHANGE_CASEWORK = "change_casework"


# Actions that concern one household (and so are limited by scope); the rest are county-wide.
HOUSEHOLD_ACTIONS = frozenset(
    {
        Action.VIEW_PERSON,
        Action.VIEW_SENSITIVE,
        Action.CHANGE_PERSON,
        Action.EXPORT_PERSONS,
        Action.VIEW_HEALTH,
        Action.RECORD_HEALTH,
        Action.MANAGE_ACCOMMODATION,
        Action.PREPARE_ARRIVAL,
        Action.EXPORT_SUBJECT_DATA,
        Action.VIEW_CASEWORK,
        Action.CHANGE_CASEWORK,
    }
)

# Household actions that share a household's data with a provider: a membership limited to a
# provider, a facility or a caseload reaches a household with them only while a member of the
# household holds an unwithdrawn consent for this purpose (``people.Consent``). County scope is
# the county's own task (§ 12 LAufnG) and needs no consent. Withdrawing the consent ends the
# provider's access on the day of the withdrawal.
CONSENT_BOUND_ACTIONS = frozenset({Action.VIEW_CASEWORK, Action.CHANGE_CASEWORK})
SHARING_CONSENT_PURPOSE = "share_provider"  # people.Consent.Purpose.SHARE_WITH_PROVIDER

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
            _A.MANAGE_ACCOMMODATION,
            _A.PREPARE_ARRIVAL,
            _A.PLAN_CAPACITY,
            _A.EXPORT_SUBJECT_DATA,
            _A.RUN_RETENTION,
            _A.VIEW_PLANNING,
            _A.MANAGE_PLANNING,
            _A.VIEW_FINANCE,
            _A.MANAGE_FINANCE,
            _A.VIEW_CASEWORK,
            _A.CHANGE_CASEWORK,
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
            _A.MANAGE_ACCOMMODATION,
            _A.PREPARE_ARRIVAL,
            _A.VIEW_CASEWORK,
            _A.CHANGE_CASEWORK,
        }
    ),
    Role.SHELTER_MANAGER: frozenset(
        {
            _A.VIEW_PERSON,
            _A.VIEW_SENSITIVE,
            _A.VIEW_AGGREGATES,
            _A.MANAGE_ACCOMMODATION,
            _A.PREPARE_ARRIVAL,
        }
    ),
    Role.PROVIDER_CASEWORKER: frozenset(
        {
            _A.VIEW_PERSON,
            _A.VIEW_SENSITIVE,
            _A.CHANGE_PERSON,
            _A.VIEW_CASEWORK,
            _A.CHANGE_CASEWORK,
        }
    ),
    Role.HEALTH_STAFF: frozenset(
        {_A.VIEW_PERSON, _A.VIEW_SENSITIVE, _A.VIEW_HEALTH, _A.RECORD_HEALTH}
    ),
    Role.EDUCATION_COORDINATOR: frozenset({_A.VIEW_PERSON, _A.VIEW_AGGREGATES}),
    Role.JOB_COACH: frozenset({_A.VIEW_PERSON, _A.VIEW_SENSITIVE}),
    Role.VOLUNTEER_COORDINATOR: frozenset({_A.VIEW_PERSON, _A.VIEW_AGGREGATES}),
    Role.VOLUNTEER: frozenset({_A.VIEW_PERSON}),
    Role.PLANNER: frozenset(
        {_A.VIEW_AGGREGATES, _A.PLAN_CAPACITY, _A.VIEW_PLANNING, _A.MANAGE_PLANNING}
    ),
    Role.AUDITOR: frozenset({_A.VIEW_AUDIT, _A.VIEW_AGGREGATES, _A.VIEW_FINANCE}),
}
del _A

# County-wide actions that show records of the whole county (the audit log, the staff list,
# planning, the reimbursement claim): a membership limited to a provider, a site or a caseload
# does not grant them.
COUNTY_SCOPE_ONLY = frozenset(
    {
        Action.VIEW_AUDIT,
        Action.MANAGE_STAFF,
        Action.PLAN_CAPACITY,
        Action.RUN_RETENTION,
        Action.VIEW_PLANNING,
        Action.MANAGE_PLANNING,
        Action.VIEW_FINANCE,
        Action.MANAGE_FINANCE,
    }
)

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


def second_factor_required(user: User | AnonymousUser | None) -> bool:
    """Must this user confirm a TOTP code (or hold a confirmed device, for API tokens)?"""
    if not settings.ANKOMMEN_REQUIRE_2FA:
        return False
    return any(Role(m.role) in TWO_FACTOR_ROLES for m in active_memberships(user))


def _granting(
    user: User | AnonymousUser | None, action: Action, county: County | None, day: date | None
) -> Iterable[Membership]:
    for membership in active_memberships(user, day=day):
        if county is not None and membership.county_id != county.pk:
            continue
        if action not in ROLE_ACTIONS[Role(membership.role)]:
            continue
        if action in COUNTY_SCOPE_ONLY and membership.scope != Scope.COUNTY:
            continue
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
    ``household_id`` on Person); it must be a forward path, so that the filter adds no rows.
    The result matches nothing when no membership grants the action. However many memberships
    the user holds, the filter is one condition per county with at most one subquery on the
    responsibilities, so a check is one query.
    """
    day = day or timezone.localdate()
    whole_counties: set[int] = set()
    targets: dict[int, list[Q]] = {}
    for m in _granting(user, action, None, day):
        if m.scope == Scope.COUNTY:
            whole_counties.add(m.county_id)
        elif m.scope == Scope.PROVIDER:
            # The organisation tree: a provider is responsible for the households it looks
            # after itself and for those accommodated at its sites.
            targets.setdefault(m.county_id, []).append(
                Q(provider_id=m.provider_id) | Q(site__provider_id=m.provider_id)
            )
        elif m.scope == Scope.FACILITY:
            targets.setdefault(m.county_id, []).append(Q(site_id=m.site_id))
        else:  # own caseload
            targets.setdefault(m.county_id, []).append(Q(caseworker_id=m.user_id))
    condition = Q(pk__in=[])
    if whole_counties:
        condition |= Q(**{f"{county_field}_id__in": sorted(whole_counties)})
    responsibility = apps.get_model("people", "Responsibility")
    for county_id, county_targets in targets.items():
        if county_id in whole_counties:
            continue
        linked = (
            responsibility.objects.active_on(day)
            .filter(county_id=county_id)
            .filter(reduce(operator.or_, county_targets))
        )
        if action in CONSENT_BOUND_ACTIONS:
            linked = linked.filter(household_id__in=consenting_households(county_id, day))
        households = linked.values("household_id")
        condition |= Q(**{f"{county_field}_id": county_id, f"{household_field}__in": households})
    return condition


def consenting_households(county_id: int, day: date) -> models.QuerySet[models.Model, Any]:
    """Household ids (a subquery) of ``county_id`` with a member whose consent to sharing with
    the provider was given by ``day`` and not withdrawn by then."""
    consent = apps.get_model("people", "Consent")
    return (
        consent.objects.filter(
            county_id=county_id, purpose=SHARING_CONSENT_PURPOSE, given_on__lte=day
        )
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .values("person__household_id")
    )


def providers_for(
    user: User | AnonymousUser | None, action: Action, county_id: int
) -> frozenset[int]:
    """The providers whose staff the user counts as in ``county_id`` with ``action``: the
    provider of every membership granting it there (any scope). Confidential casework notes are
    readable only by the staff of the author's provider."""
    return frozenset(
        m.provider_id
        for m in _granting(user, action, None, None)
        if m.county_id == county_id and m.provider_id is not None
    )


def restrict(
    queryset: models.QuerySet[M],
    user: User | AnonymousUser | None,
    action: Action,
    *,
    household_field: str = "pk",
) -> models.QuerySet[M]:
    """Limit ``queryset`` to the rows the user may reach with ``action``."""
    return queryset.filter(household_condition(user, action, household_field=household_field))


def can_reach(user: User | AnonymousUser | None, action: Action, household: models.Model) -> bool:
    """May the user do ``action`` on this one household?

    Decided without a query when no membership grants the action in the household's county or
    one grants it county-wide; otherwise one query.
    """
    county_id = household.county_id  # type: ignore[attr-defined]
    granting = [m for m in _granting(user, action, None, None) if m.county_id == county_id]
    if not granting:
        return False
    if any(m.scope == Scope.COUNTY for m in granting):
        return True
    return restrict(type(household)._base_manager.filter(pk=household.pk), user, action).exists()


def site_condition(
    user: User | AnonymousUser | None,
    action: Action,
    *,
    site_field: str = "pk",
    county_field: str = "county",
) -> Q:
    """A filter that keeps the rows whose site (facility) the user may reach with ``action``.

    County scope reaches every site of the county, provider scope the provider's sites, facility
    scope its one site; a caseload reaches no site (only its households). ``site_field`` names
    the site's key on the filtered model (``pk`` on Site, ``room__site`` on Bed …).
    """
    condition = Q(pk__in=[])
    for m in _granting(user, action, None, None):
        in_county = Q(**{f"{county_field}_id": m.county_id})
        if m.scope == Scope.COUNTY:
            condition |= in_county
        elif m.scope == Scope.PROVIDER:
            key = "provider_id" if site_field == "pk" else f"{site_field}__provider_id"
            condition |= in_county & Q(**{key: m.provider_id})
        elif m.scope == Scope.FACILITY:
            key = "pk" if site_field == "pk" else f"{site_field}_id"
            condition |= in_county & Q(**{key: m.site_id})
    return condition


def can_reach_site(user: User | AnonymousUser | None, action: Action, site: models.Model) -> bool:
    """May the user do ``action`` on this one site (facility)?"""
    return type(site)._base_manager.filter(pk=site.pk).filter(site_condition(user, action)).exists()


def require_site(user: User | AnonymousUser | None, action: Action, site: models.Model) -> None:
    if not can_reach_site(user, action, site):
        deny()


def allows_county_wide(user: User | AnonymousUser | None, action: Action, county: County) -> bool:
    """Does the user hold ``action`` with county scope in ``county`` (not only for some sites,
    households or a caseload)? Totals over a whole municipality or county need this."""
    return any(m.scope == Scope.COUNTY for m in _granting(user, action, county, None))
