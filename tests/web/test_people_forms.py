"""Creating and changing households and persons in the UI: grants, denials and bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.people.models import (
    Consent,
    Household,
    Person,
    ResidenceStatus,
    Vulnerability,
)
from tests.factories import MembershipFactory, PersonFactory
from tests.people_support import VALID_PERSON, World, make_world, row_counts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = (TODAY + timedelta(days=1)).strftime("%d.%m.%Y")


@pytest.fixture
def world(settings) -> World:
    # Users log in with force_login; a fast hasher spares three Argon2 hashes per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_world()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin.user)
    return client


def _summary(body: str) -> str:
    match = re.search(r'<div class="error-summary" role="alert".*?</div>', body, re.S)
    assert match, "no error summary"
    return match.group(0)


def _field_error(body: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', body, re.S)
    assert match, f"no error next to {field}"
    return match.group(1)


# --- Households ------------------------------------------------------------------------------


def test_county_admin_creates_a_household_and_it_is_audited(admin_client, world):
    before = AuditEvent.objects.count()
    response = admin_client.post(reverse("web:household_create"), {"reference": " LOS-2025-7 "})
    household = Household._base_manager.get(reference="LOS-2025-7")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:household", args=[household.pk])
    assert household.county == world.county
    event = AuditEvent.objects.get(sequence=before + 1)
    assert (event.action, event.object_type) == ("create", "people.household")


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "Bitte eine Haushaltsnummer angeben."),
        ("X" * 10_000, "Die Haushaltsnummer ist zu lang (10000 Zeichen, höchstens 40)."),
        ("<script>alert(1)</script>", "Die Haushaltsnummer enthält unzulässige Zeichen"),
    ],
)
def test_bad_household_numbers_are_rejected_and_nothing_is_written(
    admin_client, reference, message
):
    before = row_counts()
    response = admin_client.post(reverse("web:household_create"), {"reference": reference})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in _summary(body)
    assert message in _field_error(body, "reference")
    assert "<script>alert(1)</script>" not in body
    assert row_counts() == before


def test_a_household_number_is_unique_in_the_county(admin_client, world):
    before = row_counts()
    response = admin_client.post(
        reverse("web:household_create"), {"reference": world.own.household.reference}
    )
    assert "Diese Haushaltsnummer gibt es schon." in response.content.decode()
    assert row_counts() == before


# --- Creating persons ------------------------------------------------------------------------


def test_the_person_form_is_labelled_and_describes_its_fields(admin_client, world):
    body = admin_client.get(reverse("web:person_create", args=[world.other.household_id]))
    html = body.content.decode()
    for field in ("family_name", "given_names", "birth_date", "nationalities", "languages"):
        assert f'<label for="id_{field}">' in html
    assert 'aria-describedby="id_birth_date_helptext"' in html
    assert "TT.MM.JJJJ; unbekannten Tag oder Monat als 00" in html
    assert "<legend>Geschlecht" in html  # radio buttons are grouped under a legend
    assert "<script" not in html.split("<body>")[1]  # no inline scripts (CSP)
    assert "style=" not in html


def test_county_admin_adds_a_person_with_partial_birth_date_and_codes(admin_client, world):
    household = world.other.household
    response = admin_client.post(reverse("web:person_create", args=[household.pk]), VALID_PERSON)
    assert response.status_code == 302
    person = Person._base_manager.get(household=household, family_name="Al-Hassan")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1990, 5, None)
    assert [n.code for n in person.nationalities.order_by("pk")] == ["SYR", "XXA"]
    languages = person.languages.order_by("-is_first_language", "pk")
    assert [(lang.code, lang.is_first_language) for lang in languages] == [
        ("ara", True),
        ("kur", False),
    ]
    assert person.arrived_in_germany_on == date(2023, 11, 3)
    assert person.allocated_on == date(2023, 11, 20)
    detail = admin_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "00.05.1990" in detail
    assert "Syrien" in detail
    assert "Arabisch" in detail


def test_nationalities_and_languages_may_come_from_a_multi_select(admin_client, world):
    data = {**VALID_PERSON, "nationalities": ["AFG", "staatenlos"], "languages": ["prs", "Paschtu"]}
    admin_client.post(reverse("web:person_create", args=[world.other.household_id]), data)
    person = Person._base_manager.get(family_name="Al-Hassan")
    assert sorted(n.code for n in person.nationalities.all()) == ["AFG", "XXA"]
    assert sorted(lang.code for lang in person.languages.all()) == ["prs", "pus"]


FUTURE_BIRTH = f"01.01.{TODAY.year + 1}"

BAD_PERSON_INPUT = [
    # (changes to the valid input, field, message)
    ({"birth_date": "31.02.1990"}, "birth_date", "Den Tag 31 gibt es im Monat 2/1990 nicht."),
    ({"birth_date": "gestern"}, "birth_date", "„gestern“ ist kein Datum"),
    ({"birth_date": "05.00.1990"}, "birth_date", "Ein Tag ohne Monat ist nicht zulässig."),
    ({"birth_date": FUTURE_BIRTH}, "birth_date", "Das Geburtsdatum liegt in der Zukunft."),
    ({"birth_date": ""}, "birth_date", "Das Geburtsdatum ist ungültig"),
    ({"family_name": ""}, "family_name", "Bitte einen Familiennamen angeben."),
    ({"family_name": "   "}, "family_name", "Bitte einen Familiennamen angeben."),
    (
        {"family_name": "A" * 10_000},
        "family_name",
        "Der Familienname ist zu lang (10000 Zeichen, höchstens 200).",
    ),
    (
        {"family_name": "<script>alert(1)</script>"},
        "family_name",
        "Der Familienname enthält unzulässige Zeichen",
    ),
    (
        {"given_names": "Ali<script>alert(1)</script>"},
        "given_names",
        "Der Vorname enthält unzulässige Zeichen",
    ),
    ({"given_names": "Ali\x07"}, "given_names", "Der Vorname enthält unzulässige Zeichen"),
    ({"given_names": "Ali\u202e"}, "given_names", "Der Vorname enthält unzulässige Zeichen"),
    (
        {"nationalities": "Syrien, Atlantis"},
        "nationalities",
        "„Atlantis“ ist keine bekannte Staatsangehörigkeit (ISO 3166-1).",
    ),
    (
        {"nationalities": "AFG, SYR, IRQ, IRN, TUR, UKR, RUS, ERI, SOM, GEO, COL"},
        "nationalities",
        "Bitte höchstens 10 Staatsangehörigkeiten angeben.",
    ),
    (
        {"nationalities": ",".join(["Atlantis"] * 5000)},
        "nationalities",
        "Bitte höchstens 10 Staatsangehörigkeiten angeben.",
    ),
    ({"languages": "Xyzisch"}, "languages", "„Xyzisch“ ist keine bekannte Sprache (ISO 639)."),
    ({"sex": "q"}, "sex", "Bitte beim Geschlecht eine der angebotenen Angaben wählen"),
    ({"sex": ""}, "sex", "Bitte das Geschlecht auswählen."),
    ({"household_role": "boss"}, "household_role", "Bitte eine der angebotenen Stellungen"),
    (
        {"arrived_in_germany_on": "gestern"},
        "arrived_in_germany_on",
        "Einreise nach Deutschland: Bitte ein gültiges Datum im Format TT.MM.JJJJ angeben.",
    ),
    (
        {"arrived_in_germany_on": "31.02.2024"},
        "arrived_in_germany_on",
        "Einreise nach Deutschland: Bitte ein gültiges Datum",
    ),
    (
        {"arrived_in_germany_on": TOMORROW, "allocated_on": ""},
        "arrived_in_germany_on",
        "Die Einreise nach Deutschland liegt in der Zukunft.",
    ),
    (
        {"arrived_in_germany_on": "01.01.1989"},
        "arrived_in_germany_on",
        "Die Einreise nach Deutschland liegt vor dem Geburtsdatum.",
    ),
    (
        {"arrived_in_germany_on": "03.11.2023", "allocated_on": "02.11.2023"},
        "allocated_on",
        "Die Zuweisung an den Landkreis liegt vor der Einreise nach Deutschland.",
    ),
    (
        {"allocated_on": TOMORROW},
        "allocated_on",
        "Die Zuweisung an den Landkreis liegt in der Zukunft.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_PERSON_INPUT)
def test_bad_person_input_is_rejected_with_a_german_message_at_the_field(
    admin_client, world, changes, field, message
):
    before = row_counts()
    url = reverse("web:person_create", args=[world.other.household_id])
    response = admin_client.post(url, {**VALID_PERSON, **changes})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in _summary(body)
    assert message in _field_error(body, field)
    anchor = f"id_{field}_0" if field == "sex" else f"id_{field}"
    assert f'href="#{anchor}"' in _summary(body)
    assert "aria-invalid" in body.split(f'id="{anchor}"')[0].rsplit("<", 1)[1]
    assert "<script>alert(1)</script>" not in body  # shown, if at all, escaped
    assert row_counts() == before


def test_every_problem_is_reported_in_one_round(admin_client, world):
    data = {**VALID_PERSON, "family_name": "", "birth_date": "31.02.1990", "sex": "q"}
    data["nationalities"] = "Atlantis"
    data["arrived_in_germany_on"] = "gestern"
    body = admin_client.post(
        reverse("web:person_create", args=[world.other.household_id]), data
    ).content.decode()
    summary = _summary(body)
    assert summary.count("<li>") == 5


def test_a_rejected_script_tag_is_shown_escaped_in_the_form(admin_client, world):
    data = {**VALID_PERSON, "family_name": '"><script>alert(1)</script>'}
    body = admin_client.post(
        reverse("web:person_create", args=[world.other.household_id]), data
    ).content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize(
    ("family_name", "given_names", "queries"),
    [
        ("الحسن", "محمد", ["محمد الحسن", "Mohammed"]),
        ("Шевченко", "Олена", ["Шевченко", "Olena Shevchenko"]),
        ("ተስፋይ", "ዮሃንስ", ["ዮሃንስ", "Yohannes Tesfay"]),
        ("Aziz", "", ["Aziz"]),  # a one-name person
        ("Nasrin", "", ["نسرین"]),  # found from the other script, too
    ],
)
def test_names_in_any_script_and_one_name_persons_are_stored_and_found(
    admin_client, world, family_name, given_names, queries
):
    data = {**VALID_PERSON, "family_name": family_name, "given_names": given_names}
    response = admin_client.post(
        reverse("web:person_create", args=[world.other.household_id]), data
    )
    assert response.status_code == 302
    person = Person._base_manager.get(family_name=family_name)
    assert person.given_names == given_names
    for query in queries:
        body = admin_client.get(reverse("web:search"), {"q": query}).content.decode()
        assert reverse("web:household", args=[person.household_id]) in body, query
        assert person.full_name in body


# --- Changing persons ------------------------------------------------------------------------


def test_editing_a_person_audits_the_changed_field_names_only(admin_client, world):
    person = world.other
    data = {
        **VALID_PERSON,
        "family_name": "Neuer Name",
        "given_names": person.given_names,
        "birth_date": person.birth_date.german(),
        "sex": person.sex,
        "nationalities": "XXX",
        "languages": "",
        "arrived_in_germany_on": "",
        "allocated_on": "",
    }
    person.nationalities.create(code="XXX")
    before = AuditEvent.objects.count()
    response = admin_client.post(reverse("web:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Neuer Name"
    event = AuditEvent.objects.get(sequence=before + 1)
    assert event.details == {"fields": ["family_name"]}
    assert "Neuer" not in str(event.details)
    found = admin_client.get(reverse("web:search"), {"q": "Neuer Name"}).content.decode()
    assert reverse("web:household", args=[person.household_id]) in found


def test_saving_an_unchanged_person_writes_nothing(admin_client, world):
    person = world.other
    data = {
        "family_name": person.family_name,
        "given_names": person.given_names,
        "birth_date": person.birth_date.german(),
        "sex": person.sex,
        "household_role": person.household_role,
        "nationalities": "XXX",
        "languages": "",
    }
    person.nationalities.create(code="XXX")
    before = row_counts()
    response = admin_client.post(reverse("web:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    assert row_counts() == before


def test_the_edit_form_shows_a_stored_script_tag_escaped(admin_client, world):
    person = PersonFactory(household=world.other.household, family_name="<script>alert(1)</script>")
    body = admin_client.get(reverse("web:person_edit", args=[person.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_bad_edit_changes_nothing(admin_client, world):
    person = world.other
    before = row_counts()
    data = {**VALID_PERSON, "family_name": "X" * 10_000, "birth_date": "05.00.1990"}
    response = admin_client.post(reverse("web:person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "Ein Tag ohne Monat" in _summary(response.content.decode())
    person.refresh_from_db()
    assert person.family_name == "Fremde"
    assert row_counts() == before


# --- Residence status, vulnerability, consent ------------------------------------------------


def test_a_new_residence_status_ends_the_previous_one(admin_client, world):
    person = world.other
    url = reverse("web:residence_status_create", args=[person.pk])
    admin_client.post(url, {"kind": "gestattung", "valid_from": "01.01.2023"})
    response = admin_client.post(
        url, {"kind": "aufenthaltserlaubnis", "legal_basis": "25.2.2", "valid_from": "01.03.2024"}
    )
    assert response.status_code == 302
    statuses = list(ResidenceStatus.objects.filter(person=person).order_by("valid_from"))
    assert [(s.kind, s.valid_to) for s in statuses] == [
        ("gestattung", date(2024, 2, 29)),
        ("aufenthaltserlaubnis", None),
    ]
    ended = AuditEvent.objects.get(
        object_type="people.residencestatus", object_id=str(statuses[0].pk), action="change"
    )
    assert ended.details == {"fields": ["valid_to"]}
    detail = admin_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "§ 25 Abs. 2 S. 1 Alt. 2 AufenthG (subsidiärer Schutz)" in detail
    assert "29.02.2024" in detail


def test_a_status_recorded_before_a_later_one_ends_when_the_later_one_begins(admin_client, world):
    person = world.other
    url = reverse("web:residence_status_create", args=[person.pk])
    admin_client.post(url, {"kind": "gestattung", "valid_from": "01.03.2024"})
    admin_client.post(url, {"kind": "ankunftsnachweis", "valid_from": "10.01.2024"})
    statuses = list(ResidenceStatus.objects.filter(person=person).order_by("valid_from"))
    assert [(s.kind, s.valid_to) for s in statuses] == [
        ("ankunftsnachweis", date(2024, 2, 29)),
        ("gestattung", None),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "asyl"}, "kind", "„asyl“ ist kein bekannter Aufenthaltsstatus."),
        ({"kind": ""}, "kind", "Bitte den Aufenthaltsstatus auswählen."),
        (
            {"kind": "duldung", "legal_basis": "25.2.1"},
            "legal_basis",
            "passt nicht zum Status „Duldung“",
        ),
        ({"legal_basis": "99"}, "legal_basis", "„99“ ist keine bekannte Rechtsgrundlage."),
        ({"valid_from": "31.02.2024"}, "valid_from", "gültig ab: Bitte ein gültiges Datum"),
        ({"valid_from": TOMORROW}, "valid_from", "Der Beginn liegt in der Zukunft."),
        ({"valid_from": "01.01.1980"}, "valid_from", "Der Beginn liegt vor dem Geburtsdatum."),
        ({"valid_to": "01.01.2022"}, "valid_to", "Das Ende liegt vor dem Beginn."),
        ({"valid_from": "01.01.2023"}, "valid_from", "An diesem Tag beginnt bereits"),
    ],
)
def test_bad_residence_status_input_is_rejected(admin_client, world, data, field, message):
    person = world.other
    url = reverse("web:residence_status_create", args=[person.pk])
    admin_client.post(url, {"kind": "gestattung", "valid_from": "01.01.2023"})
    before = row_counts()
    statuses_before = list(ResidenceStatus.objects.values_list("valid_to", flat=True))
    response = admin_client.post(
        url, {"kind": "aufenthaltserlaubnis", "valid_from": "01.06.2023", **data}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in _summary(body)
    assert message in _field_error(body, field)
    assert row_counts() == before
    assert list(ResidenceStatus.objects.values_list("valid_to", flat=True)) == statuses_before


def test_vulnerability_is_recorded_and_a_duplicate_is_rejected(admin_client, world):
    person = world.other
    url = reverse("web:vulnerability_create", args=[person.pk])
    assert (
        admin_client.post(url, {"category": "pregnant", "noted_on": "01.02.2024"}).status_code
        == 302
    )
    assert Vulnerability.objects.filter(person=person, category="pregnant").count() == 1
    before = row_counts()
    again = admin_client.post(url, {"category": "pregnant", "noted_on": "02.02.2024"})
    assert "bereits erfasst" in _field_error(again.content.decode(), "category")
    unknown = admin_client.post(url, {"category": "tired", "noted_on": "02.02.2024"})
    assert "„tired“ ist keine bekannte Kategorie" in unknown.content.decode()
    assert row_counts() == before


def test_reading_a_health_related_vulnerability_on_the_person_page_is_audited(admin_client, world):
    person = world.other
    admin_client.post(
        reverse("web:vulnerability_create", args=[person.pk]),
        {"category": "mental_disorder", "noted_on": "01.02.2024"},
    )
    before = AuditEvent.objects.count()
    body = admin_client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert "Psychische Störung" in body
    read = AuditEvent.objects.get(sequence=before + 1)
    assert (read.action, read.person_id) == ("read", person.pk)


def test_consent_is_recorded_and_withdrawn_once(admin_client, world):
    person = world.other
    response = admin_client.post(
        reverse("web:consent_create", args=[person.pk]),
        {"purpose": "share_provider", "given_on": "01.02.2024"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert consent.recorded_by == world.admin.user
    detail = admin_client.get(reverse("web:person", args=[person.pk])).content.decode()
    withdraw_url = reverse("web:consent_withdraw", args=[person.pk, consent.pk])
    assert withdraw_url in detail
    early = admin_client.post(withdraw_url, {"withdrawn_on": "01.01.2024"})
    assert "Der Widerruf liegt vor der Einwilligung." in early.content.decode()
    assert admin_client.post(withdraw_url, {"withdrawn_on": "01.03.2024"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2024, 3, 1)
    before = row_counts()
    again = admin_client.post(withdraw_url, {"withdrawn_on": "02.03.2024"})
    assert "bereits widerrufen" in again.content.decode()
    assert row_counts() == before


def test_a_second_open_consent_for_the_same_purpose_is_rejected(admin_client, world):
    url = reverse("web:consent_create", args=[world.other.pk])
    admin_client.post(url, {"purpose": "photo", "given_on": "01.02.2024"})
    before = row_counts()
    again = admin_client.post(url, {"purpose": "photo", "given_on": "02.02.2024"})
    assert "bereits eine Einwilligung" in _field_error(again.content.decode(), "purpose")
    assert row_counts() == before


def test_a_consent_of_another_person_cannot_be_withdrawn_through_this_one(admin_client, world):
    consent = Consent.objects.create(
        county=world.county, person=world.own, purpose="photo", given_on=date(2024, 1, 1)
    )
    url = reverse("web:consent_withdraw", args=[world.other.pk, consent.pk])
    assert admin_client.post(url, {"withdrawn_on": "02.01.2024"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


# --- Who sees which links, who may do what ---------------------------------------------------


def _links(client, household_id: int) -> str:
    return client.get(reverse("web:household", args=[household_id])).content.decode()


def test_household_page_shows_actions_only_to_users_allowed_to_do_them(client, world):
    household = world.own.household
    add = reverse("web:person_create", args=[household.pk])
    edit = reverse("web:person_edit", args=[world.own.pk])
    status = reverse("web:residence_status_create", args=[world.own.pk])

    client.force_login(world.admin.user)
    body = _links(client, household.pk)
    assert add in body
    assert edit in body
    assert status in body
    assert reverse("web:household_create") in client.get(reverse("web:home")).content.decode()

    client.force_login(world.caseworker.user)  # may change, may not create
    body = _links(client, household.pk)
    assert add not in body
    assert edit in body
    assert reverse("web:household_create") not in client.get(reverse("web:home")).content.decode()

    client.force_login(world.volunteer.user)  # may only look
    body = _links(client, household.pk)
    assert world.own.family_name in body
    assert add not in body
    assert edit not in body
    assert status not in body


def test_provider_caseworker_may_change_own_households_persons(client, world):
    client.force_login(world.caseworker.user)
    response = client.post(
        reverse("web:residence_status_create", args=[world.own.pk]),
        {"kind": "gestattung", "valid_from": "01.01.2024"},
    )
    assert response.status_code == 302
    assert ResidenceStatus.objects.filter(person=world.own).count() == 1


def test_provider_caseworker_cannot_create_households_or_persons(client, world):
    client.force_login(world.caseworker.user)
    before = row_counts()
    assert client.get(reverse("web:household_create")).status_code == 403
    assert client.post(reverse("web:household_create"), {"reference": "X-1"}).status_code == 403
    url = reverse("web:person_create", args=[world.own.household_id])
    assert client.get(url).status_code == 403
    assert client.post(url, VALID_PERSON).status_code == 403
    assert row_counts() == before


OTHER_PROVIDER_URLS = [
    ("web:person_edit", "person"),
    ("web:residence_status_create", "person"),
    ("web:vulnerability_create", "person"),
    ("web:consent_create", "person"),
    ("web:person", "person"),
]


@pytest.mark.parametrize(("name", "target"), OTHER_PROVIDER_URLS)
def test_provider_caseworker_cannot_reach_another_providers_household(client, world, name, target):
    client.force_login(world.caseworker.user)
    pk = world.other.household_id if target == "household" else world.other.pk
    before = row_counts()
    for response in (
        client.get(reverse(name, args=[pk])),
        client.post(reverse(name, args=[pk]), {**VALID_PERSON, "kind": "duldung"}),
    ):
        assert response.status_code == 404
        assert "Fremde" not in response.content.decode()
    assert row_counts() == before


VOLUNTEER_DENIED = [
    ("web:person_edit", VALID_PERSON),
    ("web:residence_status_create", {"kind": "duldung", "valid_from": "01.01.2024"}),
    ("web:vulnerability_create", {"category": "pregnant", "noted_on": "01.01.2024"}),
    ("web:consent_create", {"purpose": "photo", "given_on": "01.01.2024"}),
]


@pytest.mark.parametrize(("name", "data"), VOLUNTEER_DENIED)
def test_a_volunteer_cannot_change_anything(client, world, name, data):
    client.force_login(world.volunteer.user)
    assert client.get(reverse("web:person", args=[world.own.pk])).status_code == 200
    before = row_counts()
    assert client.get(reverse(name, args=[world.own.pk])).status_code == 403
    assert client.post(reverse(name, args=[world.own.pk]), data).status_code == 403
    assert client.post(reverse("web:household_create"), {"reference": "V-1"}).status_code == 403
    assert (
        client.post(
            reverse("web:person_create", args=[world.own.household_id]), VALID_PERSON
        ).status_code
        == 403
    )
    assert row_counts() == before


@pytest.mark.parametrize(("name", "data"), VOLUNTEER_DENIED)
def test_without_the_right_anywhere_every_person_is_403(client, world, name, data):
    """A volunteer may change no one: a person out of her reach, or none at all, is 403 as
    well (not 404), so the answer does not tell which persons exist."""
    client.force_login(world.volunteer.user)
    before = row_counts()
    for pk in (world.other.pk, 999_999):
        for response in (
            client.get(reverse(name, args=[pk])),
            client.post(reverse(name, args=[pk]), data),
        ):
            assert response.status_code == 403
            assert "Fremde" not in response.content.decode()
    assert row_counts() == before


def test_without_the_right_to_add_persons_every_household_is_403(client, world):
    # The provider caseworker may change her provider's households but add persons nowhere.
    client.force_login(world.caseworker.user)
    before = row_counts()
    for pk in (world.own.household_id, world.other.household_id, 999_999):
        url = reverse("web:person_create", args=[pk])
        for response in (client.get(url), client.post(url, VALID_PERSON)):
            assert response.status_code == 403
            assert "Fremde" not in response.content.decode()
    assert row_counts() == before


def test_a_planner_gets_403_for_every_person_page(client, world):
    planner = MembershipFactory(county=world.county, role=Role.PLANNER, scope=Scope.COUNTY)
    client.force_login(planner.user)
    for pk in (world.own.pk, world.other.pk, 999_999):
        response = client.get(reverse("web:person", args=[pk]))
        assert response.status_code == 403
        assert "Keine Berechtigung" in response.content.decode()


def test_a_form_without_the_csrf_token_writes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin.user)
    before = row_counts()
    response = client.post(reverse("web:household_create"), {"reference": "CSRF-1"})
    assert response.status_code == 403
    assert row_counts() == before


def test_a_volunteer_cannot_withdraw_a_consent(client, world):
    consent = Consent.objects.create(
        county=world.county, person=world.own, purpose="photo", given_on=date(2024, 1, 1)
    )
    client.force_login(world.volunteer.user)
    url = reverse("web:consent_withdraw", args=[world.own.pk, consent.pk])
    assert client.post(url, {"withdrawn_on": "02.01.2024"}).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_a_volunteer_sees_no_sensitive_facts_on_the_person_page(client, world):
    ResidenceStatus.objects.create(
        county=world.county, person=world.own, kind="duldung", valid_from=date(2024, 1, 1)
    )
    client.force_login(world.volunteer.user)
    body = client.get(reverse("web:person", args=[world.own.pk])).content.decode()
    assert "00.00.1990" in body  # the birth date with unknown parts as 00
    assert "Duldung" not in body


def test_a_user_of_another_county_sees_nothing(client, world):
    stranger = MembershipFactory()  # county admin elsewhere
    client.force_login(stranger.user)
    assert client.get(reverse("web:person", args=[world.own.pk])).status_code == 404
    assert client.get(reverse("web:person_edit", args=[world.own.pk])).status_code == 404
    url = reverse("web:person_create", args=[world.own.household_id])
    assert client.post(url, VALID_PERSON).status_code == 404


def test_a_user_in_two_counties_chooses_where_the_household_goes(client, world):
    second = MembershipFactory(user=world.admin.user)  # county admin in another county, too
    elsewhere = MembershipFactory()  # a county the user has nothing to do with
    client.force_login(world.admin.user)
    form = client.get(reverse("web:household_create")).content.decode()
    assert '<select name="county"' in form
    before = row_counts()
    refused = client.post(
        reverse("web:household_create"), {"county": elsewhere.county_id, "reference": "A-1"}
    )
    assert "Diesen Landkreis gibt es nicht" in _field_error(refused.content.decode(), "county")
    assert row_counts() == before
    client.post(reverse("web:household_create"), {"county": second.county_id, "reference": "A-1"})
    assert Household._base_manager.get(reference="A-1").county_id == second.county_id


@pytest.mark.parametrize(
    "name", ["web:person", "web:person_edit", "web:person_create", "web:consent_create"]
)
def test_ids_beyond_the_integer_range_are_404(admin_client, name):
    assert admin_client.get(reverse(name, args=["9" * 30])).status_code == 404
