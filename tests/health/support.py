"""A county with a health worker, a caseworker and one person with a full health record whose
values are distinctive markers (the leak scan looks for them everywhere else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ankommen.algorithms import rhs
from ankommen.core.models import County, Role, Scope, Site, User
from ankommen.health import services
from ankommen.health.models import CareRoute, ConsultationHour, Screening
from ankommen.people.models import Person
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    SiteFactory,
    UserFactory,
)

# Values of health fields that occur nowhere else: the leak scan searches for them.
MARKERS = {
    "exam_notes": "MARKER-Befundnotiz-7f3a",
    "vaccine": "MARKER-Impfstoff-19bc",
    "condition": "MARKER-Diabetes-Typ-Q-55",
    "referral_to": "MARKER-Praxis-Dr-Zyx-42",
    "referral_reason": "MARKER-Anlass-Rueckenschmerz-8e",
    "booking_reason": "MARKER-Anliegen-Hebamme-3d",
}
# Answers of a positive RHS-15: total 17 (items 1-14), thermometer 7.
POSITIVE = {**{n: (2 if n <= 3 else 1) for n in range(1, 15)}, 15: 7}
NEGATIVE = {**dict.fromkeys(range(1, 15), 0), 15: 1}


@dataclass
class HealthWorld:
    county: County
    other_county: County
    site: Site
    health: User
    other_health: User  # health role in the other county
    caseworker: User  # county caseworker (VIEW_SENSITIVE, no VIEW_HEALTH)
    person: Person
    other_person: Person  # in the other county
    screening: Screening
    hour: ConsultationHour


def build() -> HealthWorld:
    today = timezone.localdate()
    county, other_county = CountyFactory(), CountyFactory()
    site = SiteFactory(county=county, name="Haus Gesund")
    health, other_health, caseworker = (UserFactory(password=None) for _ in range(3))
    MembershipFactory(user=health, county=county, role=Role.HEALTH_STAFF, scope=Scope.COUNTY)
    MembershipFactory(
        user=other_health, county=other_county, role=Role.HEALTH_STAFF, scope=Scope.COUNTY
    )
    MembershipFactory(
        user=caseworker, county=county, role=Role.COUNTY_CASEWORKER, scope=Scope.COUNTY
    )
    person = PersonFactory(household=HouseholdFactory(county=county), family_name="Quendolin")
    other_person = PersonFactory(
        household=HouseholdFactory(county=other_county), family_name="Farlander"
    )
    day = today - timedelta(days=3)
    services.record_examination(
        actor=health,
        person=person,
        examined_on=day,
        result="treatment",
        follow_up_needed=True,
        notes=MARKERS["exam_notes"],
    )
    services.record_vaccination(
        actor=health, person=person, vaccine=MARKERS["vaccine"], offered_on=day, given_on=day
    )
    services.record_condition(
        actor=health, person=person, details=MARKERS["condition"], noted_on=day
    )
    text = services.load_instrument_text(
        actor=health, county=county, raw=rhs.placeholder_file(language="ar", direction="rtl")
    )
    screening = services.record_screening(
        actor=health,
        person=person,
        text=text,
        instrument=rhs.RHS15,
        answers=POSITIVE,
        screened_on=day,
    )
    services.record_referral(
        actor=health,
        person=person,
        to=MARKERS["referral_to"],
        reason=MARKERS["referral_reason"],
    )
    services.record_care_route(
        actor=health,
        person=person,
        kind=CareRoute.Kind.HEALTH_CARD,
        insurer="Brandenburgische BKK",
        valid_from=date(2024, 1, 1),
    )
    start = timezone.now() + timedelta(days=2)
    hour = services.create_consultation_hour(
        actor=health,
        site=site,
        specialty=ConsultationHour.Specialty.MIDWIFERY,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        places=4,
    )
    services.book(
        actor=health,
        hour=hour,
        person=person,
        interpreter_language="ara",
        reason=MARKERS["booking_reason"],
    )
    return HealthWorld(
        county,
        other_county,
        site,
        health,
        other_health,
        caseworker,
        person,
        other_person,
        screening,
        hour,
    )
