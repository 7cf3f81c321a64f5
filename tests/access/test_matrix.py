"""Runs the access matrix (``matrix.py``) against ``core.access``, the people and housing
selectors and services: every role × scope × relation × action, grants and denials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.casework import selectors as casework_selectors
from ankommen.casework import services as casework_services
from ankommen.core import access
from ankommen.core.access import HOUSEHOLD_ACTIONS, ROLE_ACTIONS, Action
from ankommen.core.models import Role, Scope
from ankommen.housing import selectors as housing_selectors
from ankommen.housing import services as housing_services
from ankommen.housing import services_arrivals
from ankommen.housing.models import Bed, BedStatus, FlatReadiness
from ankommen.housing.selectors_arrivals import arrivals_visible_to
from ankommen.people import selectors, services
from ankommen.people.models import Person, Responsibility
from tests.access.matrix import (
    COLUMNS,
    OTHER_COUNTY,
    OWN_COUNTY,
    RELATIONS,
    ROLE_GRANTS,
    SCOPE_COUNTY_ACTIONS,
    SCOPE_REACH,
    SITE_REACH,
    SITE_RELATIONS,
    SUBJECTS,
    Subject,
    all_rows,
    county_wide,
    expected,
    reaches_site,
    rows_for,
)
from tests.access.world import SHARED_GIVEN_NAME, World, build_world

pytestmark = pytest.mark.django_db


def test_the_tables_cover_every_role_scope_and_action():
    assert set(ROLE_GRANTS) == set(Role)
    assert set(SCOPE_REACH) == set(Scope)
    assert set(SCOPE_COUNTY_ACTIONS) == set(Scope)
    assert set(SITE_REACH) == set(Scope)
    assert set(COLUMNS.values()) == set(Action)


def test_the_role_table_is_what_the_code_grants():
    """A change to ROLE_ACTIONS must be mirrored in the hand-written table."""
    assert {role: ROLE_ACTIONS[role] for role in Role} == ROLE_GRANTS


def test_every_role_and_scope_has_grants_and_denials():
    """Each subject with a reading role is granted something and denied something."""
    for subject in SUBJECTS:
        outcomes = {row.granted for row in rows_for(subject)}
        if subject.role is None:
            assert outcomes == {False}, subject
        else:
            assert outcomes == {True, False}, subject
    assert sum(1 for _ in all_rows()) == len(SUBJECTS) * (
        len(HOUSEHOLD_ACTIONS) * len(RELATIONS) + (len(Action) - len(HOUSEHOLD_ACTIONS)) * 2
    )


def _county(world: World, relation: str):
    return world.county if relation == OWN_COUNTY else world.other_county


def _check_access_functions(subject: Subject, world: World) -> list[str]:
    errors = []
    user = world.user
    for row in rows_for(subject):
        if row.action in HOUSEHOLD_ACTIONS:
            household = world.households[row.relation]
            got = access.can_reach(user, row.action, household)
        else:
            got = access.allows(user, row.action, _county(world, row.relation))
        if got != row.granted:
            errors.append(f"{row.action} on {row.relation}: expected {row.granted}, got {got}")
    # allows() for a household action means "on every household of the county" (county scope).
    for action in HOUSEHOLD_ACTIONS:
        for relation in (OWN_COUNTY, OTHER_COUNTY):
            want = (
                relation == OWN_COUNTY
                and subject.scope == Scope.COUNTY
                and expected(subject, "in_scope", action)
            )
            if access.allows(user, action, _county(world, relation)) != want:
                errors.append(f"allows({action}, {relation}) should be {want}")
    for action in Action:
        want = [world.county] if _granted_somewhere(subject, action) else []
        if access.counties_for(user, action) != want:
            errors.append(f"counties_for({action}) should be {want}")
    return errors


def _granted_somewhere(subject: Subject, action: Action) -> bool:
    if action in HOUSEHOLD_ACTIONS:
        return any(expected(subject, relation, action) for relation in RELATIONS)
    return expected(subject, OWN_COUNTY, action)


def _check_selectors(subject: Subject, world: World) -> list[str]:
    errors = []
    for action in HOUSEHOLD_ACTIONS:
        want = {rel for rel in RELATIONS if expected(subject, rel, action)}
        want_households = {world.households[rel].pk for rel in want}
        got = set(
            selectors.households_visible_to(actor=world.user, action=action).values_list(
                "pk", flat=True
            )
        )
        if got != want_households:
            errors.append(f"households_visible_to({action}): {sorted(got)} != {want}")
        want_persons = {world.persons[rel].pk for rel in want}
        got = set(
            selectors.persons_visible_to(actor=world.user, action=action).values_list(
                "pk", flat=True
            )
        )
        if got != want_persons:
            errors.append(f"persons_visible_to({action}): {sorted(got)} != {want}")
    want = {
        world.persons[rel].pk for rel in RELATIONS if expected(subject, rel, Action.VIEW_PERSON)
    }
    found = {p.pk for p in selectors.search_persons(actor=world.user, query=SHARED_GIVEN_NAME)}
    if found != want:
        errors.append(f"search_persons: {sorted(found)} != {sorted(want)}")
    return errors


def _check_services(subject: Subject, world: World) -> list[str]:
    """Writes go through the same rules; a denied write changes nothing and records nothing."""
    errors = []
    for relation in RELATIONS:
        person = world.persons[relation]
        events = AuditEvent.objects.count()
        granted = expected(subject, relation, Action.CHANGE_PERSON)
        try:
            services.rename_person(
                actor=world.user, person=person, family_name="Neuname", given_names="Vorname"
            )
        except PermissionDenied:
            if granted:
                errors.append(f"rename_person on {relation} was denied")
            stored = Person._base_manager.get(pk=person.pk)
            if stored.family_name != person.family_name or AuditEvent.objects.count() != events:
                errors.append(f"denied rename_person on {relation} changed something")
        else:
            if not granted:
                errors.append(f"rename_person on {relation} was allowed")
            if AuditEvent.objects.count() != events + 1:
                errors.append(f"rename_person on {relation} recorded no audit event")
    for relation in (OWN_COUNTY, OTHER_COUNTY):
        granted = expected(subject, relation, Action.CREATE_PERSON)
        try:
            services.create_household(
                actor=world.user, county=_county(world, relation), reference=f"NEU-{relation}"
            )
        except PermissionDenied:
            if granted:
                errors.append(f"create_household in {relation} was denied")
        else:
            if not granted:
                errors.append(f"create_household in {relation} was allowed")
    return errors


# Actions that reach facilities (sites) as a whole: managing rooms and beds, figures, residents.
SITE_ACTIONS = (Action.MANAGE_ACCOMMODATION, Action.VIEW_AGGREGATES, Action.VIEW_PERSON)


def _check_housing_reads(subject: Subject, world: World) -> list[str]:
    errors = []
    user = world.user
    for action in SITE_ACTIONS:
        for relation, site in world.sites.items():
            want = reaches_site(subject, action, relation)
            if access.can_reach_site(user, action, site) != want:
                errors.append(f"can_reach_site({action}, {relation}) should be {want}")
        want_sites = {world.sites[r].pk for r in SITE_RELATIONS if reaches_site(subject, action, r)}
        got = set(
            housing_selectors.facilities_visible_to(actor=user, action=action).values_list(
                "pk", flat=True
            )
        )
        if got != want_sites:
            errors.append(f"facilities_visible_to({action}): {sorted(got)} != {want_sites}")
    for action in (*SITE_ACTIONS, Action.PREPARE_ARRIVAL):
        for relation in (OWN_COUNTY, OTHER_COUNTY):
            want = relation == OWN_COUNTY and county_wide(subject, action)
            if access.allows_county_wide(user, action, world.county_of(relation)) != want:
                errors.append(f"allows_county_wide({action}, {relation}) should be {want}")
    want = {world.arrivals[r].pk for r in RELATIONS if expected(subject, r, Action.PREPARE_ARRIVAL)}
    got = set(arrivals_visible_to(actor=user).values_list("pk", flat=True))
    if got != want:
        errors.append(f"arrivals_visible_to: {sorted(got)} != {sorted(want)}")
    return errors


def _attempt(errors: list[str], label: str, granted: bool, write: Callable[[], Any]) -> None:
    """Run one write; a denied write raises PermissionDenied and changes and records nothing."""
    state = (
        AuditEvent.objects.count(),
        BedStatus.objects.count(),
        FlatReadiness.objects.count(),
        Responsibility.objects.count(),
    )
    try:
        write()
    except PermissionDenied:
        if granted:
            errors.append(f"{label} was denied")
        if state != (
            AuditEvent.objects.count(),
            BedStatus.objects.count(),
            FlatReadiness.objects.count(),
            Responsibility.objects.count(),
        ):
            errors.append(f"denied {label} changed something")
    else:
        if not granted:
            errors.append(f"{label} was allowed")
        elif AuditEvent.objects.count() == state[0]:
            errors.append(f"{label} recorded no audit event")


def _check_housing_services(subject: Subject, world: World) -> list[str]:
    errors: list[str] = []
    user = world.user
    today = timezone.localdate()
    for relation in SITE_RELATIONS:
        bed = Bed.objects.select_related("room__site").get(pk=world.free_beds[relation].pk)
        _attempt(
            errors,
            f"hold_bed at {relation}",
            reaches_site(subject, Action.MANAGE_ACCOMMODATION, relation),
            lambda bed=bed: housing_services.hold_bed(
                actor=user, bed=bed, day=today, reason="Reserve"
            ),
        )
    for relation in RELATIONS:
        household = world.households[relation]
        _attempt(
            errors,
            f"complete_task of {relation}",
            expected(subject, relation, Action.PREPARE_ARRIVAL),
            lambda relation=relation: services_arrivals.complete_task(
                actor=user, task=world.tasks[relation]
            ),
        )
        # Flat readiness: accommodation staff and the household's caseworkers.
        _attempt(
            errors,
            f"mark_ready_for_flat of {relation}",
            expected(subject, relation, Action.MANAGE_ACCOMMODATION)
            or expected(subject, relation, Action.CHANGE_PERSON),
            lambda household=household: housing_services.mark_ready_for_flat(
                actor=user, household=household, day=today
            ),
        )
    # Only county-wide staff plan the facility of an arrival.
    for relation in ("in_scope", OTHER_COUNTY):
        arrival = world.arrivals[relation]
        _attempt(
            errors,
            f"plan_facility of {relation}",
            relation != OTHER_COUNTY and county_wide(subject, Action.PREPARE_ARRIVAL),
            lambda arrival=arrival: services_arrivals.plan_facility(
                actor=user, arrival=arrival, site=world.site
            ),
        )
    return errors


def _check_casework(subject: Subject, world: World) -> list[str]:
    """Casework selectors and writes follow the casework actions (with consent everywhere)."""
    errors: list[str] = []
    user = world.user
    want = {world.cases[r].pk for r in RELATIONS if expected(subject, r, Action.VIEW_CASEWORK)}
    got = set(casework_selectors.cases_visible_to(actor=user).values_list("pk", flat=True))
    if got != want:
        errors.append(f"cases_visible_to: {sorted(got)} != {sorted(want)}")
    today = timezone.localdate()
    for relation in RELATIONS:
        case = world.cases[relation]
        _attempt(
            errors,
            f"record_referral of {relation}",
            expected(subject, relation, Action.CHANGE_CASEWORK),
            lambda case=case: casework_services.record_referral(
                actor=user, case=case, service="sprachkurs", sent_on=today
            ),
        )
    return errors


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_access_selectors_and_services_follow_the_matrix(subject):
    world = build_world(subject)
    errors = _check_access_functions(subject, world)
    errors += _check_selectors(subject, world)
    errors += _check_housing_reads(subject, world)
    errors += _check_services(subject, world)
    errors += _check_housing_services(subject, world)
    errors += _check_casework(subject, world)
    assert not errors, "\n".join(errors)


def test_an_inactive_account_reaches_nothing():
    world = build_world(Subject("county_admin@county", Role.COUNTY_ADMIN, Scope.COUNTY))
    world.user.is_active = False
    world.user.save()
    user = type(world.user).objects.get(pk=world.user.pk)
    assert access.active_memberships(user) == []
    assert not access.can_reach(user, Action.VIEW_PERSON, world.households["in_scope"])
    assert not selectors.persons_visible_to(actor=user).exists()


def test_anonymous_and_missing_actors_reach_nothing():
    from django.contrib.auth.models import AnonymousUser

    world = build_world(Subject("county_admin@county", Role.COUNTY_ADMIN, Scope.COUNTY))
    for actor in (AnonymousUser(), None):
        assert not access.can_reach(actor, Action.VIEW_PERSON, world.households["in_scope"])
        assert not access.allows(actor, Action.VIEW_AGGREGATES, world.county)
        assert not selectors.households_visible_to(actor=actor).exists()  # type: ignore[arg-type]
