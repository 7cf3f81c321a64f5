"""Health additions to the matrix world: a loaded placeholder RHS-15 text per county and one
consultation hour per facility (written directly, without audit events), so that the
screening and booking forms have something to render and post to; each person has one
referral and one booking (whose status and attendance the matrix changes). The matrix proves
access; tests/health/test_no_leaks.py scans for leaked values."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ankommen.algorithms import rhs
from ankommen.health.models import Booking, ConsultationHour, InstrumentText, Referral


def build_health(world) -> None:  # type: ignore[no-untyped-def]
    parsed = rhs.parse_instrument_file(rhs.placeholder_file())
    for county in (world.county, world.other_county):
        world.instrument_texts[county.pk] = InstrumentText.objects.create(
            county=county,
            instrument=parsed.instrument,
            language=parsed.language,
            direction=parsed.direction,
            source=parsed.source,
            licence=parsed.licence,
            content=parsed.content(),
            sha256="welt",
        )
    start = timezone.now() + timedelta(days=1)
    for relation, site in world.sites.items():
        world.hours[relation] = ConsultationHour.objects.create(
            county_id=site.county_id,
            site=site,
            specialty=ConsultationHour.Specialty.PSYCHOLOGY,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            places=20,
        )
    for relation, person in world.persons.items():
        world.referrals[relation] = Referral.objects.create(
            county_id=person.county_id,
            person=person,
            to="Praxis",
            status=Referral.Status.SENT,
            created_on=timezone.localdate(),
        )
        site = world.sites["other_county" if person.county_id == world.other_county.pk else "site"]
        # Booked into an earlier hour of its own, so that the booking form can still book the
        # person into ``world.hours``.
        booked, _ = ConsultationHour.objects.get_or_create(
            county_id=site.county_id,
            site=site,
            specialty=ConsultationHour.Specialty.GENERAL,
            starts_at=start - timedelta(days=1),
            ends_at=start - timedelta(days=1) + timedelta(hours=2),
            places=20,
        )
        world.bookings[relation] = Booking.objects.create(
            county_id=person.county_id, hour=booked, person=person, reason=""
        )
