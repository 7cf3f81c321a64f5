"""Sign-in: Argon2 password hashes, lockout after repeated failures, idle session timeout,
and audit events for sign-in, sign-out and failed sign-ins."""

from __future__ import annotations

import importlib
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.audit.signals import UNKNOWN_ACCOUNT
from ankommen.core.models import User
from ankommen.web.middleware import SessionIdleRefreshMiddleware
from tests.factories import PASSWORD, CountyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"


@pytest.fixture
def project_hashers(settings):
    """The hashers the project configures (tests elsewhere use a fast one)."""
    import ankommen.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def _sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client) -> bool:
    return client.get(reverse("web:home")).status_code == 200


# Passwords


def test_passwords_are_hashed_with_argon2(project_hashers):
    user = UserFactory()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong password")


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, project_hashers):
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert _sign_in(client, user.username).status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"


# Lockout


def test_the_account_is_locked_after_the_configured_number_of_failures(client):
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = _sign_in(client, user.username, "wrong password")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    locked = _sign_in(client, user.username, "wrong password")
    assert locked.status_code == 429

    # Now even the correct password is refused, with the German lockout page.
    response = _sign_in(client, user.username)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Konto vorübergehend gesperrt" in body
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in body
    assert not _signed_in(client)


def test_failures_below_the_limit_do_not_lock(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, user.username, "wrong password")
    assert _sign_in(client, user.username).status_code == 302
    assert _signed_in(client)


def test_the_lockout_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# Session timeout


def test_the_session_timeout_comes_from_the_environment(monkeypatch):
    import ankommen.settings as project_settings

    monkeypatch.setenv("ANKOMMEN_SESSION_MINUTES", "7")
    try:
        importlib.reload(project_settings)
        assert project_settings.SESSION_COOKIE_AGE == 7 * 60
    finally:
        monkeypatch.delenv("ANKOMMEN_SESSION_MINUTES")
        importlib.reload(project_settings)
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # see SessionIdleRefreshMiddleware
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_idle_session_expires_and_the_user_must_sign_in_again(client):
    client.force_login(MembershipFactory().user)
    assert _signed_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def _age_last_refresh(client, seconds: int) -> None:
    """Pretend the session was last refreshed ``seconds`` ago and expires in a minute."""
    session = client.session
    session[SessionIdleRefreshMiddleware.KEY] = int(time.time()) - seconds
    session.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))


def test_a_request_after_a_minute_extends_the_session(client):
    client.force_login(MembershipFactory().user)
    _age_last_refresh(client, SessionIdleRefreshMiddleware.REFRESH_SECONDS + 1)
    assert _signed_in(client)
    expires = Session.objects.get().expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 60


def test_requests_within_a_minute_do_not_write_the_session(client):
    client.force_login(MembershipFactory().user)
    _age_last_refresh(client, 5)
    before = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as queries:
        assert _signed_in(client)
    assert Session.objects.get().expire_date == before
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_a_signed_in_session_is_refreshed_on_its_first_request(client):
    client.force_login(MembershipFactory().user)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert _signed_in(client)  # no refresh recorded yet: the request refreshes
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


# Audit events


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def test_sign_in_and_sign_out_are_audited_in_the_users_county(client):
    membership = MembershipFactory()
    user = membership.user
    assert _sign_in(client, user.username).status_code == 302
    [login] = _events(AuditEvent.Action.LOGIN)
    assert login.actor == user
    assert (login.object_type, login.object_id) == ("core.user", str(user.pk))
    assert login.county == membership.county
    client.post(reverse("web:logout"))
    [logout] = _events(AuditEvent.Action.LOGOUT)
    assert logout.actor == user
    assert logout.county == membership.county
    assert not _signed_in(client)


def test_a_user_in_two_counties_is_audited_in_both(client):
    membership = MembershipFactory()
    MembershipFactory(user=membership.user, county=CountyFactory())
    _sign_in(client, membership.user.username)
    events = _events(AuditEvent.Action.LOGIN)
    assert len(events) == 2
    assert {e.county_id for e in events} == {m.county_id for m in membership.user.memberships.all()}


def test_a_failed_sign_in_is_audited_with_the_account(client):
    membership = MembershipFactory()
    _sign_in(client, membership.user.username, "wrong password")
    [event] = _events(AuditEvent.Action.LOGIN_FAILED)
    assert event.actor is None  # whoever tried is not known
    assert event.actor_label == membership.user.username
    assert (event.object_type, event.object_id) == ("core.user", str(membership.user.pk))
    assert event.county == membership.county
    assert "wrong password" not in str(event.details)


def test_a_failed_sign_in_with_an_unknown_name_stores_no_name(client):
    _sign_in(client, "hunter2-typed-into-the-name-field", "whatever")
    [event] = _events(AuditEvent.Action.LOGIN_FAILED)
    assert event.actor is None
    assert event.county is None
    assert event.actor_label == UNKNOWN_ACCOUNT
    assert event.object_id == ""
    assert "hunter2" not in str(event.details)


def test_sign_in_events_are_shown_to_the_auditor_of_the_county(client):
    auditor = MembershipFactory(role="auditor")
    staff = MembershipFactory(county=auditor.county, role="county_caseworker")
    _sign_in(client, staff.user.username, "wrong password")
    client.force_login(auditor.user)
    body = client.get(reverse("web:audit")).content.decode()
    assert "Anmeldung fehlgeschlagen" in body
    assert staff.user.username in body
