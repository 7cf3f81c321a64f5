"""Health records (Gesundheit): special-category data (GDPR Art. 9).

Every field that says something about a person's health is an :class:`EncryptedField`
(Fernet, ``health.crypto``); the plain fields beside them are what the platform must sort and
filter by (dates, statuses, the facility) and say nothing medical on their own. Only health
roles read these tables (``Action.VIEW_HEALTH``), every read is audited with its purpose
(``health.selectors``). What other roles may know is a :class:`HealthNeed`: "Bedarf:
psychosoziale Unterstützung", never the findings, answers or scores behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Site
from ankommen.health.crypto import EncryptedField
from ankommen.people.models import Person


class HealthNeed(models.Model):
    """A need other roles may see (with VIEW_SENSITIVE): the consequence, not the finding."""

    class Kind(models.TextChoices):
        PSYCHOSOCIAL = "psychosocial", _("psychosoziale Unterstützung")
        CHRONIC_CARE = "chronic_care", _("regelmäßige ärztliche Versorgung")
        MEDICAL_FOLLOW_UP = "medical_follow_up", _("ärztliche Nachuntersuchung")

    class Source(models.TextChoices):
        SCREENING = "screening", _("Screening")
        EXAMINATION = "examination", _("Erstuntersuchung")
        CONDITION = "condition", _("chronische Erkrankung")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_needs")
    kind = models.CharField(_("Bedarf"), max_length=24, choices=Kind.choices)
    source = models.CharField(_("Anlass"), max_length=16, choices=Source.choices)
    valid_from = models.DateField(_("seit"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Gesundheitlicher Bedarf")
        verbose_name_plural = _("Gesundheitliche Bedarfe")
        ordering = ["person", "-valid_from", "-pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Examination(models.Model):
    """The initial medical examination (Erstuntersuchung)."""

    class Result(models.TextChoices):
        NO_FINDINGS = "no_findings", _("ohne Befund")
        TREATMENT = "treatment", _("behandlungsbedürftig")
        INFECTIOUS = "infectious", _("Verdacht auf übertragbare Krankheit")
        NOT_EXAMINED = "not_examined", _("nicht untersucht")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="examinations")
    examined_on = models.DateField(_("untersucht am"))
    result = EncryptedField(_("Ergebnis"))  # a Result value
    follow_up_needed = EncryptedField(_("Nachuntersuchung nötig"))  # bool
    notes = EncryptedField(_("Notiz"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Erstuntersuchung")
        verbose_name_plural = _("Erstuntersuchungen")
        ordering = ["person", "-examined_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Erstuntersuchung"))

    @property
    def result_label(self) -> str:
        return str(dict(self.Result.choices).get(self.result, self.result))


class Vaccination(models.Model):
    """A vaccination offered, and given or declined (§ 4(1) S.2, (3) AsylbLG)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vaccinations")
    vaccine = EncryptedField(_("Impfung"))
    offered_on = models.DateField(_("angeboten am"))
    given_on = models.DateField(_("verabreicht am"), null=True, blank=True)
    declined = models.BooleanField(_("abgelehnt"), default=False)

    class Meta:
        verbose_name = _("Impfung")
        verbose_name_plural = _("Impfungen")
        ordering = ["person", "-offered_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Impfung"))


class ChronicCondition(models.Model):
    """A chronic condition: the details stay encrypted here; others see only the need."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conditions")
    details = EncryptedField(_("Erkrankung (Angaben)"))
    noted_on = models.DateField(_("erfasst am"))
    need = models.OneToOneField(HealthNeed, on_delete=models.PROTECT, related_name="condition")

    class Meta:
        verbose_name = _("Chronische Erkrankung")
        verbose_name_plural = _("Chronische Erkrankungen")
        ordering = ["person", "-noted_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Chronische Erkrankung"))


class InstrumentText(models.Model):
    """Item texts of a screening instrument in one language, loaded from a county's licensed
    copy (``ankommen rhs load``; format in docs/health.md). Never written by the project."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(_("Instrument"), max_length=16)
    language = models.CharField(_("Sprache"), max_length=16)
    direction = models.CharField(_("Schreibrichtung"), max_length=3)
    source = models.CharField(_("Quelle"), max_length=500)
    licence = models.CharField(_("Lizenz"), max_length=500)
    content = models.JSONField(_("Inhalt"))  # instructions, scale, items (validated on load)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("geladen am"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Instrumenttext")
        verbose_name_plural = _("Instrumenttexte")
        ordering = ["instrument", "language", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "instrument", "language"],
                condition=Q(active=True),
                name="instrument_text_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.language})"


class Screening(models.Model):
    """A mental-health screening (RHS-15 or RHS-13). Answers and result are encrypted."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="screenings")
    instrument = models.CharField(_("Instrument"), max_length=16)
    text = models.ForeignKey(InstrumentText, on_delete=models.PROTECT, related_name="screenings")
    screened_on = models.DateField(_("durchgeführt am"))
    interpreter = models.BooleanField(_("mit Sprachmittlung"), default=False)
    answers = EncryptedField(_("Antworten"))  # {"1": 0..4, …, "15": 0..10}
    result = EncryptedField(_("Auswertung"))  # {"total": int, "thermometer": int|None, …}
    rescreen_on = models.DateField(_("erneutes Screening am"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Screening")
        verbose_name_plural = _("Screenings")
        ordering = ["person", "-screened_on", "-pk"]

    def __str__(self) -> str:
        return self.instrument


class Referral(models.Model):
    """A referral to a doctor, a therapist or psychosocial services."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("angeboten")
        SENT = "sent", _("überwiesen")
        ACCEPTED = "accepted", _("angenommen")
        DONE = "done", _("erledigt")
        DECLINED = "declined", _("abgelehnt")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_referrals")
    to = EncryptedField(_("an"))  # practice, therapist, psychosocial centre
    reason = EncryptedField(_("Anlass"), blank=True, default="")
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    created_on = models.DateField(_("angelegt am"))
    follow_up_on = models.DateField(_("nachfassen am"), null=True, blank=True)
    screening = models.ForeignKey(
        Screening, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )

    class Meta:
        verbose_name = _("Überweisung")
        verbose_name_plural = _("Überweisungen")
        ordering = ["person", "-created_on", "-pk"]

    def __str__(self) -> str:
        return str(self.get_status_display())


class CareRoute(models.Model):
    """How a person reaches health care under the AsylbLG (legal basis in ``health.care``)."""

    class Kind(models.TextChoices):
        HEALTH_CARD = "egk", _("Gesundheitskarte (eGK)")
        VOUCHER = "voucher", _("Behandlungsschein")
        SGB_V_CARD = "sgb_v", _("Gesundheitskarte nach § 264 Abs. 2 SGB V")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="care_routes")
    kind = models.CharField(_("Zugang"), max_length=12, choices=Kind.choices)
    insurer = models.CharField(_("Krankenkasse"), max_length=120, blank=True)
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zugang zur Gesundheitsversorgung")
        verbose_name_plural = _("Zugänge zur Gesundheitsversorgung")
        ordering = ["person", "-valid_from", "-pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ConsultationHour(models.Model):
    """On-site specialist consultation hours at a facility (no personal data of residents)."""

    class Specialty(models.TextChoices):
        PSYCHOLOGY = "psychology", _("Psychologie")
        PAEDIATRICS = "paediatrics", _("Kinderheilkunde")
        MIDWIFERY = "midwifery", _("Hebamme")
        GENERAL = "general", _("Allgemeinmedizin")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="consultation_hours")
    specialty = models.CharField(_("Fachrichtung"), max_length=16, choices=Specialty.choices)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    places = models.PositiveSmallIntegerField(_("Termine"), default=6)

    class Meta:
        verbose_name = _("Sprechstunde")
        verbose_name_plural = _("Sprechstunden")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="consultation_hour_ordered", condition=Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_specialty_display()} {self.starts_at:%d.%m.%Y %H:%M}"


class Booking(models.Model):
    """A person's appointment in a consultation hour."""

    class Attendance(models.TextChoices):
        BOOKED = "booked", _("gebucht")
        ATTENDED = "attended", _("wahrgenommen")
        MISSED = "missed", _("nicht erschienen")
        CANCELLED = "cancelled", _("abgesagt")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    hour = models.ForeignKey(ConsultationHour, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_bookings")
    interpreter_language = models.CharField(_("Sprachmittlung"), max_length=3, blank=True)
    reason = EncryptedField(_("Anliegen"), blank=True, default="")
    attendance = models.CharField(
        _("Teilnahme"), max_length=12, choices=Attendance.choices, default=Attendance.BOOKED
    )

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["hour", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hour", "person"], name="booking_once_per_hour")
        ]

    def __str__(self) -> str:
        return str(self.get_attendance_display())


ENCRYPTED_MODELS: tuple[type[models.Model], ...] = (
    Examination,
    Vaccination,
    ChronicCondition,
    Screening,
    Referral,
    Booking,
)
