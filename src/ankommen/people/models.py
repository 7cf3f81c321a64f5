"""Persons and households with their dated facts.

Names are stored as written (any script); search works on phonetic keys kept in
:class:`PersonNameKey`. Dates of birth may lack day or month. Everything that changes over time
(residence status, vulnerabilities, consent, responsibilities) is a dated row, so that any past
day can be reconstructed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ankommen.algorithms.partial_dates import PartialDate
from ankommen.core.models import County, Provider, Site


class DatedQuerySet(models.QuerySet[Any]):
    def active_on(self, day: date) -> DatedQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Household(models.Model):
    """Persons who arrive and live together (a family, a couple, a single person)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="households")
    reference = models.CharField(_("Haushaltsnummer"), max_length=40)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("Haushalt")
        verbose_name_plural = _("Haushalte")
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["county", "reference"], name="household_unique_ref"),
        ]

    def __str__(self) -> str:
        return self.reference


class Sex(models.TextChoices):
    MALE = "m", _("männlich")
    FEMALE = "w", _("weiblich")
    DIVERSE = "d", _("divers")
    UNSPECIFIED = "x", _("ohne Angabe")


class Person(models.Model):
    class HouseholdRole(models.TextChoices):
        HEAD = "head", _("Haushaltsvorstand")
        PARTNER = "partner", _("Ehe-/Lebenspartner(in)")
        CHILD = "child", _("Kind")
        RELATIVE = "relative", _("Angehörige(r)")
        OTHER = "other", _("Sonstige")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="persons")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("Haushalt")
    )
    household_role = models.CharField(
        _("Stellung im Haushalt"), max_length=16, choices=HouseholdRole.choices
    )
    family_name = models.CharField(_("Familienname"), max_length=settings.ANKOMMEN_NAME_MAX_LENGTH)
    given_names = models.CharField(
        _("Vorname(n)"), max_length=settings.ANKOMMEN_NAME_MAX_LENGTH, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"))
    birth_month = models.PositiveSmallIntegerField(_("Geburtsmonat"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("Geburtstag"), null=True, blank=True)
    sex = models.CharField(_("Geschlecht"), max_length=1, choices=Sex.choices)
    azr_number = models.CharField(_("AZR-Nummer"), max_length=20, blank=True)
    arrived_in_germany_on = models.DateField(_("Einreise nach Deutschland"), null=True, blank=True)
    allocated_on = models.DateField(_("Zuweisung an den Landkreis"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["family_name", "given_names"]
        constraints = [
            models.CheckConstraint(
                name="person_birth_month_range",
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
            ),
            models.CheckConstraint(
                name="person_birth_day_needs_month",
                condition=Q(birth_day__isnull=True)
                | Q(birth_month__isnull=False, birth_day__gte=1, birth_day__lte=31),
            ),
            models.CheckConstraint(name="person_family_name_set", condition=~Q(family_name="")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def birth_date(self) -> PartialDate:
        return PartialDate(self.birth_year, self.birth_month, self.birth_day)


class PersonNameKey(models.Model):
    """Phonetic keys of a person's name tokens, so that Mohammed finds Muhammad and محمد."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="person_name_key_unique"),
        ]
        indexes = [models.Index(fields=["key", "person"], name="person_name_key_lookup")]

    def __str__(self) -> str:
        return self.key


class Nationality(models.Model):
    """ISO 3166-1 alpha-3 code, or XXA (stateless) and XXX (unknown) as in ICAO Doc 9303."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities")
    code = models.CharField(_("Staatsangehörigkeit"), max_length=3)

    class Meta:
        verbose_name = _("Staatsangehörigkeit")
        verbose_name_plural = _("Staatsangehörigkeiten")
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="nationality_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class LanguageSkill(models.Model):
    """A language a person speaks, as an ISO 639-3 code."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("Sprache"), max_length=3)
    is_first_language = models.BooleanField(_("Erstsprache"), default=False)

    class Meta:
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="language_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class ResidenceStatus(models.Model):
    """One period of a residence title or certificate (dated; the newest open one is current)."""

    class Kind(models.TextChoices):
        ARRIVAL_CERTIFICATE = "ankunftsnachweis", _("Ankunftsnachweis")
        GESTATTUNG = "gestattung", _("Aufenthaltsgestattung")
        DULDUNG = "duldung", _("Duldung")
        RESIDENCE_PERMIT = "aufenthaltserlaubnis", _("Aufenthaltserlaubnis")
        SETTLEMENT_PERMIT = "niederlassungserlaubnis", _("Niederlassungserlaubnis")
        PERMANENT_EU = "daueraufenthalt_eu", _("Erlaubnis zum Daueraufenthalt – EU")
        FIKTION = "fiktionsbescheinigung", _("Fiktionsbescheinigung")
        BORDER_CROSSING = "grenzuebertritt", _("Grenzübertrittsbescheinigung")
        NATURALISED = "eingebuergert", _("Eingebürgert")

    class LegalBasis(models.TextChoices):
        NONE = "", _("—")
        P16A = "16a", _("§ 16a AufenthG (Berufsausbildung)")
        P22 = "22", _("§ 22 AufenthG (Aufnahme aus dem Ausland)")
        P23_1 = "23.1", _("§ 23 Abs. 1 AufenthG (Landesaufnahme)")
        P23_2 = "23.2", _("§ 23 Abs. 2 AufenthG (Bundesaufnahme)")
        P23_4 = "23.4", _("§ 23 Abs. 4 AufenthG (Resettlement)")
        P24 = "24", _("§ 24 AufenthG (vorübergehender Schutz)")
        P25_1 = "25.1", _("§ 25 Abs. 1 AufenthG (Asylberechtigung)")
        P25_2_REFUGEE = "25.2.1", _("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG (Flüchtlingseigenschaft)")
        P25_2_SUBSIDIARY = "25.2.2", _("§ 25 Abs. 2 S. 1 Alt. 2 AufenthG (subsidiärer Schutz)")
        P25_3 = "25.3", _("§ 25 Abs. 3 AufenthG (Abschiebungsverbot)")
        P25_4 = "25.4", _("§ 25 Abs. 4 AufenthG (vorübergehender Aufenthalt)")
        P25_5 = "25.5", _("§ 25 Abs. 5 AufenthG (Ausreise unmöglich)")
        P25A = "25a", _("§ 25a AufenthG (gut integrierte Jugendliche)")
        P25B = "25b", _("§ 25b AufenthG (nachhaltige Integration)")
        P28 = "28", _("§ 28 AufenthG (Familiennachzug zu Deutschen)")
        P30 = "30", _("§ 30 AufenthG (Ehegattennachzug)")
        P32 = "32", _("§ 32 AufenthG (Kindernachzug)")
        P36A = "36a", _("§ 36a AufenthG (Familiennachzug zu subsidiär Geschützten)")
        P60A = "60a", _("§ 60a AufenthG (Duldung)")
        P60C = "60c", _("§ 60c AufenthG (Ausbildungsduldung)")
        P60D = "60d", _("§ 60d AufenthG (Beschäftigungsduldung)")
        P104C = "104c", _("§ 104c AufenthG (Chancen-Aufenthaltsrecht)")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residence_statuses")
    kind = models.CharField(_("Aufenthaltsstatus"), max_length=32, choices=Kind.choices)
    legal_basis = models.CharField(
        _("Rechtsgrundlage"), max_length=8, choices=LegalBasis.choices, blank=True
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufenthaltsstatus")
        verbose_name_plural = _("Aufenthaltsstatus")
        ordering = ["person", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                name="residence_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        basis = f" ({self.get_legal_basis_display()})" if self.legal_basis else ""
        return f"{self.get_kind_display()}{basis}"


class Vulnerability(models.Model):
    """A special reception need under Art. 21 Directive 2013/33/EU (recast: Art. 24 of 2024/1346).

    Categories that reveal health (serious illness, mental disorder, torture or violence) are
    special-category data (GDPR Art. 9); reading them is audited.
    """

    class Category(models.TextChoices):
        MINOR = "minor", _("Minderjährige(r)")
        UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unbegleitete(r) Minderjährige(r)")
        DISABILITY = "disability", _("Behinderung")
        ELDERLY = "elderly", _("Ältere Person")
        PREGNANT = "pregnant", _("Schwangerschaft")
        SINGLE_PARENT = "single_parent", _("Alleinerziehend mit minderjährigen Kindern")
        TRAFFICKING = "trafficking", _("Opfer von Menschenhandel")
        SERIOUS_ILLNESS = "serious_illness", _("Schwere körperliche Erkrankung")
        MENTAL_DISORDER = "mental_disorder", _("Psychische Störung")
        VIOLENCE = "violence", _("Folter, Vergewaltigung oder schwere Gewalt erlitten")
        # Added by Directive (EU) 2024/1346 Art. 24:
        LGBTI = "lgbti", _("LSBTI-Person")
        GENDER_BASED_VIOLENCE = "gbv", _("Opfer geschlechtsspezifischer Gewalt")

    HEALTH_RELATED = frozenset(
        {Category.SERIOUS_ILLNESS, Category.MENTAL_DISORDER, Category.VIOLENCE}
    )

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.CharField(_("Kategorie"), max_length=32, choices=Category.choices)
    valid_from = models.DateField(_("festgestellt am"))
    valid_to = models.DateField(_("entfallen am"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Besondere Schutzbedürftigkeit")
        verbose_name_plural = _("Besondere Schutzbedürftigkeiten")
        ordering = ["person", "-valid_from"]

    def __str__(self) -> str:
        return str(self.get_category_display())


class Consent(models.Model):
    """Consent of a person to one purpose of processing; withdrawable (GDPR Art. 7(3))."""

    class Purpose(models.TextChoices):
        SHARE_WITH_PROVIDER = "share_provider", _("Weitergabe an den betreuenden Träger")
        SHARE_WITH_VOLUNTEER = "share_volunteer", _("Weitergabe an Ehrenamtliche (Patenschaft)")
        HEALTH_SCREENING = "health_screening", _("Gesundheits-Screening")
        JOB_PLACEMENT = "job_placement", _("Weitergabe an Arbeitgeber und Jobcoaching")
        PHOTO = "photo", _("Foto im Ausweis der Unterkunft")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("Zweck"), max_length=32, choices=Purpose.choices)
    given_on = models.DateField(_("erteilt am"))
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["person", "-given_on"]

    def __str__(self) -> str:
        return str(self.get_purpose_display())


class Responsibility(models.Model):
    """Who looks after a household, from when to when: provider, site and/or caseworker.

    Housing and casework write these rows in the same transaction as a bed assignment or a case
    opening; the access rules read them (one indexed join, see ``core.access``).
    """

    class Kind(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Unterbringung")
        CASEWORK = "casework", _("Migrationssozialarbeit")
        MENTORING = "mentoring", _("Patenschaft")
        COACHING = "coaching", _("Jobcoaching")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="responsibilities"
    )
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsibilities",
    )
    valid_from = models.DateField(_("ab"))
    valid_to = models.DateField(_("bis"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        constraints = [
            models.CheckConstraint(
                name="responsibility_has_target",
                condition=Q(provider__isnull=False)
                | Q(site__isnull=False)
                | Q(caseworker__isnull=False),
            ),
            models.CheckConstraint(
                name="responsibility_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "household"], name="resp_provider"),
            models.Index(fields=["site", "household"], name="resp_site"),
            models.Index(fields=["caseworker", "household"], name="resp_caseworker"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from})"
