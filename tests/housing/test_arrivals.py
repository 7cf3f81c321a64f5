"""Stress-free arrival: checklists from the import, the board, ticking off, planned facility,
vulnerability assessment; who may and who may not."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Provider, Role, Scope
from ankommen.housing.models import Arrival, ArrivalTask
from ankommen.housing.services_allocations import import_allocations
from ankommen.housing.services_arrivals import (
    assess_vulnerabilities,
    complete_task,
    plan_facility,
)
from ankommen.people.models import Person, Responsibility, Vulnerability
from tests.factories import MembershipFactory, ProviderFactory, SiteFactory
from tests.housing.allocation_support import csv_file

pytestmark = pytest.mark.django_db
K = ArrivalTask.Kind


@pytest.fixture
def staff():
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    import_allocations(
        actor=membership.user, county=membership.county, file_name="l.csv", content=csv_file()
    )
    return membership


def arrival(reference):
    return Arrival.objects.get(household__reference=reference)


def local(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def shelter_manager(county, site):
    return MembershipFactory(
        county=county, role=Role.SHELTER_MANAGER, scope=Scope.FACILITY, site=site
    )


def test_import_creates_one_arrival_per_household_and_day_with_its_checklist(staff):
    family, single = arrival("H-1"), arrival("H-2")
    assert family.planned_on == date(2026, 12, 1)
    tasks = {t.kind: t for t in family.tasks.all()}
    assert set(tasks) == {
        K.BED_READY,
        K.INTERPRETER,
        K.FIRST_SUPPLIES,
        K.SOCIAL_WORK,
        K.HEALTH,
        K.CHILDREN,
    }
    assert tasks[K.BED_READY].due_at == local(date(2026, 11, 30), 12)
    assert tasks[K.BED_READY].owner_role == Role.SHELTER_MANAGER
    assert tasks[K.INTERPRETER].due_at == local(date(2026, 11, 28), 12)
    assert tasks[K.INTERPRETER].detail == "Arabisch, Kurdisch"
    assert tasks[K.CHILDREN].detail == "Alter: 7"
    # The single woman: wheelchair (health), Tigrinya, no children.
    assert set(single.tasks.values_list("kind", flat=True)) == {
        K.BED_READY,
        K.INTERPRETER,
        K.FIRST_SUPPLIES,
        K.SOCIAL_WORK,
        K.HEALTH,
    }


def test_board_shows_households_of_the_day_with_size_languages_and_needs(client, staff):
    client.force_login(staff.user)
    page = client.get(reverse("web:arrival_board"), {"tag": "2026-12-01"}).content.decode()
    assert "H-1" in page
    assert "H-2" not in page
    assert "<td>3</td>" in page
    assert "Arabisch, Kurdisch" in page
    assert "Psychosozialer Unterstützungsbedarf, Schwangerschaft" in page
    assert "0 von 6 erledigt" in page
    other_day = client.get(reverse("web:arrival_board"), {"tag": "2026-12-02"}).content.decode()
    assert "H-2" in other_day
    assert "Rollstuhl" in other_day


def test_tick_off_and_reopen_a_task_is_audited(client, staff):
    client.force_login(staff.user)
    task = arrival("H-1").tasks.get(kind=K.BED_READY)
    response = client.post(reverse("web:arrival_task", args=[task.pk]), {"done": "1"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == staff.user
    assert task.done_at is not None
    page = client.get(reverse("web:arrival", args=[task.arrival_id])).content.decode()
    assert "erledigt von" in page
    client.post(reverse("web:arrival_task", args=[task.pk]), {"done": "0"})
    task.refresh_from_db()
    assert task.done_at is None
    assert (
        AuditEvent.objects.filter(object_type="housing.arrivaltask", object_id=str(task.pk)).count()
        == 2
    )


def test_vulnerability_assessment_from_the_arrival_page(client, staff):
    client.force_login(staff.user)
    family = arrival("H-1")
    mother = Person._base_manager.get(family_name="الحسن")
    child = Person._base_manager.get(given_names="Yusuf")
    response = client.post(
        reverse("web:arrival_assess", args=[family.pk]),
        {f"kategorie-{mother.pk}": ["pregnant", "violence"], f"kategorie-{child.pk}": ["minor"]},
    )
    assert response.status_code == 302
    active = set(
        Vulnerability.objects.filter(valid_to__isnull=True).values_list(
            "person__given_names", "category"
        )
    )
    assert active == {("فاطمة", "pregnant"), ("فاطمة", "violence"), ("Yusuf", "minor")}
    family.refresh_from_db()
    assert family.assessed_by == staff.user
    # Unticking a category recorded today removes it (a same-day correction) …
    client.post(
        reverse("web:arrival_assess", args=[family.pk]),
        {f"kategorie-{mother.pk}": ["pregnant"], f"kategorie-{child.pk}": ["minor"]},
    )
    assert not Vulnerability.objects.filter(category="violence").exists()
    assert AuditEvent.objects.filter(action="delete", person_id=mother.pk).count() == 1
    # … one recorded earlier ends yesterday, and the history stays.
    earlier = Vulnerability.objects.get(category="minor")
    earlier.valid_from = date(2026, 1, 1)
    earlier.save()
    client.post(
        reverse("web:arrival_assess", args=[family.pk]), {f"kategorie-{mother.pk}": ["pregnant"]}
    )
    earlier.refresh_from_db()
    assert earlier.valid_to == timezone.localdate() - timedelta(days=1)
    # Showing a health-related category is an audited read.
    client.get(reverse("web:arrival", args=[family.pk]))
    events = AuditEvent.objects.filter(action="read", person_id=mother.pk)
    assert not events.exists()  # violence ended: nothing health-related shown now
    client.post(
        reverse("web:arrival_assess", args=[family.pk]),
        {f"kategorie-{mother.pk}": ["pregnant", "mental_disorder"]},
    )
    assert AuditEvent.objects.filter(action="read", person_id=mother.pk).count() == 0
    client.get(reverse("web:arrival", args=[family.pk]))
    assert AuditEvent.objects.filter(action="read", person_id=mother.pk).count() == 1


def test_assessment_rejects_persons_of_other_households(staff):
    other = Person._base_manager.get(family_name="Tesfay")
    with pytest.raises(Exception, match="gehört nicht"):
        assess_vulnerabilities(
            actor=staff.user, arrival=arrival("H-1"), categories={other.pk: ["minor"]}
        )


def test_shelter_manager_reaches_only_households_planned_for_their_facility(client, staff):
    county = staff.county
    site = SiteFactory(county=county)
    other_site = SiteFactory(county=county)
    manager = shelter_manager(county, site)
    stranger = shelter_manager(county, other_site)
    family = arrival("H-1")
    task = family.tasks.get(kind=K.FIRST_SUPPLIES)

    # Before planning: nobody at a facility sees it.
    client.force_login(manager.user)
    assert (
        "H-1"
        not in client.get(reverse("web:arrival_board"), {"tag": "2026-12-01"}).content.decode()
    )
    assert client.get(reverse("web:arrival", args=[family.pk])).status_code == 404

    plan_facility(actor=staff.user, arrival=family, site=site)
    assert Responsibility.objects.filter(household=family.household, site=site).exists()

    board = client.get(reverse("web:arrival_board"), {"tag": "2026-12-01"}).content.decode()
    assert "H-1" in board
    assert "H-2" not in board
    assert client.get(reverse("web:arrival", args=[family.pk])).status_code == 200
    client.post(reverse("web:arrival_task", args=[task.pk]), {"done": "1"})
    task.refresh_from_db()
    assert task.done_by == manager.user
    mother = Person._base_manager.get(family_name="الحسن")
    client.post(
        reverse("web:arrival_assess", args=[family.pk]), {f"kategorie-{mother.pk}": ["pregnant"]}
    )
    family.refresh_from_db()
    assert family.assessed_by == manager.user
    # … but may not move the household to another facility.
    response = client.post(reverse("web:arrival_plan", args=[family.pk]), {"site": other_site.pk})
    assert response.status_code == 403
    family.refresh_from_db()
    assert family.site == site

    # The manager of another facility sees nothing and changes nothing.
    client.force_login(stranger.user)
    assert (
        "H-1"
        not in client.get(reverse("web:arrival_board"), {"tag": "2026-12-01"}).content.decode()
    )
    assert client.get(reverse("web:arrival", args=[family.pk])).status_code == 404
    assert (
        client.post(reverse("web:arrival_task", args=[task.pk]), {"done": "0"}).status_code == 404
    )
    task.refresh_from_db()
    assert task.done_at is not None
    with pytest.raises(PermissionDenied):
        complete_task(actor=stranger.user, task=task, done=False)


def test_replanning_moves_the_responsibility(staff):
    county = staff.county
    first, second = SiteFactory(county=county), SiteFactory(county=county)
    family = arrival("H-1")
    plan_facility(actor=staff.user, arrival=family, site=first)
    plan_facility(actor=staff.user, arrival=family, site=second)
    sites = set(
        Responsibility.objects.active_on(timezone.localdate())
        .filter(household=family.household)
        .values_list("site_id", flat=True)
    )
    assert sites == {second.pk}


def test_plan_rejects_sites_of_other_counties_and_offices(staff):
    office = SiteFactory(county=staff.county, kind="buero")
    foreign = SiteFactory()
    for site in (office, foreign):
        with pytest.raises(Exception, match="Unterkunft des Landkreises"):
            plan_facility(actor=staff.user, arrival=arrival("H-1"), site=site)


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.PROVIDER_CASEWORKER, Scope.PROVIDER),
        (Role.HEALTH_STAFF, Scope.COUNTY),
        (Role.VOLUNTEER, Scope.CASELOAD),
        (Role.PLANNER, Scope.COUNTY),
        (Role.AUDITOR, Scope.COUNTY),
    ],
)
def test_other_roles_are_denied_the_board_and_the_checklist(client, staff, role, scope):
    kwargs = {}
    if scope == Scope.PROVIDER:
        kwargs["provider"] = ProviderFactory(county=staff.county, kind=Provider.Kind.SOCIAL)
    membership = MembershipFactory(county=staff.county, role=role, scope=scope, **kwargs)
    client.force_login(membership.user)
    family = arrival("H-1")
    task = family.tasks.first()
    assert client.get(reverse("web:arrival_board")).status_code == 403
    assert client.get(reverse("web:arrival", args=[family.pk])).status_code == 403
    assert (
        client.post(reverse("web:arrival_task", args=[task.pk]), {"done": "1"}).status_code == 403
    )
    mother = Person._base_manager.get(family_name="الحسن")
    assert (
        client.post(
            reverse("web:arrival_assess", args=[family.pk]), {f"kategorie-{mother.pk}": ["lgbti"]}
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.done_at is None
    assert not Vulnerability.objects.filter(category="lgbti").exists()


def test_county_staff_of_another_county_see_nothing(client, staff):
    outsider = MembershipFactory(role=Role.COUNTY_ADMIN)
    client.force_login(outsider.user)
    family = arrival("H-1")
    assert (
        "H-1"
        not in client.get(reverse("web:arrival_board"), {"tag": "2026-12-01"}).content.decode()
    )
    assert client.get(reverse("web:arrival", args=[family.pk])).status_code == 404


def test_a_later_list_adds_missing_tasks_to_an_existing_arrival(staff):
    from tests.housing.allocation_support import family, row

    single = [r for r in family() if r["Haushalt"] == "H-2"]
    child = row(
        Zuweisungsnummer="Z-7",
        Haushalt="H-2",
        Vorname="Kind",
        Geburtsdatum="01.01.2020",
        Ankunft="02.12.2026",
    )
    import_allocations(
        actor=staff.user, county=staff.county, file_name="2.csv", content=csv_file([*single, child])
    )
    assert Arrival.objects.filter(household__reference="H-2").count() == 1
    assert arrival("H-2").tasks.filter(kind=K.CHILDREN).exists()


def test_household_timeline_shows_the_announced_arrival(client, staff):
    client.force_login(staff.user)
    family = arrival("H-1")
    page = client.get(reverse("web:household", args=[family.household_id])).content.decode()
    assert "Ankunft angekündigt" in page
    assert "01.12.2026" in page


def test_the_arrival_page_leads_to_the_check_in(client, staff):
    """From the checklist to the bed: the arrival page links to the household's housing page
    (where beds are assigned) for whoever may assign them (found missing by the check-in
    journey)."""
    family = arrival("H-1")
    check_in = reverse("housing:household", args=[family.household_id])
    client.force_login(staff.user)
    assert check_in in client.get(reverse("web:arrival", args=[family.pk])).content.decode()

    site = SiteFactory(county=staff.county)
    manager = shelter_manager(staff.county, site)
    plan_facility(actor=staff.user, arrival=family, site=site)
    client.force_login(manager.user)
    page = client.get(reverse("web:arrival", args=[family.pk])).content.decode()
    assert check_in in page
    assert client.get(check_in).status_code == 200


def test_the_arrival_board_in_the_api(client, staff):
    client.force_login(staff.user)
    response = client.get("/api/v1/arrivals/", {"day": "2026-12-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["day"] == "2026-12-01"
    [family] = body["arrivals"]
    assert family["reference"] == "H-1"
    assert family["persons"] == 3
    assert family["languages"] == ["Arabisch", "Kurdisch"]
    assert family["tasks_total"] == 6
    assert family["tasks_done"] == 0
    tasks = {task["kind"]: task for task in family["tasks"]}
    assert tasks["interpreter"]["detail"] == "Arabisch, Kurdisch"
    assert tasks["bed_ready"]["owner_role"] == Role.SHELTER_MANAGER
    assert tasks["bed_ready"]["title"] == K.BED_READY.label
    assert "Al-Hassan" not in response.content.decode()  # references, no names

    task = arrival("H-1").tasks.get(kind=K.BED_READY)
    complete_task(actor=staff.user, task=task)
    again = client.get("/api/v1/arrivals/", {"day": "2026-12-01"}).json()
    assert again["arrivals"][0]["tasks_done"] == 1

    bad = client.get("/api/v1/arrivals/", {"day": "1.12.2026"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")


def test_the_arrival_board_api_is_denied_without_preparing_arrivals(client, staff):
    health = MembershipFactory(county=staff.county, role=Role.HEALTH_STAFF)
    client.force_login(health.user)
    response = client.get("/api/v1/arrivals/", {"day": "2026-12-01"})
    assert response.status_code == 403
    assert "H-1" not in response.content.decode()
