"""``ankommen token create|revoke --user NAME`` and the rule behind it: staff who must use two
factors get a token only with a confirmed TOTP device."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from ankommen.api.services import TOKEN_OBJECT, create_token
from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ANKOMMEN_REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed


def _create(username: str) -> str:
    out = StringIO()
    call_command("token", "create", "--user", username, stdout=out)
    return out.getvalue().strip()


def test_staff_without_a_confirmed_device_get_no_token():
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    TOTPDevice.objects.create(user=membership.user, name="halb eingerichtet", confirmed=False)
    with pytest.raises(CommandError, match="Zwei-Faktor-Anmeldung vorgeschrieben"):
        _create(membership.user.username)
    assert not Token.objects.exists()
    assert not AuditEvent.objects.filter(object_type=TOKEN_OBJECT).exists()


def test_staff_with_a_confirmed_device_get_a_working_token(client):
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    TOTPDevice.objects.create(user=membership.user, name="Telefon", confirmed=True)
    key = _create(membership.user.username)
    assert Token.objects.get(user=membership.user).key == key
    response = client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    [event] = AuditEvent.objects.filter(object_type=TOKEN_OBJECT)
    assert event.action == AuditEvent.Action.CREATE
    assert event.object_id == str(membership.user.pk)
    assert event.county == membership.county
    assert key not in str(event.details)
    assert key not in event.object_id


def test_a_new_token_replaces_the_old_one(client):
    membership = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    first = _create(membership.user.username)
    second = _create(membership.user.username)
    assert first != second
    assert client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401


def test_volunteers_and_everyone_without_two_factor_get_tokens(settings):
    volunteer = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    assert _create(volunteer.user.username)
    settings.ANKOMMEN_REQUIRE_2FA = False
    assert _create(MembershipFactory(role=Role.COUNTY_ADMIN).user.username)


def test_revoking_a_token_ends_api_access(client):
    membership = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    key = _create(membership.user.username)
    out = StringIO()
    call_command("token", "revoke", "--user", membership.user.username, stdout=out)
    assert "widerrufen" in out.getvalue()
    assert client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert AuditEvent.objects.filter(
        object_type=TOKEN_OBJECT, action=AuditEvent.Action.DELETE
    ).exists()


def test_an_unknown_user_name_is_a_clear_error():
    with pytest.raises(CommandError, match="Kein Konto mit dem Benutzernamen „niemand“"):
        _create("niemand")


def test_a_deactivated_account_gets_no_token():
    user = UserFactory(password=None, is_active=False)
    with pytest.raises(CommandError, match="deaktiviert"):
        _create(user.username)


def test_only_the_account_itself_or_a_staff_administrator_may_issue_one(settings):
    settings.ANKOMMEN_REQUIRE_2FA = False
    volunteer = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    colleague = MembershipFactory(county=volunteer.county, role=Role.VOLUNTEER_COORDINATOR)
    admin = MembershipFactory(county=volunteer.county, role=Role.COUNTY_ADMIN)
    other_admin = MembershipFactory(role=Role.COUNTY_ADMIN)
    assert create_token(actor=volunteer.user, user=volunteer.user)
    assert create_token(actor=admin.user, user=volunteer.user)
    for actor in (colleague.user, other_admin.user):
        with pytest.raises(PermissionDenied):
            create_token(actor=actor, user=volunteer.user)


def test_a_token_counts_over_a_session_of_another_account(client):
    session_owner = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    token_owner = MembershipFactory(role=Role.PLANNER)  # may not read persons
    key = Token.objects.create(user=token_owner.user).key
    client.force_login(session_owner.user)
    session_owner.user.totpdevice_set.create(name="Telefon", confirmed=True)
    token_owner.user.totpdevice_set.create(name="Telefon", confirmed=True)
    assert client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_token_and_session_of_one_account_read_its_memberships_once(client, settings):
    settings.ANKOMMEN_REQUIRE_2FA = False
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    key = Token.objects.create(user=membership.user).key
    client.force_login(membership.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert len([q for q in queries if 'FROM "core_membership"' in q["sql"]]) == 1


def test_a_token_request_makes_no_session(client, settings):
    settings.ANKOMMEN_REQUIRE_2FA = False
    key = Token.objects.create(user=MembershipFactory(role=Role.COUNTY_CASEWORKER).user).key
    assert client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert not Session.objects.exists()
