"""Reads of health records: only health roles reach them (VIEW_HEALTH, in the person's county
and scope), and every read of a person's record writes an audit event with its purpose.
Other roles get :func:`needs_for`: the needs, never the findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.health.models import (
    Booking,
    CareRoute,
    ChronicCondition,
    ConsultationHour,
    Examination,
    HealthNeed,
    InstrumentText,
    Referral,
    Screening,
    Vaccination,
)
from ankommen.people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, Site, User


@dataclass(frozen=True)
class HealthRecord:
    person: Person
    needs: list[HealthNeed]
    examinations: list[Examination]
    vaccinations: list[Vaccination]
    conditions: list[ChronicCondition]
    screenings: list[Screening]
    referrals: list[Referral]
    care_routes: list[CareRoute]
    bookings: list[Booking]


def persons_in_reach(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_HEALTH
) -> QuerySet[Person]:
    return access.restrict(
        Person._base_manager.select_related("household", "county"),
        actor,
        action,
        household_field="household_id",
    )


def health_record(*, actor: User, person: Person, purpose: str) -> HealthRecord:
    """The person's whole health record; the caller has checked reach (``persons_in_reach``).
    Records one audited read with ``purpose``."""
    access.require_reach(actor, Action.VIEW_HEALTH, person.household)
    record_event(
        actor=actor,
        action=AuditEvent.Action.READ,
        obj=person,
        county=person.county,
        person_id=person.pk,
        purpose=purpose,
        details={"record": "health"},
    )
    return HealthRecord(
        person=person,
        needs=list(HealthNeed.objects.filter(person=person)),
        examinations=list(Examination.objects.filter(person=person)),
        vaccinations=list(Vaccination.objects.filter(person=person)),
        conditions=list(ChronicCondition.objects.filter(person=person)),
        screenings=list(Screening.objects.filter(person=person).select_related("text")),
        referrals=list(Referral.objects.filter(person=person)),
        care_routes=list(CareRoute.objects.filter(person=person)),
        bookings=list(
            Booking.objects.filter(person=person)
            .select_related("hour__site")
            .order_by("-hour__starts_at")
        ),
    )


def needs_for(
    *, actor: User | AnonymousUser, person: Person, day: date | None = None
) -> list[HealthNeed] | None:
    """The person's health needs in force (for roles that see sensitive facts), or ``None``."""
    if not access.can_reach(actor, Action.VIEW_SENSITIVE, person.household):
        return None
    day = day or timezone.localdate()
    return list(
        HealthNeed.objects.filter(person=person, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
    )


def instrument_texts(*, county: County) -> list[InstrumentText]:
    return list(InstrumentText.objects.filter(county=county, active=True))


def sites_in_reach(
    *, actor: User | AnonymousUser, action: Action = Action.VIEW_HEALTH
) -> QuerySet[Site]:
    from ankommen.core.models import Site

    return Site._base_manager.filter(access.site_condition(actor, action)).order_by("name")


def consultation_hours(*, site: Site, since: date | None = None) -> list[ConsultationHour]:
    """Hours of a facility from ``since`` (today), with the number of bookings (no names)."""
    since = since or timezone.localdate()
    from django.db.models import Count

    return list(
        ConsultationHour.objects.filter(site=site, ends_at__date__gte=since)
        .annotate(
            booked=Count("bookings", filter=~Q(bookings__attendance=Booking.Attendance.CANCELLED))
        )
        .order_by("starts_at")
    )


def open_hours(*, county_id: int, since: date | None = None) -> list[ConsultationHour]:
    since = since or timezone.localdate()
    return list(
        ConsultationHour.objects.filter(county_id=county_id, starts_at__date__gte=since)
        .select_related("site")
        .order_by("starts_at")[:100]
    )


@dataclass(frozen=True)
class DueItem:
    person: Person
    kind: str  # "rescreen" or "referral"
    due: date


OPEN_REFERRALS = (Referral.Status.OFFERED, Referral.Status.SENT, Referral.Status.ACCEPTED)
WORKLIST_DAYS_AHEAD = 7


def worklist(*, actor: User, day: date | None = None) -> list[DueItem]:
    """Re-screenings due within a week and referral follow-ups due, for the persons the health
    worker reaches. Listing a person is a health read: one audited read per person shown."""
    day = day or timezone.localdate()
    reach = persons_in_reach(actor=actor).values("pk")
    items: list[DueItem] = []
    latest: dict[int, Screening] = {}
    for screening in Screening.objects.filter(person__in=reach).order_by("screened_on", "pk"):
        latest[screening.person_id] = screening
    horizon = day + timedelta(days=WORKLIST_DAYS_AHEAD)
    persons = {p.pk: p for p in persons_in_reach(actor=actor)}
    for person_id, screening in latest.items():
        if screening.rescreen_on is not None and screening.rescreen_on <= horizon:
            items.append(DueItem(persons[person_id], "rescreen", screening.rescreen_on))
    for referral in Referral.objects.filter(
        person__in=reach, status__in=OPEN_REFERRALS, follow_up_on__lte=day
    ):
        assert referral.follow_up_on is not None
        items.append(DueItem(persons[referral.person_id], "referral", referral.follow_up_on))
    items.sort(key=lambda item: (item.due, item.person.family_name))
    for person in {item.person.pk: item.person for item in items}.values():
        record_event(
            actor=actor,
            action=AuditEvent.Action.READ,
            obj=person,
            county=person.county,
            person_id=person.pk,
            purpose="Erinnerungsliste Gesundheit",
            details={"record": "health_worklist"},
        )
    return items
