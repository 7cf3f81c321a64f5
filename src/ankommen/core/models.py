"""Tenants and the organisation tree: county → provider → site; staff and their memberships.

Every record of personal data belongs to exactly one county. A state-wide deployment holds many
counties; data never crosses between them (enforced by django-scopes on the ``county`` dimension).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class County(models.Model):
    """A Landkreis or kreisfreie Stadt running the platform."""

    slug = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=120)
    official_key = models.CharField(
        _("Kreisschlüssel"), max_length=5, unique=True, help_text=_("Amtlicher Kreisschlüssel")
    )
    state = models.CharField(_("Land"), max_length=60)

    class Meta:
        verbose_name = _("Landkreis")
        verbose_name_plural = _("Landkreise")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A Gemeinde, amtsfreie Stadt or Amt of a county; Amt membership is dated."""

    class Kind(models.TextChoices):
        TOWN = "stadt", _("Amtsfreie Stadt")
        MUNICIPALITY = "gemeinde", _("Amtsfreie Gemeinde")
        AMT = "amt", _("Amt")
        AMT_MEMBER = "amtsgemeinde", _("Amtsangehörige Gemeinde")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    official_key = models.CharField(_("Gemeindeschlüssel"), max_length=12, blank=True)
    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    amt = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": Kind.AMT},
        verbose_name=_("Amt"),
    )
    population = models.PositiveIntegerField(_("Einwohner"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("Einwohner (Stand Jahr)"), null=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    source = models.CharField(_("Quelle"), max_length=300)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="municipality_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """A Träger: social provider, shelter operator, course provider or the county's own office."""

    class Kind(models.TextChoices):
        COUNTY_OFFICE = "kreis", _("Kreisverwaltung")
        SOCIAL = "sozial", _("Sozialer Träger")
        SHELTER_OPERATOR = "betreiber", _("Betreiber von Unterkünften")
        COURSE = "bildung", _("Bildungsträger")
        HEALTH = "gesundheit", _("Gesundheitsdienst")
        VOLUNTEER = "ehrenamt", _("Ehrenamtsinitiative")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("Träger")
        verbose_name_plural = _("Träger")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="provider_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place run by a provider: a shared accommodation, an office, a counselling centre.

    The housing app describes accommodation sites in detail (rooms, beds); here a site is the
    unit of the ``facility`` access scope.
    """

    class Kind(models.TextChoices):
        SHARED_ACCOMMODATION = "gu", _("Gemeinschaftsunterkunft")
        APARTMENT_CLUSTER = "wohnverbund", _("Wohnverbund")
        APARTMENT = "wohnung", _("Wohnung")
        EMERGENCY = "notunterkunft", _("Notunterkunft")
        OFFICE = "buero", _("Beratungsstelle")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="sites")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="sites")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="sites", verbose_name=_("Gemeinde")
    )
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("Anschrift"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), default=0)

    objects = ScopedManager(county="county")

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="site_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member, volunteer or auditor. Roles and scopes live on :class:`Membership`."""

    display_name = models.CharField(_("Anzeigename"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("Sprache"), max_length=8, default="de", choices=[("de", "Deutsch"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("Kreisverwaltung – Administration")
    COUNTY_CASEWORKER = "county_caseworker", _("Sachbearbeitung (Sozialamt/Ausländerbehörde)")
    SHELTER_MANAGER = "shelter_manager", _("Heimleitung")
    PROVIDER_CASEWORKER = "provider_caseworker", _("Sozialarbeit beim Träger")
    HEALTH_STAFF = "health_staff", _("Gesundheitsdienst")
    EDUCATION_COORDINATOR = "education_coordinator", _("Bildungskoordination")
    JOB_COACH = "job_coach", _("Jobcoaching")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Ehrenamtskoordination")
    VOLUNTEER = "volunteer", _("Ehrenamt")
    PLANNER = "planner", _("Planung (nur Statistik)")
    AUDITOR = "auditor", _("Revision/Datenschutz")


class Scope(models.TextChoices):
    COUNTY = "county", _("ganzer Landkreis")
    PROVIDER = "provider", _("Träger")
    FACILITY = "facility", _("Standort")
    CASELOAD = "caseload", _("eigene Fälle")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Membership(models.Model):
    """A user's role in one county, limited to a scope. Dated: a membership can end."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices)
    scope = models.CharField(_("Bereich"), max_length=16, choices=Scope.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    valid_from = models.DateField(_("gültig ab"))
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_target",
                condition=(
                    (Q(scope="provider") & Q(provider__isnull=False) & Q(site__isnull=True))
                    | (Q(scope="facility") & Q(site__isnull=False))
                    | (Q(scope__in=["county", "caseload"]) & Q(site__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="membership_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.get_scope_display()})"
