"""Rules of the person services that the forms and the API share."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ankommen.core.models import Role, Scope
from ankommen.people import services
from ankommen.people.models import Consent, ResidenceStatus
from tests.factories import HouseholdFactory, MembershipFactory
from tests.people_support import World, make_world, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_world()


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_the_system_actor_is_held_to_the_same_rules(world):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        services.create_person(
            actor=None,
            household=world.other.household,
            family_name="",
            birth_date="1990-02-30",
            sex="m",
            nationalities=["SYR", "Atlantis"],
            arrived_in_germany_on=date(2030, 1, 1),
        )
    assert set(_messages(error)) == {
        "family_name",
        "birth_date",
        "nationalities",
        "arrived_in_germany_on",
    }
    assert row_counts() == before


def test_update_person_changes_only_the_given_fields(world):
    person = world.other
    services.update_person(actor=world.admin.user, person=person, allocated_on=date(2024, 1, 5))
    person.refresh_from_db()
    assert person.allocated_on == date(2024, 1, 5)
    assert person.family_name == "Fremde"


def test_update_person_without_a_change_writes_and_audits_nothing(world):
    before = row_counts()
    services.update_person(
        actor=world.admin.user, person=world.other, family_name=" Fremde ", sex="w"
    )
    assert row_counts() == before


def test_a_new_birth_date_may_not_make_a_stored_arrival_impossible(world):
    person = world.other
    services.update_person(
        actor=world.admin.user, person=person, arrived_in_germany_on=date(2015, 9, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.update_person(actor=world.admin.user, person=person, birth_date="00.00.2016")
    assert "vor dem Geburtsdatum" in _messages(error)["arrived_in_germany_on"][0]


def test_persian_names_keep_their_zero_width_non_joiner(world):
    person = services.create_person(
        actor=world.admin.user,
        household=world.other.household,
        family_name="حسین\u200cزاده",
        birth_date="1980",
        sex="m",
    )
    assert person.family_name == "حسین\u200cزاده"


@pytest.mark.parametrize(
    ("kind", "basis", "accepted"),
    [
        ("aufenthaltserlaubnis", "24", True),
        ("aufenthaltserlaubnis", "104c", True),
        ("aufenthaltserlaubnis", "60a", False),
        ("duldung", "60c", True),
        ("duldung", "25.5", False),
        ("niederlassungserlaubnis", "25.1", False),
        ("gestattung", "", True),
    ],
)
def test_legal_basis_must_fit_the_kind_of_status(world, kind, basis, accepted):
    def record() -> ResidenceStatus:
        return services.record_residence_status(
            actor=world.admin.user,
            person=world.other,
            kind=kind,
            legal_basis=basis,
            valid_from=date(2024, 1, 1),
        )

    if accepted:
        assert record().legal_basis == basis
    else:
        with pytest.raises(ValidationError) as error:
            record()
        assert "passt nicht" in _messages(error)["legal_basis"][0]


def test_adding_a_person_needs_the_household_in_reach(world):
    # A county caseworker limited to her caseload may create persons in principle, but not
    # in a household she does not look after.
    caseload = MembershipFactory(
        county=world.county, role=Role.COUNTY_CASEWORKER, scope=Scope.CASELOAD
    )
    with pytest.raises(PermissionDenied):
        services.create_person(
            actor=caseload.user,
            household=world.other.household,
            family_name="Neu",
            birth_date="1990",
            sex="x",
        )


def test_consents_need_the_right_to_change_the_person(world):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        services.record_consent(
            actor=world.volunteer.user, person=world.own, purpose="photo", given_on=date.today()
        )
    consent = Consent.objects.create(
        county=world.county, person=world.own, purpose="photo", given_on=date(2024, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(
            actor=world.volunteer.user, consent=consent, withdrawn_on=date(2024, 2, 1)
        )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert row_counts()["AuditEvent"] == before["AuditEvent"]


def test_household_numbers_are_unique_per_county_only(world):
    HouseholdFactory(reference="LOS-1")  # another county
    household = services.create_household(
        actor=world.admin.user, county=world.county, reference="LOS-1"
    )
    assert household.county == world.county
