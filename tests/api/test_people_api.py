"""Creating and changing households and persons through the API: problem details for bad input,
403 for missing rights, 404 for objects out of reach, and nothing written in either case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from ankommen.api.services import create_token
from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.people.models import Consent, Household, Vulnerability
from tests.factories import MembershipFactory
from tests.people_support import World, make_world, row_counts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()

PERSON = {
    "family_name": "Al-Hassan",
    "given_names": "Muhammad",
    "birth_date": "1990-05-00",
    "sex": "m",
    "household_role": "head",
    "nationalities": ["SYR", "staatenlos"],
    "languages": ["Arabisch", "kur"],
    "arrived_in_germany_on": "2023-11-03",
    "allocated_on": "2023-11-20",
}


@pytest.fixture
def world(settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_world()


def _client(membership) -> APIClient:
    client = APIClient()
    client.force_login(membership.user)
    return client


@pytest.fixture
def admin(world) -> APIClient:
    return _client(world.admin)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    return body


def _field_messages(response) -> dict[str, str]:
    body = _problem(response, 400)
    return {item["field"]: item["message"] for item in body["errors"]}


# --- Households ------------------------------------------------------------------------------


def test_county_admin_creates_a_household(admin, world):
    response = admin.post("/api/v1/households/", {"reference": "LOS-9"}, format="json")
    assert response.status_code == 201
    assert response.json()["reference"] == "LOS-9"
    assert Household._base_manager.get(pk=response.json()["id"]).county == world.county


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"reference": ""}, "reference", "Bitte eine Haushaltsnummer angeben."),
        ({}, "reference", "Bitte eine Haushaltsnummer angeben."),
        ({"reference": "X" * 10_000}, "reference", "Die Haushaltsnummer ist zu lang"),
        ({"reference": "<script>"}, "reference", "unzulässige Zeichen"),
        ({"reference": "A", "county": "nirgendwo"}, "county", "Diesen Landkreis gibt es nicht"),
        ({"reference": "A", "size": 3}, "size", "Unbekanntes Feld."),
    ],
)
def test_bad_household_input_is_a_400_problem(admin, body, field, message):
    before = row_counts()
    errors = _field_messages(admin.post("/api/v1/households/", body, format="json"))
    assert message in errors[field]
    assert row_counts() == before


# --- Creating persons ------------------------------------------------------------------------


def test_county_admin_creates_a_person_and_reads_the_partial_birth_date(admin, world):
    response = admin.post(
        "/api/v1/persons/", {**PERSON, "household": world.other.household_id}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["birth_date"] == "1990-05-00"
    assert created["birth_date_german"] == "00.05.1990"
    assert created["nationalities"] == ["SYR", "XXA"]
    assert created["languages"] == ["ara", "kur"]
    detail = admin.get(f"/api/v1/persons/{created['id']}/").json()
    assert detail["birth_date_german"] == "00.05.1990"
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.person_id) == ("create", created["id"])


def test_the_german_date_forms_are_accepted_too(admin, world):
    body = {**PERSON, "household": world.other.household_id, "birth_date": "00.00.1985"}
    body["arrived_in_germany_on"] = "03.11.2023"
    response = admin.post("/api/v1/persons/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["birth_date"] == "1985-00-00"
    assert response.json()["arrived_in_germany_on"] == "2023-11-03"


BAD_PERSON = [
    ({"birth_date": "31.02.1990"}, "birth_date", "Den Tag 31 gibt es im Monat 2/1990 nicht."),
    ({"birth_date": "gestern"}, "birth_date", "„gestern“ ist kein Datum"),
    ({"birth_date": "05.00.1990"}, "birth_date", "Ein Tag ohne Monat ist nicht zulässig."),
    ({"birth_date": f"{TODAY.year + 1}-00-00"}, "birth_date", "liegt in der Zukunft"),
    ({"family_name": ""}, "family_name", "Bitte einen Familiennamen angeben."),
    ({"family_name": None}, "family_name", "Bitte einen Familiennamen angeben."),
    ({"family_name": "A" * 10_000}, "family_name", "Der Familienname ist zu lang (10000"),
    ({"family_name": "<script>alert(1)</script>"}, "family_name", "unzulässige Zeichen"),
    ({"family_name": ["Ali"]}, "family_name", "Bitte einen Text angeben."),
    ({"nationalities": ["Atlantis"]}, "nationalities", "„Atlantis“ ist keine bekannte"),
    ({"nationalities": {"a": 1}}, "nationalities", "Bitte eine Liste von Codes"),
    ({"nationalities": ["SYR"] * 51}, "nationalities", "höchstens 50 Einträge"),
    ({"languages": ["Xyzisch"]}, "languages", "„Xyzisch“ ist keine bekannte Sprache"),
    ({"sex": "q"}, "sex", "„q“ ist keine gültige Angabe zum Geschlecht"),
    ({"household_role": "boss" * 100}, "household_role", "keine bekannte Stellung"),
    ({"arrived_in_germany_on": "gestern"}, "arrived_in_germany_on", "gültiges Datum"),
    ({"arrived_in_germany_on": TOMORROW}, "arrived_in_germany_on", "liegt in der Zukunft"),
    (
        {"allocated_on": "2023-11-02"},
        "allocated_on",
        "Die Zuweisung an den Landkreis liegt vor der Einreise nach Deutschland.",
    ),
    ({"household": 999_999}, "household", "Diesen Haushalt gibt es nicht"),
    ({"household": "eins"}, "household", "Bitte die ID eines Haushalts angeben."),
    ({"hobby": "Schach"}, "hobby", "Unbekanntes Feld."),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_PERSON)
def test_bad_person_input_is_a_400_problem_naming_the_field(admin, world, changes, field, message):
    before = row_counts()
    body = {**PERSON, "household": world.other.household_id, **changes}
    errors = _field_messages(admin.post("/api/v1/persons/", body, format="json"))
    assert message in errors[field]
    assert row_counts() == before


def test_a_household_out_of_reach_is_reported_like_a_missing_one(world):
    # A county caseworker limited to her own caseload may create persons, but only in
    # households she reaches.
    caseload = MembershipFactory(
        county=world.county, role=Role.COUNTY_CASEWORKER, scope=Scope.CASELOAD
    )
    client = _client(caseload)  # signing in is audited: count after it
    before = row_counts()
    body = {**PERSON, "household": world.other.household_id}
    errors = _field_messages(client.post("/api/v1/persons/", body, format="json"))
    assert (
        "Diesen Haushalt gibt es nicht oder er ist für Sie nicht sichtbar." in errors["household"]
    )
    assert row_counts() == before


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ('{"family_name": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"Ali"', "application/json"),
        ("\x00\x01", "application/octet-stream"),
    ],
)
def test_malformed_bodies_are_problems_not_errors(admin, payload, content_type):
    before = row_counts()
    response = admin.generic("POST", "/api/v1/persons/", payload, content_type=content_type)
    assert response.status_code in {400, 415}
    assert response["Content-Type"] == "application/problem+json"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("family_name", "given_names", "query"),
    [
        ("الحسن", "محمد", "محمد"),
        ("Шевченко", "Олена", "Olena Shevchenko"),
        ("ተስፋይ", "ዮሃንስ", "Yohannes"),
        ("Aziz", "", "Aziz"),
    ],
)
def test_names_in_any_script_are_created_and_found_by_the_search(
    admin, world, family_name, given_names, query
):
    body = {**PERSON, "household": world.other.household_id}
    body.update(family_name=family_name, given_names=given_names)
    created = admin.post("/api/v1/persons/", body, format="json").json()
    found = admin.get("/api/v1/search/", {"q": query}).json()
    assert created["id"] in [person["id"] for person in found]
    assert created["family_name"] == family_name


# --- Changing persons ------------------------------------------------------------------------


def test_patch_changes_only_the_sent_fields_and_audits_their_names(admin, world):
    person = world.other
    response = admin.patch(
        f"/api/v1/persons/{person.pk}/",
        {"family_name": "Neu", "birth_date": "1990-00-00", "languages": "Dari, Farsi"},
        format="json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.family_name, person.given_names) == ("Neu", "Amina")
    assert (person.birth_month, person.birth_day) == (None, None)
    assert response.json()["birth_date_german"] == "00.00.1990"
    assert response.json()["languages"] == ["prs", "fas"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "change"
    assert event.details == {"fields": ["birth_date", "family_name", "languages"]}


def test_a_bad_patch_changes_nothing(admin, world):
    person = world.other
    before = row_counts()
    response = admin.patch(
        f"/api/v1/persons/{person.pk}/",
        {"family_name": "<b>x</b>", "birth_date": "2999-01-01"},
        format="json",
    )
    errors = _field_messages(response)
    assert set(errors) == {"family_name", "birth_date"}
    person.refresh_from_db()
    assert person.family_name == "Fremde"
    assert row_counts() == before


def test_put_is_not_offered(admin, world):
    response = admin.put(f"/api/v1/persons/{world.other.pk}/", {}, format="json")
    assert _problem(response, 405)


# --- Residence status, vulnerability, consent ------------------------------------------------


def test_residence_statuses_are_recorded_and_listed(admin, world):
    url = f"/api/v1/persons/{world.other.pk}/residence-statuses/"
    first = admin.post(url, {"kind": "gestattung", "valid_from": "2023-01-01"}, format="json")
    assert first.status_code == 201, first.content
    second = admin.post(
        url,
        {"kind": "aufenthaltserlaubnis", "legal_basis": "24", "valid_from": "2024-03-01"},
        format="json",
    )
    assert second.status_code == 201
    listed = admin.get(url).json()
    assert [(s["kind"], s["valid_to"]) for s in listed] == [
        ("aufenthaltserlaubnis", None),
        ("gestattung", "2024-02-29"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "asyl"}, "kind", "„asyl“ ist kein bekannter Aufenthaltsstatus."),
        ({"kind": "x" * 10_000}, "kind", "ist kein bekannter Aufenthaltsstatus"),
        ({"kind": None}, "kind", "Bitte den Aufenthaltsstatus angeben."),
        ({"legal_basis": "25.2.1", "kind": "duldung"}, "legal_basis", "passt nicht"),
        ({"valid_from": "2024-02-31"}, "valid_from", "gültig ab: Bitte ein gültiges Datum"),
        ({"valid_from": TOMORROW}, "valid_from", "Der Beginn liegt in der Zukunft."),
        ({"valid_to": "2020-01-01"}, "valid_to", "Das Ende liegt vor dem Beginn."),
    ],
)
def test_bad_residence_status_is_a_400_problem(admin, world, body, field, message):
    before = row_counts()
    url = f"/api/v1/persons/{world.other.pk}/residence-statuses/"
    data = {"kind": "gestattung", "valid_from": "2023-01-01", **body}
    errors = _field_messages(admin.post(url, data, format="json"))
    assert message in errors[field]
    assert len(errors[field]) < 200
    assert row_counts() == before


def test_vulnerabilities_are_recorded_and_health_related_reads_audited(admin, world):
    url = f"/api/v1/persons/{world.other.pk}/vulnerabilities/"
    created = admin.post(url, {"category": "violence", "noted_on": "2024-02-01"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["noted_on"] == "2024-02-01"
    assert Vulnerability.objects.get(person=world.other).valid_from == date(2024, 2, 1)
    before = AuditEvent.objects.count()
    listed = admin.get(url).json()
    assert [v["category"] for v in listed] == ["violence"]
    assert AuditEvent.objects.get(sequence=before + 1).action == "read"
    errors = _field_messages(admin.post(url, {"category": "sad", "noted_on": "x"}, format="json"))
    assert set(errors) == {"category", "noted_on"}


def test_consent_is_recorded_listed_and_withdrawn(admin, world):
    url = f"/api/v1/persons/{world.other.pk}/consents/"
    created = admin.post(url, {"purpose": "photo", "given_on": "2024-02-01"}, format="json")
    assert created.status_code == 201, created.content
    consent_id = created.json()["id"]
    withdraw = f"{url}{consent_id}/withdrawal/"
    errors = _field_messages(admin.post(withdraw, {"withdrawn_on": "2024-01-01"}, format="json"))
    assert "Der Widerruf liegt vor der Einwilligung." in errors["withdrawn_on"]
    done = admin.post(withdraw, {"withdrawn_on": "2024-03-01"}, format="json")
    assert done.status_code == 200
    assert done.json()["withdrawn_on"] == "2024-03-01"
    assert admin.get(url).json()[0]["withdrawn_on"] == "2024-03-01"
    assert Consent.objects.get(pk=consent_id).recorded_by == world.admin.user
    missing = admin.post(f"{url}999999/withdrawal/", {"withdrawn_on": "2024-03-01"}, format="json")
    assert _problem(missing, 404)


# --- Denials ---------------------------------------------------------------------------------


def test_provider_caseworker_cannot_create_households_or_persons(world):
    client = _client(world.caseworker)
    before = row_counts()
    body = {**PERSON, "household": world.own.household_id}
    assert _problem(client.post("/api/v1/persons/", body, format="json"), 403)
    # Even with bad input the answer is 403: who may not create learns nothing more.
    assert _problem(client.post("/api/v1/persons/", {"x": 1}, format="json"), 403)
    assert _problem(client.post("/api/v1/households/", {"reference": "A"}, format="json"), 403)
    assert row_counts() == before


def test_provider_caseworker_changes_own_households_persons(world):
    client = _client(world.caseworker)
    response = client.patch(
        f"/api/v1/persons/{world.own.pk}/", {"given_names": "Amina Sara"}, format="json"
    )
    assert response.status_code == 200
    world.own.refresh_from_db()
    assert world.own.given_names == "Amina Sara"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"family_name": "X"}),
        ("post", "residence-statuses/", {"kind": "duldung", "valid_from": "2024-01-01"}),
        ("post", "vulnerabilities/", {"category": "pregnant", "noted_on": "2024-01-01"}),
        ("post", "consents/", {"purpose": "photo", "given_on": "2024-01-01"}),
        ("get", "residence-statuses/", None),
    ],
)
def test_provider_caseworker_gets_404_for_another_providers_person(world, method, path, body):
    client = _client(world.caseworker)
    before = row_counts()
    response = getattr(client, method)(
        f"/api/v1/persons/{world.other.pk}/{path}", body, format="json"
    )
    assert "Fremde" not in response.content.decode()
    assert _problem(response, 404)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"family_name": "X"}),
        ("post", "residence-statuses/", {"kind": "duldung", "valid_from": "2024-01-01"}),
        ("post", "vulnerabilities/", {"category": "pregnant", "noted_on": "2024-01-01"}),
        ("post", "consents/", {"purpose": "photo", "given_on": "2024-01-01"}),
        ("get", "residence-statuses/", None),  # sensitive: a volunteer may not read it
        ("get", "consents/", None),
    ],
)
def test_a_volunteer_cannot_change_anything(world, method, path, body):
    client = _client(world.volunteer)
    assert client.get(f"/api/v1/persons/{world.own.pk}/").status_code == 200
    before = row_counts()
    response = getattr(client, method)(
        f"/api/v1/persons/{world.own.pk}/{path}", body, format="json"
    )
    assert _problem(response, 403)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"family_name": "X"}),
        ("post", "residence-statuses/", {"kind": "duldung", "valid_from": "2024-01-01"}),
        ("get", "vulnerabilities/", None),
        ("post", "consents/1/withdrawal/", {"withdrawn_on": "2024-01-01"}),
    ],
)
def test_without_the_right_anywhere_every_person_is_403(world, method, path, body):
    """A volunteer may change no one and read no sensitive facts: a person out of her reach,
    or none at all, is 403 as well (not 404), so the answer does not tell who exists."""
    client = _client(world.volunteer)
    before = row_counts()
    for pk in (world.other.pk, 999_999):
        response = getattr(client, method)(f"/api/v1/persons/{pk}/{path}", body, format="json")
        assert "Fremde" not in response.content.decode()
        assert _problem(response, 403)
    assert row_counts() == before


def test_a_volunteer_cannot_withdraw_a_consent(world):
    consent = Consent.objects.create(
        county=world.county, person=world.own, purpose="photo", given_on=date(2024, 1, 1)
    )
    client = _client(world.volunteer)
    url = f"/api/v1/persons/{world.own.pk}/consents/{consent.pk}/withdrawal/"
    assert _problem(client.post(url, {"withdrawn_on": "2024-02-01"}, format="json"), 403)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_session_write_needs_the_csrf_token(world):
    """A signed-in browser's cookie alone must not write (cross-site request forgery)."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.admin.user)
    before = row_counts()
    response = client.post("/api/v1/households/", {"reference": "CSRF-1"}, format="json")
    assert "CSRF" in _problem(response, 403)["detail"]
    assert row_counts() == before


def test_anonymous_requests_are_401(world):
    response = APIClient().post("/api/v1/persons/", PERSON, format="json")
    assert _problem(response, 401)


# --- Token authentication and the schema -----------------------------------------------------


@pytest.fixture
def admin_token_client(world, settings) -> APIClient:
    """The admin's token as production issues it: staff need two factors, so only with a
    confirmed TOTP device (``ankommen token create``)."""
    settings.ANKOMMEN_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=world.admin.user, name="Telefon", confirmed=True)
    token = create_token(actor=world.admin.user, user=world.admin.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_token_authentication_reaches_the_same_data(world, admin_token_client):
    client = admin_token_client
    body = {**PERSON, "household": world.other.household_id}
    assert client.post("/api/v1/persons/", body, format="json").status_code == 201
    household = client.get(f"/api/v1/households/{world.other.household_id}/").json()
    assert sorted(member["family_name"] for member in household["members"]) == [
        "Al-Hassan",
        "Fremde",
    ]


def test_the_schema_describes_every_write_operation(admin):
    schema = admin.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/households/"]
    assert "post" in paths["/api/v1/persons/"]
    assert "patch" in paths["/api/v1/persons/{id}/"]
    assert "put" not in paths["/api/v1/persons/{id}/"]
    for sub in ("residence-statuses", "vulnerabilities", "consents"):
        operations = paths[f"/api/v1/persons/{{id}}/{sub}/"]
        assert {"get", "post"} <= set(operations)
        assert "application/problem+json" in operations["post"]["responses"]["400"]["content"]
    assert "/api/v1/persons/{id}/consents/{consent_id}/withdrawal/" in paths


def test_a_user_in_two_counties_names_the_county(admin, world):
    second = MembershipFactory(user=world.admin.user)
    before = row_counts()
    errors = _field_messages(admin.post("/api/v1/households/", {"reference": "B"}, format="json"))
    assert "Bitte den Landkreis angeben" in errors["county"]
    assert row_counts() == before
    response = admin.post(
        "/api/v1/households/", {"reference": "B", "county": second.county.slug}, format="json"
    )
    assert response.status_code == 201
    assert Household._base_manager.get(pk=response.json()["id"]).county == second.county


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "/api/v1/persons/{big}/"),
        ("post", "/api/v1/persons/{own}/consents/{big}/withdrawal/"),
        ("post", "/api/v1/persons/{big}/residence-statuses/"),
    ],
)
def test_ids_beyond_the_integer_range_are_404(admin, world, method, path):
    url = path.format(big="9" * 30, own=world.own.pk)
    response = getattr(admin, method)(url, {"withdrawn_on": "2024-01-01"}, format="json")
    assert _problem(response, 404)
