"""Two-factor authentication (TOTP) for staff: HTML pages, API sessions and API tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from ankommen.api.authentication import SECOND_FACTOR_MISSING, SESSION_NOT_VERIFIED
from ankommen.core.models import Role, Scope
from tests.access.endpoints import ENDPOINTS, Rule
from tests.access.matrix import Subject
from tests.access.world import build_world
from tests.factories import PASSWORD, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

OTP = "/konto/zweiter-faktor/"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ANKOMMEN_REQUIRE_2FA = True


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(value + offset) % 10**device.digits:0{device.digits}d}"


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def test_staff_signed_in_with_a_password_must_confirm_a_code_on_every_page(client):
    """Every non-public HTML page of the access table redirects to the second factor."""
    subject = Subject("county_admin@county", Role.COUNTY_ADMIN, Scope.COUNTY)
    world = build_world(subject)
    world.user.set_password(PASSWORD)
    world.user.save()
    assert (
        client.post(
            reverse("web:login"), {"username": world.user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    pages = [e for e in ENDPOINTS if not e.api and e.rule != Rule.PUBLIC]
    for endpoint in pages:
        path = endpoint.path(world, endpoint.relations[0])
        response = client.get(path)
        if path.startswith("/konto/"):
            continue  # the second-factor pages themselves
        assert response.status_code == 302, path
        assert response["Location"] == f"{OTP}?next={path.split('?')[0]}", path


def test_setting_up_a_device_and_entering_its_code_lets_staff_through(client):
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    person = PersonFactory(household__county=membership.county, family_name="Nasser")
    client.force_login(membership.user)

    page = client.get(f"{OTP}?next=/suche/")
    assert page.status_code == 200
    assert "Authenticator-App" in page.content.decode()
    assert reverse("web:otp_qr") in page.content.decode()
    device = TOTPDevice.objects.get(user=membership.user)
    assert not device.confirmed

    qr = client.get(reverse("web:otp_qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content

    response = client.post(f"{OTP}?next=/suche/", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/suche/"
    device.refresh_from_db()
    assert device.confirmed
    household = client.get(reverse("web:household", args=[person.household_id]))
    assert household.status_code == 200
    assert "Nasser" in household.content.decode()
    # The secret of a confirmed device is never shown again.
    assert client.get(reverse("web:otp_qr")).status_code == 404


def test_a_wrong_code_is_refused_with_a_german_message(client):
    membership = MembershipFactory(role=Role.SHELTER_MANAGER)
    device = _confirmed_device(membership.user)
    client.force_login(membership.user)

    response = client.post(OTP, {"token": _code(device, offset=1)})
    assert response.status_code == 200
    assert "Der Code stimmt nicht. Bitte den aktuellen Code eingeben." in response.content.decode()
    assert "Authenticator-App und geben" not in response.content.decode()  # no new setup
    assert client.get("/").status_code == 302

    malformed = client.post(OTP, {"token": "12ab"})
    assert "Bitte genau sechs Ziffern eingeben." in malformed.content.decode()


def test_the_target_after_the_code_stays_on_this_site(client):
    membership = MembershipFactory(role=Role.JOB_COACH)
    device = _confirmed_device(membership.user)
    client.force_login(membership.user)
    response = client.post(f"{OTP}?next=https://evil.example/", {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_volunteers_are_exempt(client):
    membership = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    client.force_login(membership.user)
    assert client.get("/").status_code == 200


def test_nobody_is_asked_when_two_factor_is_off(client, settings):
    settings.ANKOMMEN_REQUIRE_2FA = False
    client.force_login(MembershipFactory().user)
    assert client.get("/").status_code == 200


# API


def test_an_api_session_needs_the_second_factor_too(client):
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    PersonFactory(household__county=membership.county, family_name="Rahimi")
    device = _confirmed_device(membership.user)
    client.force_login(membership.user)

    refused = client.get("/api/v1/persons/")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == SESSION_NOT_VERIFIED
    assert "Rahimi" not in refused.content.decode()

    client.post(OTP, {"token": _code(device)})
    allowed = client.get("/api/v1/persons/")
    assert allowed.status_code == 200
    assert "Rahimi" in allowed.content.decode()


def test_a_staff_token_works_only_while_a_confirmed_device_exists(client):
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    PersonFactory(household__county=membership.county, family_name="Rahimi")
    token = Token.objects.create(user=membership.user)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    refused = client.get("/api/v1/persons/", **headers)
    assert refused.status_code == 401
    assert refused.json()["detail"] == SECOND_FACTOR_MISSING
    assert "Rahimi" not in refused.content.decode()

    device = _confirmed_device(membership.user)
    assert client.get("/api/v1/persons/", **headers).status_code == 200

    device.delete()
    assert client.get("/api/v1/persons/", **headers).status_code == 401


def test_a_volunteer_token_needs_no_device(client):
    membership = MembershipFactory(role=Role.VOLUNTEER, scope=Scope.CASELOAD)
    token = Token.objects.create(user=membership.user)
    response = client.get("/api/v1/persons/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("mode", "required"), [("production", True), ("demo", False), ("development", False)]
)
def test_two_factor_is_required_by_default_except_in_demo_and_development(
    monkeypatch, mode, required
):
    import importlib

    import ankommen.settings as project_settings

    monkeypatch.delenv("ANKOMMEN_REQUIRE_2FA", raising=False)
    monkeypatch.setenv("ANKOMMEN_MODE", mode)
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ANKOMMEN_FIELD_KEY", "a-field-key")
    try:
        importlib.reload(project_settings)
        assert project_settings.ANKOMMEN_REQUIRE_2FA is required
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
