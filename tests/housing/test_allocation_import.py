from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ankommen.algorithms import allocation_lists
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import verify_chain
from ankommen.core.models import Role, Scope
from ankommen.housing.models import Allocation, AllocationImport, Arrival, ArrivalTask
from ankommen.housing.services_allocations import Status, import_allocations
from ankommen.people.models import (
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Vulnerability,
)
from tests.factories import CountyFactory, HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.allocation_support import csv_file, family, row, to_xlsx

pytestmark = pytest.mark.django_db

WRITTEN = (
    Household,
    Person,
    Nationality,
    LanguageSkill,
    PersonNameKey,
    ResidenceStatus,
    Vulnerability,
    Allocation,
    AllocationImport,
    Arrival,
    ArrivalTask,
    AuditEvent,
)


def counts():
    return {model.__name__: model._base_manager.count() for model in WRITTEN}


@pytest.fixture
def staff():
    return MembershipFactory(role=Role.COUNTY_CASEWORKER)


def run(staff, content, **kwargs):
    kwargs.setdefault("file_name", "liste.csv")
    return import_allocations(actor=staff.user, county=staff.county, content=content, **kwargs)


def test_import_creates_households_persons_and_all_their_records(staff):
    result = run(staff, csv_file())
    assert result.status == Status.IMPORTED
    assert (result.persons_created, result.households_created, result.rows) == (4, 2, 4)
    household = Household._base_manager.get(county=staff.county, reference="H-1")
    members = {p.given_names: p for p in household.members.all()}
    assert set(members) == {"Muhammad", "فاطمة", "Yusuf"}
    head, mother, child = members["Muhammad"], members["فاطمة"], members["Yusuf"]
    assert head.household_role == Person.HouseholdRole.HEAD
    assert child.household_role == Person.HouseholdRole.CHILD
    assert mother.household_role == Person.HouseholdRole.OTHER
    assert (mother.birth_year, mother.birth_month, mother.birth_day) == (1990, 3, None)
    assert (head.birth_year, head.birth_month, head.birth_day) == (1985, None, None)
    assert [n.code for n in head.nationalities.all()] == ["SYR"]
    assert [(lang.code, lang.is_first_language) for lang in head.languages.order_by("pk")] == [
        ("ara", True),
        ("kur", False),
    ]
    status = ResidenceStatus.objects.get(person=head)
    assert (status.kind, status.legal_basis) == ("aufenthaltserlaubnis", "24")
    assert head.allocated_on == status.valid_from == timezone.localdate()
    allocation = Allocation.objects.get(person=mother)
    assert allocation.needs == ["schwanger", "psychosozial"]
    assert allocation.planned_arrival == date(2026, 12, 1)
    assert allocation.status_text == "Aufenthaltserlaubnis §24"
    # Only needs that are an Art. 21 category become a vulnerability; psychosozial does not.
    assert list(Vulnerability.objects.values_list("person__given_names", "category")) == [
        ("فاطمة", "pregnant")
    ]
    one_name = Person._base_manager.get(family_name="Tesfay")
    assert one_name.given_names == ""
    assert one_name.full_name == "Tesfay"


def test_arabic_names_get_search_keys(staff):
    run(staff, csv_file())
    mother = Person._base_manager.get(given_names="فاطمة")
    assert PersonNameKey.objects.filter(person=mother).exists()


def test_every_created_person_is_in_the_audit_trail_and_the_chain_holds(staff):
    result = run(staff, csv_file())
    persons = set(Person._base_manager.values_list("pk", flat=True))
    events = AuditEvent.objects.filter(action="create", object_type="people.person")
    assert set(events.values_list("person_id", flat=True)) == persons
    assert {e.actor_id for e in events} == {staff.user.pk}
    detail = events.get(person_id=Person._base_manager.get(given_names="Yusuf").pk).details
    assert detail["import"] == result.import_id
    assert detail["allocation"] == "Z-3"
    assert AuditEvent.objects.filter(object_type="housing.allocationimport").count() == 1
    checked, breaks = verify_chain()
    assert checked == AuditEvent.objects.count()
    assert breaks == []


def test_one_bad_row_writes_nothing_and_lists_every_error(staff):
    rows = family()
    rows[1]["Geschlecht"] = "f"
    rows[3]["Ankunft"] = "32.12.2026"
    rows[3]["Bedarfe"] = "rollstuhl, hund"
    before = counts()
    result = run(staff, csv_file(rows))
    assert result.status == Status.INVALID
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "Geschlecht"),
        (5, "Ankunft"),
        (5, "Bedarfe"),
    ]
    assert "nichts importiert" in result.message
    assert counts() == before


def test_dry_run_checks_and_writes_nothing(staff):
    before = counts()
    result = run(staff, csv_file(), dry_run=True)
    assert result.status == Status.CHECKED
    assert (result.persons_created, result.households_created) == (4, 2)
    assert counts() == before


def test_the_same_file_twice_changes_nothing_and_says_so(staff):
    content = csv_file()
    run(staff, content)
    before = counts()
    again = run(staff, content, file_name="nochmal.csv")
    assert again.status == Status.ALREADY_IMPORTED
    assert "bereits am" in again.message
    assert "liste.csv" in again.message
    assert counts() == before


def test_the_same_rows_in_another_format_change_nothing(staff):
    run(staff, csv_file())
    before = counts()
    again = run(staff, to_xlsx(family()), file_name="liste.xlsx")
    assert again.status == Status.UNCHANGED
    assert again.unchanged_rows == 4
    assert counts() == before


def test_a_cumulative_list_adds_only_new_rows_and_reuses_the_household(staff):
    run(staff, csv_file())
    newborn = row(Zuweisungsnummer="Z-5", Vorname="Amina", Geburtsdatum="01.10.2026")
    result = run(staff, csv_file([*family(), newborn]))
    assert result.status == Status.IMPORTED
    assert (result.persons_created, result.unchanged_rows) == (1, 4)
    assert (result.households_created, result.households_reused) == (0, 1)
    baby = Person._base_manager.get(given_names="Amina")
    assert baby.household.reference == "H-1"
    assert baby.household_role == Person.HouseholdRole.CHILD
    assert Household._base_manager.filter(reference="H-1").count() == 1


def test_existing_household_of_the_same_key_is_reused(staff):
    existing = HouseholdFactory(county=staff.county, reference="H-2")
    PersonFactory(household=existing)
    run(staff, csv_file())
    tesfay = Person._base_manager.get(family_name="Tesfay")
    assert tesfay.household == existing
    assert tesfay.household_role == Person.HouseholdRole.OTHER


def test_a_known_number_with_other_data_is_a_conflict(staff):
    run(staff, csv_file())
    rows = family()
    rows[2]["Geburtsdatum"] = "12.06.2018"
    rows.append(row(Zuweisungsnummer="Z-9", Vorname="Neu"))
    before = counts()
    result = run(staff, csv_file(rows))
    assert result.status == Status.INVALID
    assert [(e.line, e.column) for e in result.errors] == [(4, "Zuweisungsnummer")]
    assert "Konflikt" in result.errors[0].message
    assert "liste.csv" in result.errors[0].message
    assert counts() == before


def test_numbers_are_per_county(staff):
    run(staff, csv_file())
    other = MembershipFactory(county=CountyFactory(), role=Role.COUNTY_ADMIN)
    result = import_allocations(
        actor=other.user, county=other.county, file_name="x.csv", content=csv_file()
    )
    assert result.status == Status.IMPORTED


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [("utf-8", True, ";"), ("cp1252", False, ","), ("utf-8", False, ",")],
)
def test_encodings_and_delimiters_import_the_same_umlauts(staff, encoding, bom, delimiter):
    rows = [row(Nachname="Müller-Lüdenscheidt", Vorname="Jörg", Sprachen="Deutsch")]
    result = run(staff, csv_file(rows, encoding=encoding, bom=bom, delimiter=delimiter))
    assert result.status == Status.IMPORTED
    assert Person._base_manager.get().family_name == "Müller-Lüdenscheidt"


def test_formula_cells_are_stored_as_text(staff):
    rows = [row(Nachname='=HYPERLINK("http://evil")', Vorname="@cmd", Haushalt="+1")]
    run(staff, to_xlsx(rows), file_name="liste.xlsx")
    person = Person._base_manager.get()
    assert person.family_name == '=HYPERLINK("http://evil")'
    assert person.given_names == "@cmd"
    assert person.household.reference == "+1"


def test_xlsx_errors_name_the_sheet_row(staff):
    rows = family()
    rows[2]["Geschlecht"] = "?"
    result = run(staff, to_xlsx(rows, blank_rows_after=[0]), file_name="liste.xlsx")
    assert [(e.line, e.column) for e in result.errors] == [(5, "Geschlecht")]


def test_an_unreadable_file_is_one_error_about_the_file(staff):
    result = run(staff, b"\xd0\xcf\x11\xe0 old excel", file_name="alt.xls")
    assert result.status == Status.INVALID
    assert [(e.line, e.column) for e in result.errors] == [(0, "")]


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.SHELTER_MANAGER, Scope.COUNTY),
        (Role.PROVIDER_CASEWORKER, Scope.COUNTY),
        (Role.PLANNER, Scope.COUNTY),
        (Role.AUDITOR, Scope.COUNTY),
    ],
)
def test_only_staff_who_may_create_persons_may_import(role, scope):
    membership = MembershipFactory(role=role, scope=scope)
    before = counts()
    with pytest.raises(PermissionDenied):
        import_allocations(
            actor=membership.user, county=membership.county, file_name="x.csv", content=csv_file()
        )
    assert counts() == before


def test_staff_of_another_county_may_not_import():
    membership = MembershipFactory(role=Role.COUNTY_ADMIN)
    with pytest.raises(PermissionDenied):
        import_allocations(
            actor=membership.user, county=CountyFactory(), file_name="x.csv", content=csv_file()
        )


def test_status_codes_match_the_people_model():
    assert set(allocation_lists.KIND_LABELS) <= set(ResidenceStatus.Kind.values)
    assert set(ResidenceStatus.LegalBasis.values) >= allocation_lists.LEGAL_BASES
    assert set(allocation_lists.NEED_CODES) >= {
        "rollstuhl",
        "schwanger",
        "alleinerziehend",
        "pflege",
        "chronisch",
        "psychosozial",
    }
