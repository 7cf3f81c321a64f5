"""Personal data source of ``health`` for the access export and the retention run
(see ``ankommen.privacy.registry``, docs/privacy.md and docs/health.md).

**Export.** Health roles (``VIEW_HEALTH`` reaching the person's household) and the system
(the command without ``--user``) get the whole record, decrypted, with German labels; every
such section is an audited read. Roles that see sensitive facts (``VIEW_SENSITIVE``) get the
needs (as on the person page, also an audited read). Everyone else gets one section that says
the health service answers for the health data, without a single health value, and without
saying whether there is any.

**Retention.** Own category ``gesundheit``: ten years after the end of contact, modelled on
§ 630f Abs. 3 BGB (patient files are kept ten years after the end of treatment). Whether that
rule binds the county's health records (examinations under § 62 AsylG are not a treatment
contract) was not checked, so the period is flagged unverified and the county sets it with
``ANKOMMEN_RETENTION_YEARS``.

**Anonymisation.** Blanks every encrypted free text (note, vaccine, condition details,
referral addressee and reason, booking concern), the examination result and the screening
answers and scores, and ends pending reminders (re-screening, referral follow-up). Kept for
the statistics: the dated rows themselves (examinations, vaccinations offered and given,
screenings by instrument and month, referrals by status, bookings by attendance and
interpreter language, care routes), the needs with their kinds and dates, and whether a
screening was positive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Model, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.health.care import ROUTES
from ankommen.health.models import (
    Booking,
    CareRoute,
    ChronicCondition,
    Examination,
    HealthNeed,
    Referral,
    Screening,
    Vaccination,
)
from ankommen.people.models import Person
from ankommen.privacy import registry
from ankommen.privacy.registry import AnonymisationResult, Entry, Record, RetentionCategory, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User

GESUNDHEIT = RetentionCategory(
    key="gesundheit",
    label=gettext_lazy(
        "Gesundheit: Untersuchungen, Impfungen, Erkrankungen, Screenings, Überweisungen, Termine"
    ),
    default_years=10,
    legal_basis=gettext_lazy(
        "angelehnt an § 630f Abs. 3 BGB (Patientenakte zehn Jahre nach Abschluss der "
        "Behandlung); ob die Regel für die Gesundheitsdaten des Landkreises gilt, ist nicht "
        "geprüft – die Dauer ist eine Entscheidung des Landkreises"
    ),
    verified=False,
)


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _yes_no(value: Any) -> str:
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    return ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _record(*entries: Entry, title: str = "") -> Record:
    return Record(tuple(entry for entry in entries if entry.value), title)


def _screening(item: Screening) -> Record:
    result = item.result if isinstance(item.result, dict) else {}
    answers = item.answers if isinstance(item.answers, dict) else {}
    positive = result.get("positive")
    return _record(
        Entry(_("Instrument"), item.instrument),
        Entry(_("durchgeführt am"), _day(item.screened_on)),
        Entry(_("Sprache"), item.text.language),
        Entry(_("mit Sprachmittlung"), _yes_no(item.interpreter)),
        Entry(_("Summenwert"), _text(result.get("total"))),
        Entry(_("Grenzwert Summe"), _text(result.get("total_cutoff"))),
        Entry(_("Belastungsthermometer"), _text(result.get("thermometer"))),
        Entry(_("Grenzwert Thermometer"), _text(result.get("thermometer_cutoff"))),
        Entry(
            _("Ergebnis"),
            "" if positive is None else (_("auffällig") if positive else _("unauffällig")),
        ),
        *(
            Entry(_("Antwort zu Frage %(n)s") % {"n": number}, _text(answers[number]))
            for number in sorted(answers, key=lambda key: int(key))
        ),
        Entry(_("erneutes Screening am"), _day(item.rescreen_on)),
    )


class HealthSource:
    key = "health"
    category = GESUNDHEIT

    def export(self, *, person: Person, actor: User | AnonymousUser | None) -> Iterable[Section]:
        purpose = _("Gesundheitsversorgung nach §§ 4, 6 AsylbLG und Gesundheitsschutz")
        recipients = _(
            "die Mitarbeitenden des Gesundheitsdienstes des Landkreises; Ärztinnen, Ärzte und "
            "Beratungsstellen nur bei einer Überweisung"
        )
        origin = _("Untersuchungen, Screenings und Ihre Angaben beim Gesundheitsdienst")
        full = actor is None or access.can_reach(actor, Action.VIEW_HEALTH, person.household)
        if not full:
            yield from self._limited(person=person, actor=actor, purpose=purpose)
            return
        common: dict[str, Any] = {
            "purpose": purpose,
            "recipients": recipients,
            "origin": origin,
            "audited_read": True,
        }
        yield Section(
            "health_needs",
            _("Gesundheit: Bedarfe"),
            self._needs(person),
            **common,
        )
        yield Section(
            "examinations",
            _("Gesundheit: Erstuntersuchung"),
            tuple(
                _record(
                    Entry(_("untersucht am"), _day(item.examined_on)),
                    Entry(_("Ergebnis"), item.result_label if item.result else "", item.result),
                    Entry(_("Nachuntersuchung nötig"), _yes_no(item.follow_up_needed)),
                    Entry(_("Notiz"), _text(item.notes)),
                )
                for item in Examination.objects.filter(person=person).order_by("examined_on", "pk")
            ),
            **{**common, "purpose": _("Gesundheitsuntersuchung nach § 62 AsylG")},
        )
        yield Section(
            "vaccinations",
            _("Gesundheit: Impfungen"),
            tuple(
                _record(
                    Entry(_("Impfung"), _text(item.vaccine)),
                    Entry(_("angeboten am"), _day(item.offered_on)),
                    Entry(_("verabreicht am"), _day(item.given_on)),
                    Entry(_("abgelehnt"), _yes_no(True) if item.declined else ""),
                )
                for item in Vaccination.objects.filter(person=person).order_by("offered_on", "pk")
            ),
            **{**common, "purpose": _("Schutzimpfungen nach § 4 Abs. 1 Satz 2, Abs. 3 AsylbLG")},
        )
        yield Section(
            "conditions",
            _("Gesundheit: chronische Erkrankungen"),
            tuple(
                _record(
                    Entry(_("Erkrankung (Angaben)"), _text(item.details)),
                    Entry(_("erfasst am"), _day(item.noted_on)),
                )
                for item in ChronicCondition.objects.filter(person=person).order_by(
                    "noted_on", "pk"
                )
            ),
            **common,
        )
        yield Section(
            "screenings",
            _("Gesundheit: Screening psychischer Belastung (Refugee Health Screener)"),
            tuple(
                _screening(item)
                for item in Screening.objects.filter(person=person)
                .select_related("text")
                .order_by("screened_on", "pk")
            ),
            **{
                **common,
                "purpose": _(
                    "Erkennen psychischer Belastung und Angebot von Unterstützung (Art. 21 und "
                    "22 der Richtlinie 2013/33/EU, § 6 AsylbLG)"
                ),
            },
        )
        yield Section(
            "health_referrals",
            _("Gesundheit: Überweisungen"),
            tuple(
                _record(
                    Entry(_("an"), _text(item.to)),
                    Entry(_("Anlass"), _text(item.reason)),
                    Entry(_("Status"), str(item.get_status_display()), item.status),
                    Entry(_("angelegt am"), _day(item.created_on)),
                    Entry(_("nachfassen am"), _day(item.follow_up_on)),
                )
                for item in Referral.objects.filter(person=person).order_by("created_on", "pk")
            ),
            **{
                **common,
                "recipients": _("die Stelle, an die überwiesen wurde, und der Gesundheitsdienst"),
            },
        )
        yield Section(
            "care_routes",
            _("Gesundheit: Zugang zur Gesundheitsversorgung"),
            tuple(
                _record(
                    Entry(_("Zugang"), str(item.get_kind_display()), item.kind),
                    Entry(
                        _("Rechtsgrundlage"),
                        str(ROUTES[item.kind].legal_basis) if item.kind in ROUTES else "",
                    ),
                    Entry(_("Krankenkasse"), item.insurer),
                    Entry(_("gültig ab"), _day(item.valid_from)),
                    Entry(_("gültig bis"), _day(item.valid_to)),
                )
                for item in CareRoute.objects.filter(person=person).order_by("valid_from", "pk")
            ),
            **{
                **common,
                "recipients": _("der Gesundheitsdienst, das Sozialamt und die Krankenkasse"),
                "origin": _("Entscheidungen des Sozialamts"),
            },
        )
        yield Section(
            "health_bookings",
            _("Gesundheit: Termine in Sprechstunden"),
            tuple(
                _record(
                    Entry(_("Sprechstunde"), str(item.hour.get_specialty_display())),
                    Entry(_("Unterkunft"), str(item.hour.site)),
                    Entry(
                        _("Beginn"),
                        timezone.localtime(item.hour.starts_at).strftime("%d.%m.%Y %H:%M"),
                    ),
                    Entry(_("Sprachmittlung"), item.interpreter_language),
                    Entry(_("Anliegen"), _text(item.reason)),
                    Entry(_("Teilnahme"), str(item.get_attendance_display()), item.attendance),
                )
                for item in Booking.objects.filter(person=person)
                .select_related("hour__site")
                .order_by("hour__starts_at", "pk")
            ),
            **common,
        )

    def _needs(self, person: Person) -> tuple[Record, ...]:
        return tuple(
            _record(
                Entry(_("Bedarf"), str(need.get_kind_display()), need.kind),
                Entry(_("Anlass"), str(need.get_source_display()), need.source),
                Entry(_("seit"), _day(need.valid_from)),
                Entry(_("bis"), _day(need.valid_to)),
            )
            for need in HealthNeed.objects.filter(person=person).order_by("valid_from", "pk")
        )

    def _limited(
        self, *, person: Person, actor: User | AnonymousUser | None, purpose: str
    ) -> Iterable[Section]:
        """For roles without ``VIEW_HEALTH``: the needs where the role sees sensitive facts
        (as on the person page), and a note instead of the health record."""
        if access.can_reach(actor, Action.VIEW_SENSITIVE, person.household):
            needs = self._needs(person)
            yield Section(
                "health_needs",
                _("Gesundheit: Bedarfe"),
                needs,
                purpose=purpose,
                recipients=_(
                    "Mitarbeitende des Landkreises und der zuständigen Träger, soweit sie für "
                    "Sie zuständig sind (nur der Bedarf, keine Befunde)"
                ),
                origin=_("Gesundheitsdienst des Landkreises"),
                audited_read=bool(needs),
            )
        yield Section(
            "health",
            _("Gesundheit: Gesundheitsakte"),
            purpose=purpose,
            recipients=_("die Mitarbeitenden des Gesundheitsdienstes des Landkreises"),
            origin=_("Gesundheitsdienst des Landkreises"),
            withheld_note=_(
                "Gesundheitsdaten (Untersuchungen, Impfungen, Erkrankungen, Screenings, "
                "Überweisungen, Termine) sind hier nicht aufgeführt: nur der Gesundheitsdienst "
                "des Landkreises darf sie lesen. Die Auskunft darüber erteilt der "
                "Gesundheitsdienst; wenden Sie sich dorthin oder an die oder den "
                "Datenschutzbeauftragten des Landkreises."
            ),
        )

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        """The last health event of each person: examination, vaccination offered or given,
        condition noted, screening, referral created, start or end of a care route, a
        consultation hour booked. An appointment still ahead keeps the contact open. Planned
        re-screenings and referral follow-ups do not (they lapse when a person leaves)."""
        latest: dict[int, date] = {}

        def note(rows: Iterable[tuple[int, date | None]]) -> None:
            for person_id, day in rows:
                if day is not None and day <= today and day > latest.get(person_id, date.min):
                    latest[person_id] = day

        def last(model: type[Model], field: str) -> Iterable[tuple[int, date | None]]:
            # Dates after today are plans, not events.
            rows: Iterable[tuple[int, date | None]] = (
                model._default_manager.filter(county=county, **{f"{field}__lte": today})
                .order_by()
                .values("person_id")
                .annotate(last=Max(field))
                .values_list("person_id", "last")
            )
            return rows

        note(last(Examination, "examined_on"))
        note(last(Vaccination, "offered_on"))
        note(last(Vaccination, "given_on"))
        note(last(ChronicCondition, "noted_on"))
        note(last(Screening, "screened_on"))
        note(last(Referral, "created_on"))
        note(last(CareRoute, "valid_from"))
        note(last(CareRoute, "valid_to"))
        note(last(HealthNeed, "valid_from"))
        note(last(HealthNeed, "valid_to"))
        note(
            Booking.objects.filter(county=county, hour__starts_at__date__lte=today)
            .order_by()
            .values("person_id")
            .annotate(last=Max(TruncDate("hour__starts_at")))
            .values_list("person_id", "last")
        )
        result: dict[int, date | None] = dict(latest)
        for person_id in (
            Booking.objects.filter(Q(hour__starts_at__date__gt=today), county=county)
            .exclude(attendance=Booking.Attendance.CANCELLED)
            .values_list("person_id", flat=True)
        ):
            result[person_id] = None
        return result

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        changed = 0
        changed += Examination.objects.filter(person_id__in=person_ids).update(
            result="", follow_up_needed="", notes=""
        )
        changed += Vaccination.objects.filter(person_id__in=person_ids).update(vaccine="")
        changed += ChronicCondition.objects.filter(person_id__in=person_ids).update(details="")
        # Only whether the screening was positive stays (it is what the need counts).
        for screening in Screening.objects.filter(person_id__in=person_ids).only("pk", "result"):
            result = screening.result if isinstance(screening.result, dict) else {}
            kept = {"positive": result["positive"]} if "positive" in result else {}
            changed += Screening.objects.filter(pk=screening.pk).update(
                answers={}, result=kept, rescreen_on=None
            )
        changed += Referral.objects.filter(person_id__in=person_ids).update(
            to="", reason="", follow_up_on=None
        )
        changed += Booking.objects.filter(person_id__in=person_ids).update(reason="")
        return AnonymisationResult(
            anonymised=changed,
            fields=(
                "examination.result",
                "examination.follow_up_needed",
                "examination.notes",
                "vaccination.vaccine",
                "chronic_condition.details",
                "screening.answers",
                "screening.result (ausser positiv/negativ)",
                "screening.rescreen_on",
                "referral.to",
                "referral.reason",
                "referral.follow_up_on",
                "booking.reason",
            ),
        )


registry.register(HealthSource())
