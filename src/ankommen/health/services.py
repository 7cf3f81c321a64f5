"""Writes of health records. Each service checks access (RECORD_HEALTH on the person's
household, or on the facility), validates, writes and records one audit event whose details
name fields, never their values."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms import rhs
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Site
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
    from ankommen.core.models import User

PSYCHOSOCIAL_SERVICE = "Psychosoziale Beratung"


def _may_record(actor: User | None, person: Person) -> None:
    if actor is not None:
        access.require_reach(actor, Action.RECORD_HEALTH, person.household)


def _event(actor: User | None, action: str, obj: Any, person: Person, **details: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=obj,
        county=person.county,
        person_id=person.pk,
        details=details,
    )


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Das Datum liegt in der Zukunft.")})


def _open_need(person: Person, kind: str, source: str, day: date) -> HealthNeed:
    need = HealthNeed.objects.filter(person=person, kind=kind, valid_to__isnull=True).first()
    return need or HealthNeed.objects.create(
        county_id=person.county_id, person=person, kind=kind, source=source, valid_from=day
    )


@transaction.atomic
def record_examination(
    *,
    actor: User | None,
    person: Person,
    examined_on: date,
    result: str,
    follow_up_needed: bool,
    notes: str = "",
) -> Examination:
    _may_record(actor, person)
    _not_future(examined_on, "examined_on")
    if result not in Examination.Result.values:
        raise ValidationError({"result": _("Unbekanntes Ergebnis.")})
    exam = Examination.objects.create(
        county_id=person.county_id,
        person=person,
        examined_on=examined_on,
        result=result,
        follow_up_needed=bool(follow_up_needed),
        notes=notes.strip(),
        recorded_by=actor,
    )
    if follow_up_needed:
        _open_need(
            person, HealthNeed.Kind.MEDICAL_FOLLOW_UP, HealthNeed.Source.EXAMINATION, examined_on
        )
    _event(actor, AuditEvent.Action.CREATE, exam, person, fields=["examined_on", "result"])
    return exam


@transaction.atomic
def record_vaccination(
    *,
    actor: User | None,
    person: Person,
    vaccine: str,
    offered_on: date,
    given_on: date | None = None,
    declined: bool = False,
) -> Vaccination:
    _may_record(actor, person)
    if not vaccine.strip():
        raise ValidationError({"vaccine": _("Bitte die Impfung angeben.")})
    _not_future(offered_on, "offered_on")
    if given_on is not None and given_on < offered_on:
        raise ValidationError({"given_on": _("Verabreicht vor dem Angebot?")})
    if given_on is not None and declined:
        raise ValidationError({"declined": _("Verabreicht und abgelehnt zugleich?")})
    vaccination = Vaccination.objects.create(
        county_id=person.county_id,
        person=person,
        vaccine=vaccine.strip(),
        offered_on=offered_on,
        given_on=given_on,
        declined=declined,
    )
    _event(actor, AuditEvent.Action.CREATE, vaccination, person, fields=["vaccine"])
    return vaccination


@transaction.atomic
def record_condition(
    *, actor: User | None, person: Person, details: str, noted_on: date
) -> ChronicCondition:
    _may_record(actor, person)
    if not details.strip():
        raise ValidationError({"details": _("Bitte die Erkrankung angeben.")})
    _not_future(noted_on, "noted_on")
    need = HealthNeed.objects.create(
        county_id=person.county_id,
        person=person,
        kind=HealthNeed.Kind.CHRONIC_CARE,
        source=HealthNeed.Source.CONDITION,
        valid_from=noted_on,
    )
    condition = ChronicCondition.objects.create(
        county_id=person.county_id,
        person=person,
        details=details.strip(),
        noted_on=noted_on,
        need=need,
    )
    _event(actor, AuditEvent.Action.CREATE, condition, person, fields=["details"])
    return condition


@transaction.atomic
def load_instrument_text(*, actor: User | None, county: County, raw: str | bytes) -> InstrumentText:
    """Validate and load a county's item file; the previous text of the same instrument and
    language stays for the screenings made with it but is no longer offered."""
    if actor is not None and not access.allows_county_wide(actor, Action.RECORD_HEALTH, county):
        access.deny()
    parsed = rhs.parse_instrument_file(raw)  # raises rhs.FileError
    data = raw.encode() if isinstance(raw, str) else raw
    InstrumentText.objects.filter(
        county=county, instrument=parsed.instrument, language=parsed.language, active=True
    ).update(active=False)
    text = InstrumentText.objects.create(
        county=county,
        instrument=parsed.instrument,
        language=parsed.language,
        direction=parsed.direction,
        source=parsed.source,
        licence=parsed.licence,
        content=parsed.content(),
        sha256=hashlib.sha256(data).hexdigest(),
        loaded_by=actor,
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=text,
        county=county,
        details={"instrument": parsed.instrument, "language": parsed.language},
    )
    return text


def _cutoffs() -> dict[str, tuple[int, int | None]]:
    configured: Mapping[str, Any] = settings.ANKOMMEN_RHS_CUTOFFS
    return {
        code: (int(v[0]), None if v[1] is None else int(v[1])) for code, v in configured.items()
    }


@transaction.atomic
def record_screening(
    *,
    actor: User | None,
    person: Person,
    text: InstrumentText,
    instrument: str,
    answers: Mapping[int, int],
    screened_on: date,
    interpreter: bool = False,
) -> Screening:
    """Score the answers; a positive screen opens the need for psychosocial support and offers
    a referral to psychosocial services. Every screening sets a re-screening date."""
    _may_record(actor, person)
    if text.county_id != person.county_id or instrument not in rhs.SERVES.get(text.instrument, ()):
        raise ValidationError({"instrument": _("Dieser Text passt nicht zu diesem Instrument.")})
    _not_future(screened_on, "screened_on")
    try:
        result = rhs.score(instrument, answers, cutoffs=_cutoffs())
    except rhs.AnswerError as error:
        raise ValidationError({"answers": str(error)}) from None
    screening = Screening.objects.create(
        county_id=person.county_id,
        person=person,
        instrument=instrument,
        text=text,
        screened_on=screened_on,
        interpreter=interpreter,
        answers={str(k): v for k, v in sorted(answers.items())},
        result=result.as_dict(),
        rescreen_on=screened_on + timedelta(days=settings.ANKOMMEN_RHS_RESCREEN_DAYS),
        recorded_by=actor,
    )
    if result.positive:
        _open_need(person, HealthNeed.Kind.PSYCHOSOCIAL, HealthNeed.Source.SCREENING, screened_on)
        Referral.objects.create(
            county_id=person.county_id,
            person=person,
            to=PSYCHOSOCIAL_SERVICE,
            reason=instrument,
            status=Referral.Status.OFFERED,
            created_on=screened_on,
            follow_up_on=screened_on + timedelta(days=14),
            screening=screening,
        )
    _event(actor, AuditEvent.Action.CREATE, screening, person, fields=["answers", "result"])
    return screening


@transaction.atomic
def record_referral(
    *,
    actor: User | None,
    person: Person,
    to: str,
    reason: str = "",
    status: str = Referral.Status.SENT,
    follow_up_on: date | None = None,
) -> Referral:
    _may_record(actor, person)
    if not to.strip():
        raise ValidationError({"to": _("Bitte angeben, an wen überwiesen wird.")})
    if status not in Referral.Status.values:
        raise ValidationError({"status": _("Unbekannter Status.")})
    referral = Referral.objects.create(
        county_id=person.county_id,
        person=person,
        to=to.strip(),
        reason=reason.strip(),
        status=status,
        created_on=timezone.localdate(),
        follow_up_on=follow_up_on,
    )
    _event(actor, AuditEvent.Action.CREATE, referral, person, fields=["to", "reason", "status"])
    return referral


@transaction.atomic
def change_referral_status(*, actor: User | None, referral: Referral, status: str) -> Referral:
    person = referral.person
    _may_record(actor, person)
    if status not in Referral.Status.values:
        raise ValidationError({"status": _("Unbekannter Status.")})
    referral.status = status
    referral.save(update_fields=["status"])
    _event(actor, AuditEvent.Action.CHANGE, referral, person, fields=["status"])
    return referral


@transaction.atomic
def record_care_route(
    *, actor: User | None, person: Person, kind: str, valid_from: date, insurer: str = ""
) -> CareRoute:
    """The route in force from ``valid_from`` ends the one before it."""
    _may_record(actor, person)
    if kind not in CareRoute.Kind.values:
        raise ValidationError({"kind": _("Unbekannter Zugang.")})
    if kind != CareRoute.Kind.VOUCHER and not insurer.strip():
        raise ValidationError({"insurer": _("Bitte die Krankenkasse der Karte angeben.")})
    CareRoute.objects.filter(person=person, valid_to__isnull=True).update(
        valid_to=valid_from - timedelta(days=1)
    )
    route = CareRoute.objects.create(
        county_id=person.county_id,
        person=person,
        kind=kind,
        insurer=insurer.strip(),
        valid_from=valid_from,
    )
    _event(actor, AuditEvent.Action.CREATE, route, person, fields=["kind"])
    return route


@transaction.atomic
def create_consultation_hour(
    *,
    actor: User | None,
    site: Site,
    specialty: str,
    starts_at: datetime,
    ends_at: datetime,
    places: int,
) -> ConsultationHour:
    if actor is not None:
        access.require_site(actor, Action.RECORD_HEALTH, site)
    if specialty not in ConsultationHour.Specialty.values:
        raise ValidationError({"specialty": _("Unbekannte Fachrichtung.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})
    if places < 1:
        raise ValidationError({"places": _("Mindestens ein Termin.")})
    hour = ConsultationHour.objects.create(
        county_id=site.county_id,
        site=site,
        specialty=specialty,
        starts_at=starts_at,
        ends_at=ends_at,
        places=places,
    )
    record_event(actor=actor, action=AuditEvent.Action.CREATE, obj=hour, county=site.county)
    return hour


@transaction.atomic
def book(
    *,
    actor: User | None,
    hour: ConsultationHour,
    person: Person,
    interpreter_language: str = "",
    reason: str = "",
) -> Booking:
    _may_record(actor, person)
    hour = ConsultationHour.objects.select_for_update().get(pk=hour.pk)
    if hour.county_id != person.county_id:
        raise ValidationError({"hour": _("Diese Sprechstunde gehört zu einem anderen Landkreis.")})
    taken = hour.bookings.exclude(attendance=Booking.Attendance.CANCELLED)
    if taken.filter(person=person).exists():
        raise ValidationError(
            {"hour": _("Die Person hat in dieser Sprechstunde schon einen Termin.")}
        )
    if taken.count() >= hour.places:
        raise ValidationError({"hour": _("Diese Sprechstunde ist ausgebucht.")})
    # A cancelled appointment in the same hour is booked again (one row per hour and person).
    booking, _created = Booking.objects.update_or_create(
        hour=hour,
        person=person,
        defaults={
            "county_id": person.county_id,
            "interpreter_language": interpreter_language.strip().lower(),
            "reason": reason.strip(),
            "attendance": Booking.Attendance.BOOKED,
        },
    )
    _event(actor, AuditEvent.Action.CREATE, booking, person, fields=["hour", "reason"])
    return booking


@transaction.atomic
def set_attendance(*, actor: User | None, booking: Booking, attendance: str) -> Booking:
    person = booking.person
    _may_record(actor, person)
    if attendance not in Booking.Attendance.values:
        raise ValidationError({"attendance": _("Unbekannte Angabe.")})
    booking.attendance = attendance
    booking.save(update_fields=["attendance"])
    _event(actor, AuditEvent.Action.CHANGE, booking, person, fields=["attendance"])
    return booking
