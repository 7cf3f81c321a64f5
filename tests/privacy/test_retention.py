from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import verify_chain
from ankommen.core.models import Role, Scope
from ankommen.housing import selectors as housing_figures
from ankommen.housing.models import Allocation, Move, Occupancy
from ankommen.people import aggregates
from ankommen.people.models import (
    Consent,
    Household,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
    Vulnerability,
)
from ankommen.privacy.models import Anonymisation
from ankommen.privacy.retention import RetentionConfigError
from ankommen.privacy.services import export_subject_data, run_retention
from tests.factories import MembershipFactory
from tests.privacy.conftest import AFTER_PERIOD, MOVED_IN, MOVED_OUT

pytestmark = pytest.mark.django_db


def test_dry_run_counts_and_changes_nothing(scene):
    events = AuditEvent.objects.count()
    run = run_retention(actor=scene.admin, county=scene.county, today=AFTER_PERIOD, dry_run=True)
    assert run.persons == 2
    assert {item.key: len(item.persons) for item in run.categories} == {
        "stammdaten": 2,
        "unterbringung": 2,
        "gesundheit": 0,  # ten years, not three
        "beratung": 2,
    }
    assert AuditEvent.objects.count() == events
    assert Person.objects.filter(family_name="Haddad").exists()
    assert not Anonymisation.objects.exists()


def test_nothing_is_due_before_the_period_ends(scene):
    day_before = AFTER_PERIOD - timedelta(days=1)
    run = run_retention(actor=None, county=scene.county, today=day_before)
    assert run.persons == 0
    assert Person.objects.filter(family_name="Haddad").exists()


def test_persons_past_their_period_are_anonymised(scene):
    amal, _child = scene.gone_persons
    run = run_retention(actor=scene.admin, county=scene.county, today=AFTER_PERIOD)
    assert run.persons == 2
    amal.refresh_from_db()
    assert (amal.family_name, amal.given_names, amal.azr_number) == ("anonymisiert", "", "")
    assert (amal.birth_year, amal.birth_month, amal.birth_day, amal.sex) == (1985, None, None, "w")
    assert amal.arrived_in_germany_on == date(2020, 11, 1)
    assert not PersonNameKey.objects.filter(person__in=scene.gone_persons).exists()
    assert not Consent.objects.filter(person=amal).exists()
    # Kept for the statistics: nationalities, statuses, needs, stays, responsibilities.
    assert amal.nationalities.get().code == "SYR"
    assert ResidenceStatus.objects.filter(person=amal).exists()
    assert Vulnerability.objects.filter(person=amal).exists()
    assert Occupancy.objects.filter(person=amal, valid_from=MOVED_IN, valid_to=MOVED_OUT).exists()
    scene.gone.refresh_from_db()
    assert scene.gone.reference == f"anonym-{scene.gone.pk}"
    assert (
        Move.objects.filter(household=scene.gone, note="").count()
        == Move.objects.filter(household=scene.gone).count()
    )
    allocation = Allocation.objects.get(person=amal)
    assert (allocation.number, allocation.fingerprint, allocation.status_text) == (
        f"anonym-{allocation.pk}",
        "",
        "",
    )
    # The one still living there is untouched.
    scene.staying_person.refresh_from_db()
    assert scene.staying_person.given_names == "P0"
    scene.staying.refresh_from_db()
    assert scene.staying.reference == "LOS-21-0002"


def test_the_run_is_audited_and_keeps_the_chain(scene):
    amal = scene.gone_persons[0]
    before = AuditEvent.objects.count()
    run_retention(actor=scene.admin, county=scene.county, today=AFTER_PERIOD)
    *events, summary = list(AuditEvent.objects.order_by("sequence")[before:])
    assert sorted(e.person_id for e in events) == sorted(p.pk for p in scene.gone_persons)
    assert all(e.action == "change" and e.actor == scene.admin for e in events)
    assert events[0].details == {"anonymised": ["beratung", "stammdaten", "unterbringung"]}
    assert summary.object_type == "privacy.retention"
    assert summary.person_id is None
    assert summary.details["persons"] == {
        "stammdaten": 2,
        "unterbringung": 2,
        "gesundheit": 0,
        "beratung": 2,
    }
    count, breaks = verify_chain()
    assert count > 0
    assert breaks == []
    # Earlier entries about the person are still there and still name the same key.
    assert AuditEvent.objects.filter(person_id=amal.pk, action="create").exists()


def test_a_second_run_changes_nothing(scene):
    run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    events = AuditEvent.objects.count()
    again = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD + timedelta(days=9))
    assert again.persons == 0
    # Only the run itself is recorded.
    assert list(AuditEvent.objects.values_list("object_type", flat=True)[events:]) == [
        "privacy.retention"
    ]
    assert Anonymisation.objects.count() == 6  # two persons in three categories


def test_the_export_after_anonymisation_shows_no_name(scene):
    amal = scene.gone_persons[0]
    run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    text = str(export.as_dict())
    for secret in ("Haddad", "Amal", "123456789012", "BB-2020-4711", "Hamburg", "LOS-22-0001"):
        assert secret not in text


def test_periods_are_configurable_per_category(scene, settings):
    settings.ANKOMMEN_RETENTION_YEARS = {"stammdaten": 10}
    run = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    by_key = {item.key: item for item in run.categories}
    assert len(by_key["stammdaten"].persons) == 0
    assert len(by_key["unterbringung"].persons) == 2
    assert Person.objects.filter(family_name="Haddad").exists()
    assert Allocation.objects.get(person=scene.gone_persons[0]).number.startswith("anonym-")


@pytest.mark.parametrize(
    "value",
    [{"gesundheitz": 3}, {"stammdaten": 0}, {"stammdaten": "3"}, {"stammdaten": True}, [3]],
)
def test_a_bad_setting_is_refused_before_anything_changes(scene, settings, value):
    settings.ANKOMMEN_RETENTION_YEARS = value
    with pytest.raises(RetentionConfigError):
        run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    assert Person.objects.filter(family_name="Haddad").exists()


def test_only_county_admins_with_county_scope_run_it(scene):
    provider_admin = MembershipFactory(
        county=scene.county,
        role=Role.COUNTY_ADMIN,
        scope=Scope.PROVIDER,
        provider=scene.site.provider,
    ).user
    caseworker = MembershipFactory(
        county=scene.county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY
    ).user
    for actor in (provider_admin, caseworker):
        with pytest.raises(PermissionDenied):
            run_retention(actor=actor, county=scene.county, today=AFTER_PERIOD)
    with pytest.raises(PermissionDenied):
        run_retention(actor=scene.admin, county=scene.other_county, today=AFTER_PERIOD)
    assert not Anonymisation.objects.exists()


def _statistics(scene) -> dict[str, object]:
    """Every statistic of people and housing that the anonymised persons take part in."""
    admin = scene.admin
    days = [MOVED_IN, date(2021, 6, 1), MOVED_OUT - timedelta(days=1), MOVED_OUT, AFTER_PERIOD]
    sites = [scene.site.pk]
    figures: dict[str, object] = {}
    for day in days:
        figures[f"accommodation {day}"] = [
            (
                o.county.pk,
                o.households,
                o.persons,
                [(r.site.pk, r.households, r.persons) for r in o.sites],
            )
            for o in aggregates.accommodation_overview(actor=admin, day=day)
        ]
        figures[f"casework {day}"] = [
            (o.county.pk, o.households) for o in aggregates.casework_overview(actor=admin, day=day)
        ]
        figures[f"totals {day}"] = [
            (t.county.pk, t.households, t.persons, t.helpers)
            for t in aggregates.responsibility_totals(
                actor=admin, kind=Responsibility.Kind.ACCOMMODATION, day=day
            )
        ]
        figures[f"figures {day}"] = {
            pk: f.as_dict() for pk, f in housing_figures.figures_on(sites, day).items()
        }
    figures["series"] = housing_figures.fill_series(sites, days)
    figures["flows"] = housing_figures.weekly_flows(sites, date(2020, 12, 28), date(2022, 12, 31))
    persons = Person.objects.filter(county=scene.county)
    figures["sex and year"] = Counter(persons.values_list("sex", "birth_year"))
    figures["nationalities"] = Counter(persons.values_list("nationalities__code", flat=True))
    figures["statuses"] = Counter(
        ResidenceStatus.objects.filter(person__in=persons).values_list("kind", "valid_from")
    )
    figures["needs"] = Counter(
        Vulnerability.objects.filter(person__in=persons).values_list("category", flat=True)
    )
    figures["households"] = Household.objects.filter(county=scene.county).count()
    figures["allocations per month"] = Counter(
        (day.year, day.month) for day in persons.values_list("allocated_on", flat=True) if day
    )
    return figures


def test_statistics_are_the_same_after_anonymisation(scene):
    before = _statistics(scene)
    run = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    assert run.persons == 2
    assert not Person.objects.filter(family_name="Haddad").exists()
    after = _statistics(scene)
    assert after == before
    assert before["figures 2021-06-01"][scene.site.pk]["occupied"] == 3
