"""Casework (Migrationssozialarbeit): cases held by providers, dated caseworker assignments,
counselling contacts, referrals, the integration plan and the staffing of caseworkers.

Every row carries its county. Cases are reached through the household they belong to
(``core.access`` with the casework actions); confidential notes only by the staff of the
provider the author wrote them for (``Contact.author_provider``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Provider, Site
from ankommen.people.models import DatedQuerySet, Household, Person, Responsibility


class Topic(models.Model):
    """A topic of counselling from the county's catalogue (configurable; defaults in
    ``casework.catalogue``)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("Kürzel"), max_length=40)
    label = models.CharField(_("Bezeichnung"), max_length=120)
    active = models.BooleanField(_("in Gebrauch"), default=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Beratungsthema")
        verbose_name_plural = _("Beratungsthemen")
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="topic_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label


class StaffingRatio(models.Model):
    """The staffing key of Migrationssozialarbeit a county applies: how many households (or
    persons) one full-time caseworker looks after at most, with the rule it comes from."""

    class Unit(models.TextChoices):
        HOUSEHOLDS = "households", _("Haushalte")
        PERSONS = "persons", _("Personen")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    per_fte = models.PositiveIntegerField(_("je Vollzeitstelle höchstens"))
    unit = models.CharField(_("gezählt in"), max_length=16, choices=Unit.choices)
    source = models.CharField(_("Rechtsgrundlage oder Quelle"), max_length=400)
    verified = models.BooleanField(
        _("Verbindlichkeit geprüft"),
        default=False,
        help_text=_("Erst setzen, wenn die Verbindlichkeit an der Quelle geprüft ist."),
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Personalschlüssel")
        verbose_name_plural = _("Personalschlüssel")
        ordering = ["county", "-valid_from"]
        constraints = [
            models.CheckConstraint(name="ratio_positive", condition=Q(per_fte__gt=0)),
        ]

    def __str__(self) -> str:
        return f"1:{self.per_fte}"


class Position(models.Model):
    """A caseworker's position at a provider (optionally at one facility), in full-time
    equivalents; dated."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="casework_positions"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fte = models.DecimalField(_("Vollzeitäquivalent"), max_digits=3, decimal_places=2)
    valid_from = models.DateField(_("ab"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stelle")
        verbose_name_plural = _("Stellen")
        constraints = [
            models.CheckConstraint(
                name="position_fte_range", condition=Q(fte__gt=0) & Q(fte__lte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caseworker} ({self.fte})"


class Case(models.Model):
    """A household's case (or one member's) held by a provider. Closed cases stay."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField(_("eröffnet am"))
    closed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    # The provider's casework responsibility, through which the access rules reach the case.
    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-opened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "provider"],
                condition=Q(closed_on__isnull=True, person__isnull=True),
                name="case_one_open_per_household",
            ),
            models.UniqueConstraint(
                fields=["household", "person", "provider"],
                condition=Q(closed_on__isnull=True, person__isnull=False),
                name="case_one_open_per_person",
            ),
            models.CheckConstraint(
                name="case_dates_ordered",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} – {self.provider}"


class Assignment(models.Model):
    """A caseworker looks after a case from ``valid_from`` to ``valid_to`` (inclusive). A
    hand-over ends one assignment and starts another, so the history stays."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="casework_assignments"
    )
    valid_from = models.DateField(_("ab"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)
    # The caseworker's responsibility (their caseload scope reaches the household through it).
    responsibility = models.ForeignKey(
        Responsibility, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zuordnung")
        verbose_name_plural = _("Zuordnungen")
        ordering = ["case", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="assignment_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caseworker} ({self.valid_from})"


class Contact(models.Model):
    """One counselling contact (Beratungskontakt)."""

    class Place(models.TextChoices):
        OFFICE = "buero", _("Beratungsstelle")
        ACCOMMODATION = "unterkunft", _("Unterkunft")
        HOME = "wohnung", _("Wohnung")
        PHONE = "telefon", _("Telefon")
        VIDEO = "video", _("Video")
        OUTREACH = "aufsuchend", _("Aufsuchend (Behörde, Arzt, …)")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    day = models.DateField(_("Datum"))
    minutes = models.PositiveSmallIntegerField(_("Dauer (Minuten)"))
    place = models.CharField(_("Ort"), max_length=16, choices=Place.choices)
    language = models.CharField(_("Sprache"), max_length=3)
    interpreter = models.BooleanField(_("mit Sprachmittlung"), default=False)
    topics = models.ManyToManyField(Topic, related_name="+", verbose_name=_("Themen"))
    note = models.CharField(_("Kurznotiz"), max_length=500, blank=True)
    confidential_note = models.TextField(_("Vertrauliche Notiz"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whose staff may read the confidential note: the provider the author works for.
    author_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Beratungskontakt")
        verbose_name_plural = _("Beratungskontakte")
        ordering = ["-day", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="contact_confidential_needs_provider",
                condition=Q(confidential_note="") | Q(author_provider__isnull=False),
            ),
            models.CheckConstraint(name="contact_minutes_positive", condition=Q(minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.day}"


class Referral(models.Model):
    """A referral (Weitervermittlung) to a service, followed up on a date."""

    class Service(models.TextChoices):
        LANGUAGE_COURSE = "sprachkurs", _("Sprach- oder Integrationskurs")
        JOB_COACH = "jobcoaching", _("Jobcoaching")
        JOB_CENTRE = "jobcenter", _("Jobcenter oder Agentur für Arbeit")
        HEALTH = "gesundheit", _("Gesundheitsdienst")
        PSYCHOSOCIAL = "psychosozial", _("Psychosoziale Beratung")
        COUNSELLING = "beratungsstelle", _("Fachberatungsstelle")
        YOUTH_WELFARE = "jugendamt", _("Jugendhilfe")
        DEBT = "schuldnerberatung", _("Schuldnerberatung")
        SCHOOL = "schule", _("Kita oder Schule")
        HOUSING = "wohnung", _("Wohnungssuche")
        LEGAL = "rechtsberatung", _("Asyl- und Aufenthaltsrechtsberatung")
        OTHER = "sonstiges", _("Sonstiges")

    class Status(models.TextChoices):
        SENT = "sent", _("vermittelt")
        ACCEPTED = "accepted", _("angenommen")
        DONE = "done", _("abgeschlossen")
        DECLINED = "declined", _("abgelehnt")

    OPEN = frozenset({Status.SENT, Status.ACCEPTED})

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.CharField(_("Angebot"), max_length=24, choices=Service.choices)
    recipient = models.CharField(_("Stelle"), max_length=200, blank=True)
    sent_on = models.DateField(_("vermittelt am"))
    status = models.CharField(
        _("Stand"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    follow_up_on = models.DateField(_("Wiedervorlage"), null=True, blank=True)
    note = models.CharField(_("Kurznotiz"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("Weitervermittlung")
        verbose_name_plural = _("Weitervermittlungen")
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["status", "follow_up_on"], name="referral_follow_up")]

    def __str__(self) -> str:
        return str(self.get_service_display())


class Goal(models.Model):
    """A goal of the household's integration plan in one field of action."""

    class Field(models.TextChoices):
        LANGUAGE = "sprache", _("Sprache")
        RESIDENCE = "aufenthalt", _("Aufenthalt")
        HOUSING = "wohnen", _("Wohnen")
        EDUCATION = "bildung", _("Bildung")
        WORK = "arbeit", _("Arbeit")
        HEALTH = "gesundheit", _("Gesundheit")
        SOCIETY = "gesellschaft", _("Gesellschaftliche Teilhabe")
        FINANCE = "finanzen", _("Finanzen und Leistungen")
        FAMILY = "familie", _("Familie")

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        ACHIEVED = "achieved", _("erreicht")
        DROPPED = "dropped", _("aufgegeben")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    field = models.CharField(_("Handlungsfeld"), max_length=16, choices=Field.choices)
    title = models.CharField(_("Ziel"), max_length=200)
    target_on = models.DateField(_("Zieldatum"), null=True, blank=True)
    status = models.CharField(
        _("Stand"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("Weitervermittlung"),
    )

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["field", "target_on", "pk"]

    def __str__(self) -> str:
        return self.title
