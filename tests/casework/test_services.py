"""Casework writes: cases, hand-over with history, contacts, referrals, goals, worklists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.casework import selectors, services
from ankommen.casework.models import Assignment, Case, Referral
from ankommen.people.models import Responsibility
from tests.casework.conftest import caseworker
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_only_the_county_opens_cases(cw):
    with pytest.raises(PermissionDenied):
        services.open_case(
            actor=cw.worker_a,
            household=cw.household,
            provider=cw.provider_a,
            opened_on=timezone.localdate(),
            person=cw.head,
        )


def test_a_second_open_case_of_the_same_provider_is_refused(cw):
    with pytest.raises(ValidationError) as caught:
        services.open_case(
            actor=cw.county_worker,
            household=cw.household,
            provider=cw.provider_a,
            opened_on=timezone.localdate(),
        )
    assert "provider" in caught.value.message_dict
    assert Case.objects.count() == 1


def test_hand_over_keeps_the_history_and_moves_the_caseload(cw):
    today = timezone.localdate()
    successor = caseworker(cw.county, cw.provider_a)
    events = AuditEvent.objects.count()
    services.assign_caseworker(
        actor=cw.worker_a, case=cw.case, caseworker=successor, day=today, hand_over=True
    )
    history = list(Assignment.objects.filter(case=cw.case).order_by("valid_from"))
    assert [a.caseworker for a in history] == [cw.worker_a, successor]
    assert history[0].valid_to == today - timedelta(days=1)
    assert history[1].valid_to is None
    old = Responsibility.objects.get(pk=history[0].responsibility_id)
    assert old.valid_to == today - timedelta(days=1)
    assert AuditEvent.objects.count() == events + 2
    # Only staff of the case's provider can take it over.
    with pytest.raises(ValidationError):
        services.assign_caseworker(
            actor=cw.worker_a, case=cw.case, caseworker=cw.worker_b, day=today
        )


def test_contact_input_is_checked_all_at_once(cw):
    with pytest.raises(ValidationError) as caught:
        services.record_contact(
            actor=cw.worker_a,
            case=cw.case,
            day=timezone.localdate() + timedelta(days=1),
            minutes=0,
            place="mond",
            language="xx-unbekannt",
            interpreter=False,
            topics=["gibtsnicht"],
        )
    assert set(caught.value.message_dict) == {"day", "minutes", "place", "language", "topics"}


def test_overdue_referrals_form_worklists_per_caseworker(cw):
    today = timezone.localdate()
    overdue = services.record_referral(
        actor=cw.worker_a,
        case=cw.case,
        service=Referral.Service.DEBT,
        sent_on=today - timedelta(days=20),
        follow_up_on=today - timedelta(days=1),
    )
    services.record_referral(
        actor=cw.worker_a,
        case=cw.case,
        service=Referral.Service.LANGUAGE_COURSE,
        sent_on=today - timedelta(days=20),
        follow_up_on=today + timedelta(days=3),
    )
    [worklist] = selectors.worklists(actor=cw.worker_a, day=today)
    assert worklist.caseworker == cw.worker_a
    assert worklist.referrals == [overdue]
    services.update_referral(
        actor=cw.worker_a, referral=overdue, status=Referral.Status.DONE, follow_up_on=None
    )
    assert selectors.worklists(actor=cw.worker_a, day=today) == []


def test_a_goal_links_only_a_referral_of_its_case(cw):
    today = timezone.localdate()
    referral = services.record_referral(
        actor=cw.worker_a, case=cw.case, service="jobcoaching", sent_on=today
    )
    goal = services.add_goal(
        actor=cw.worker_a,
        case=cw.case,
        field="arbeit",
        title="Praktikum finden",
        target_on=today + timedelta(days=90),
        referral=referral,
    )
    assert goal.referral == referral
    other = services.open_case(
        actor=cw.county_worker, household=cw.household, provider=cw.provider_b, opened_on=today
    )
    with pytest.raises(ValidationError):
        services.add_goal(
            actor=cw.county_worker, case=other, field="arbeit", title="x", referral=referral
        )


def test_a_goals_status_changes_and_is_audited(cw):
    goal = services.add_goal(actor=cw.worker_a, case=cw.case, field="sprache", title="A2")
    events = AuditEvent.objects.count()
    services.update_goal(actor=cw.worker_a, goal=goal, status="achieved", target_on=None)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert AuditEvent.objects.count() == events + 1
    # A caseworker of a provider with no link to the household.
    stranger = caseworker(cw.county, ProviderFactory(county=cw.county))
    with pytest.raises(PermissionDenied):
        services.update_goal(actor=stranger, goal=goal, status="open", target_on=None)
