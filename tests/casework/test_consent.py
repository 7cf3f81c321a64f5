"""Consent per purpose, enforced by ``core.access``: a provider reaches a household's casework
only while a member's consent to sharing with the provider stands; withdrawing it ends the
access at every layer. County scope needs no consent (the county's own task)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ankommen.casework import selectors, services
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people import services as people_services
from ankommen.people.models import Consent

pytestmark = pytest.mark.django_db


def _reach(user, household) -> dict[Action, bool]:
    return {a: access.can_reach(user, a, household) for a in access.CONSENT_BOUND_ACTIONS}


def test_with_consent_the_provider_reaches_the_casework(cw):
    assert all(_reach(cw.worker_a, cw.household).values())
    assert selectors.cases_visible_to(actor=cw.worker_a).count() == 1


def test_withdrawing_the_consent_removes_the_providers_access(cw, client):
    today = timezone.localdate()
    people_services.withdraw_consent(actor=cw.county_worker, consent=cw.consent, withdrawn_on=today)
    # Access layer, selector
    assert not any(_reach(cw.worker_a, cw.household).values())
    assert not selectors.cases_visible_to(actor=cw.worker_a).exists()
    # Yesterday the consent still stood.
    yesterday = today - timedelta(days=1)
    condition = access.household_condition(cw.worker_a, Action.VIEW_CASEWORK, day=yesterday)
    assert type(cw.household)._base_manager.filter(condition, pk=cw.household.pk).exists()
    # Writes
    with pytest.raises(PermissionDenied):
        services.record_referral(
            actor=cw.worker_a, case=cw.case, service="sprachkurs", sent_on=today
        )
    # Page and API: out of reach (404), the person data stays reachable (VIEW_PERSON is not
    # bound to the consent: the accommodation and care of the household go on).
    client.force_login(cw.worker_a)
    assert client.get(f"/beratung/faelle/{cw.case.pk}/").status_code == 404
    assert client.get("/beratung/").content.decode().count(cw.household.reference) == 0
    token = Token.objects.create(user=cw.worker_a).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(f"/api/v1/casework/cases/{cw.case.pk}/", **auth).status_code == 404
    assert client.get("/api/v1/casework/cases/", **auth).json()["count"] == 0
    assert access.can_reach(cw.worker_a, Action.VIEW_PERSON, cw.household)
    # The county's caseworker keeps access (county scope, no consent needed).
    assert all(_reach(cw.county_worker, cw.household).values())


def test_a_consent_for_another_purpose_does_not_count(cw):
    cw.consent.withdrawn_on = timezone.localdate()
    cw.consent.save()
    Consent.objects.create(
        county=cw.county,
        person=cw.head,
        purpose=Consent.Purpose.SHARE_WITH_VOLUNTEER,
        given_on=date(2024, 1, 1),
    )
    assert not any(_reach(cw.worker_a, cw.household).values())


def test_a_new_consent_restores_access_and_a_future_one_does_not(cw):
    today = timezone.localdate()
    people_services.withdraw_consent(actor=None, consent=cw.consent, withdrawn_on=today)
    future = Consent.objects.create(
        county=cw.county,
        person=cw.head,
        purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
        given_on=today + timedelta(days=1),
    )
    assert not any(_reach(cw.worker_a, cw.household).values())
    future.delete()
    people_services.record_consent(
        actor=None,
        person=cw.head,
        purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
        given_on=today,
    )
    assert all(_reach(cw.worker_a, cw.household).values())


def test_a_caseload_scope_is_bound_to_the_consent_too(cw):
    from ankommen.core.models import Role, Scope
    from tests.factories import MembershipFactory, UserFactory

    own = UserFactory(password=None)
    MembershipFactory(
        user=own,
        county=cw.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.CASELOAD,
        provider=cw.provider_a,
    )
    services.assign_caseworker(
        actor=cw.worker_a, case=cw.case, caseworker=own, day=timezone.localdate()
    )
    assert all(_reach(own, cw.household).values())
    people_services.withdraw_consent(
        actor=None, consent=cw.consent, withdrawn_on=timezone.localdate()
    )
    assert not any(_reach(own, cw.household).values())
