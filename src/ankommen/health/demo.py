"""Demo health data: the placeholder RHS-15 texts (German, and Arabic right-to-left), clearly
marked as placeholders, never real items; consultation hours at the county's shared
accommodations; and health records for a few persons written through the services.

Idempotent: skipped once the county has a loaded instrument text."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from ankommen.algorithms import rhs
from ankommen.core.models import County, Site
from ankommen.health import services
from ankommen.health.care import LOS_HEALTH_CARD_INSURER
from ankommen.health.models import CareRoute, ConsultationHour, Examination, InstrumentText
from ankommen.people.models import Person

DEMO_RECORDS = 40
SPECIALTIES = [
    ConsultationHour.Specialty.PSYCHOLOGY,
    ConsultationHour.Specialty.PAEDIATRICS,
    ConsultationHour.Specialty.MIDWIFERY,
]


def build_health(county: County, rng: random.Random) -> dict[str, int]:
    if InstrumentText.objects.filter(county=county).exists():
        return {}
    texts = [
        services.load_instrument_text(
            actor=None, county=county, raw=rhs.placeholder_file(language=lang, direction=d)
        )
        for lang, d in (("de", "ltr"), ("ar", "rtl"))
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hours = []
    shared = Site._base_manager.filter(county=county, kind=Site.Kind.SHARED_ACCOMMODATION)
    for index, site in enumerate(shared.order_by("name")[:4]):
        for week in range(3):
            start = now + timedelta(days=2 + 7 * week + index, hours=10 - now.hour)
            hours.append(
                services.create_consultation_hour(
                    actor=None,
                    site=site,
                    specialty=SPECIALTIES[(index + week) % len(SPECIALTIES)],
                    starts_at=start,
                    ends_at=start + timedelta(hours=3),
                    places=8,
                )
            )
    persons = list(
        Person._base_manager.filter(
            county=county, birth_year__lte=timezone.localdate().year - 18
        ).order_by("pk")[: DEMO_RECORDS * 3]
    )
    chosen = rng.sample(persons, min(DEMO_RECORDS, len(persons)))
    today = timezone.localdate()
    for number, person in enumerate(chosen):
        day = today - timedelta(days=rng.randint(5, 120))
        follow_up = rng.random() < 0.3
        services.record_examination(
            actor=None,
            person=person,
            examined_on=day,
            result=Examination.Result.TREATMENT if follow_up else Examination.Result.NO_FINDINGS,
            follow_up_needed=follow_up,
            notes="[Demo] Beispielnotiz",
        )
        services.record_vaccination(
            actor=None,
            person=person,
            vaccine="[Demo] Masern-Mumps-Röteln",
            offered_on=day,
            given_on=day if rng.random() < 0.8 else None,
        )
        services.record_care_route(
            actor=None,
            person=person,
            kind=CareRoute.Kind.HEALTH_CARD,
            insurer=LOS_HEALTH_CARD_INSURER,
            valid_from=day,
        )
        answers = {n: rng.choice((0, 0, 1, 1, 2, 3)) for n in range(1, 15)}
        answers[rhs.THERMOMETER_ITEM] = rng.randint(0, 8)
        services.record_screening(
            actor=None,
            person=person,
            text=texts[number % 2],
            instrument=rhs.RHS15,
            answers=answers,
            screened_on=day + timedelta(days=2),
        )
        if hours and number % 4 == 0:
            services.book(
                actor=None,
                hour=hours[number % len(hours)],
                person=person,
                interpreter_language="ara" if number % 2 else "",
            )
    return {"health_records": len(chosen), "consultation_hours": len(hours)}
