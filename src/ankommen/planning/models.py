"""Capacity planning data: scenarios, planned capacity changes and costs per place.

Nothing here is about a person: a scenario and its changes are assumptions a planner makes, the
costs are figures per place. The plan itself is computed (``planning.plan``), never stored.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Site


class Scenario(models.Model):
    """A named set of assumptions compared with the baseline ("arrivals × 2 from March")."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Name"), max_length=120)
    description = models.CharField(_("Beschreibung"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Szenario")
        verbose_name_plural = _("Szenarien")
        ordering = ["county", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="scenario_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CapacityChange(models.Model):
    """One change to the plan from a month on. Without a scenario it is a *planned* change that
    the baseline includes (a site the county has decided to open or close); with one, an
    assumption of that scenario."""

    class Kind(models.TextChoices):
        ARRIVALS_FACTOR = "arrivals_factor", _("Zuweisungen × Faktor")
        OPEN_SITE = "open_site", _("Unterkunft eröffnen")
        CLOSE_SITE = "close_site", _("Unterkunft schließen")
        EXTRA_STREAM = "extra_stream", _("Zusätzliche Personen (z. B. § 24 AufenthG)")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(
        Scenario,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("Szenario"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    month = models.DateField(_("ab Monat"), help_text=_("Erster Tag des Monats"))
    # OPEN_SITE: places of the new site, and how many of them are of a scarce kind.
    places = models.PositiveIntegerField(_("Plätze"), default=0)
    family_places = models.PositiveIntegerField(_("davon Familienzimmer"), default=0)
    barrier_free_places = models.PositiveIntegerField(_("davon barrierefrei"), default=0)
    women_only_places = models.PositiveIntegerField(_("davon nur für Frauen"), default=0)
    # CLOSE_SITE: the facility whose usable beds go.
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Unterkunft"),
    )
    # ARRIVALS_FACTOR
    factor = models.DecimalField(
        _("Faktor"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
    )
    # EXTRA_STREAM: persons spread evenly over months starting with ``month``.
    persons = models.PositiveIntegerField(_("Personen"), default=0)
    spread_months = models.PositiveSmallIntegerField(
        _("verteilt auf Monate"), default=1, validators=[MinValueValidator(1)]
    )
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Kapazitätsänderung")
        verbose_name_plural = _("Kapazitätsänderungen")
        ordering = ["scenario", "month", "pk"]
        constraints = [
            models.CheckConstraint(
                name="capacity_change_close_names_site",
                condition=~Q(kind="close_site") | Q(site__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.month:%m/%Y})"


class PlaceCost(models.Model):
    """What one place costs per month, for one facility or (without one) as the county's
    default, from a date on. The state does not reimburse empty places, so these figures price
    the reserve. ``source`` says where the figure comes from (contract, budget line, estimate)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Unterkunft"),
    )
    monthly_per_place = models.DecimalField(
        _("Kosten je Platz und Monat (€)"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_from = models.DateField(_("gültig ab"))
    source = models.CharField(_("Quelle"), max_length=300)
    note = models.CharField(_("Bemerkung"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Kosten je Platz")
        verbose_name_plural = _("Kosten je Platz")
        ordering = ["county", "site", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "site", "valid_from"], name="place_cost_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.monthly_per_place} € ({self.valid_from})"


# Intake planning (national series, chain of shares, Aufnahmesoll) lives in its own module.
from ankommen.planning.models_intake import (  # noqa: E402, F401
    ChainLink,
    Factor,
    IntakeQuota,
    NationalSeries,
    SeriesValue,
    Stream,
    StreamSource,
)
