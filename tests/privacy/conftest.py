"""A county with one shelter: household ``gone`` left it in mid-2022 (its contact ended then),
household ``staying`` still lives there. Both persons of ``gone`` have sensitive facts, an
allocation row and a move with a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ankommen.core.models import County, Membership, Role, Scope, Site, User
from ankommen.housing import services as housing
from ankommen.housing.models import Allocation, AllocationImport, Move
from ankommen.people import services as people
from ankommen.people.models import Consent, Household, Nationality, Person, ResidenceStatus
from tests.factories import CountyFactory, MembershipFactory, PersonFactory
from tests.housing.support import beds_of, facility, household

MOVED_IN = date(2021, 1, 4)
MOVED_OUT = date(2022, 6, 30)
AFTER_PERIOD = date(2025, 7, 1)  # three years and a day after MOVED_OUT


@dataclass
class Scene:
    county: County
    other_county: County
    site: Site
    gone: Household
    gone_persons: list[Person]
    staying: Household
    staying_person: Person
    admin: User


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def admin_of(county: County, scope: str = Scope.COUNTY, **target: object) -> User:
    membership: Membership = MembershipFactory(
        county=county, role=Role.COUNTY_ADMIN, scope=scope, **target
    )
    return membership.user


@pytest.fixture
def scene() -> Scene:
    county = CountyFactory()
    site = facility(county, name="GU Fürstenwalde", rooms={"1": 2, "2": 2})
    beds = [*beds_of(site, "1"), *beds_of(site, "2")]
    gone, gone_persons = household(county, ("w", 1985), ("m", 2015), reference="LOS-22-0001")
    staying, (staying_person,) = household(county, ("m", 1990), reference="LOS-21-0002")
    gone_persons[0].family_name = "Haddad"
    gone_persons[0].given_names = "Amal"
    gone_persons[0].azr_number = "123456789012"
    gone_persons[0].arrived_in_germany_on = date(2020, 11, 17)
    gone_persons[0].save()
    people.refresh_name_keys(gone_persons[0])
    for person in gone_persons:
        Nationality.objects.create(person=person, code="SYR")
    Nationality.objects.create(person=staying_person, code="AFG")
    for person, bed in zip([*gone_persons, staying_person], beds, strict=False):
        housing.assign_bed(actor=None, person=person, bed=bed, valid_from=MOVED_IN)
    housing.move_out(
        actor=None,
        household=gone,
        day=MOVED_OUT,
        reason=Move.Reason.DEPARTURE,
        note="Weiterzug zu Verwandten nach Hamburg",
    )
    amal = gone_persons[0]
    people.record_residence_status(
        actor=None,
        person=amal,
        kind=ResidenceStatus.Kind.DULDUNG,
        valid_from=date(2021, 1, 4),
    )
    people.record_vulnerability(
        actor=None, person=amal, category="mental_disorder", noted_on=date(2021, 2, 1)
    )
    people.record_consent(
        actor=None,
        person=amal,
        purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
        given_on=date(2021, 1, 5),
    )
    source = AllocationImport.objects.create(
        county=county, file_name="zuweisung-2020-12.csv", sha256="0" * 64, row_count=1
    )
    Allocation.objects.create(
        county=county,
        number="BB-2020-4711",
        source=source,
        household=gone,
        person=amal,
        planned_arrival=MOVED_IN,
        needs=["psychosozial"],
        fingerprint="f" * 64,
        status_text="Duldung § 60a",
    )
    other_county = CountyFactory()
    PersonFactory(household__county=other_county)
    return Scene(
        county=county,
        other_county=other_county,
        site=site,
        gone=gone,
        gone_persons=gone_persons,
        staying=staying,
        staying_person=staying_person,
        admin=admin_of(county),
    )


# Health records of Amal (household ``gone``): the last health event is HEALTH_LAST, before
# the move-out, so her end of contact stays MOVED_OUT; the health category (ten years) is due
# from HEALTH_DUE. The values are the markers of the health leak scan.
HEALTH_LAST = date(2022, 3, 1)
HEALTH_DUE = date(2032, 7, 1)


@dataclass
class HealthScene:
    scene: Scene
    health: User  # health worker of the county (VIEW_HEALTH)
    officer: User  # county administrator who is also a health worker (may export with health)


def add_health_records(scene: Scene) -> HealthScene:
    from django.utils import timezone

    from ankommen.algorithms import rhs
    from ankommen.health import services as health
    from ankommen.health.models import ConsultationHour, Referral
    from tests.health.support import MARKERS, POSITIVE

    amal = scene.gone_persons[0]
    health.record_examination(
        actor=None,
        person=amal,
        examined_on=date(2021, 1, 6),
        result="treatment",
        follow_up_needed=True,
        notes=MARKERS["exam_notes"],
    )
    health.record_vaccination(
        actor=None,
        person=amal,
        vaccine=MARKERS["vaccine"],
        offered_on=date(2021, 1, 6),
        given_on=date(2021, 1, 20),
    )
    health.record_condition(
        actor=None, person=amal, details=MARKERS["condition"], noted_on=date(2021, 2, 1)
    )
    text = health.load_instrument_text(
        actor=None, county=scene.county, raw=rhs.placeholder_file(language="ar", direction="rtl")
    )
    health.record_screening(
        actor=None,
        person=amal,
        text=text,
        instrument=rhs.RHS15,
        answers=POSITIVE,
        screened_on=date(2021, 2, 15),
        interpreter=True,
    )
    referral = health.record_referral(
        actor=None, person=amal, to=MARKERS["referral_to"], reason=MARKERS["referral_reason"]
    )
    Referral.objects.filter(pk=referral.pk).update(created_on=HEALTH_LAST)
    health.record_care_route(
        actor=None,
        person=amal,
        kind="egk",
        insurer="Brandenburgische BKK",
        valid_from=date(2021, 1, 4),
    )
    starts = timezone.make_aware(timezone.datetime(2021, 5, 3, 10, 0))
    hour = ConsultationHour.objects.create(
        county=scene.county,
        site=scene.site,
        specialty=ConsultationHour.Specialty.MIDWIFERY,
        starts_at=starts,
        ends_at=starts + timezone.timedelta(hours=2),
        places=4,
    )
    health.book(
        actor=None,
        hour=hour,
        person=amal,
        interpreter_language="ara",
        reason=MARKERS["booking_reason"],
    )
    health_worker = MembershipFactory(
        county=scene.county, role=Role.HEALTH_STAFF, scope=Scope.COUNTY
    ).user
    officer = admin_of(scene.county)
    MembershipFactory(user=officer, county=scene.county, role=Role.HEALTH_STAFF, scope=Scope.COUNTY)
    return HealthScene(scene=scene, health=health_worker, officer=officer)


@pytest.fixture
def health_scene(scene: Scene) -> HealthScene:
    return add_health_records(scene)
