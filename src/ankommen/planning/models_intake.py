"""Intake planning data: national series, the dated chain that turns them into a county prior,
and the Land's yearly quota (Aufnahmesoll). Counts and shares only, never persons.

Imported by :mod:`ankommen.planning.models`. Facts from public sources carry their source and a
flag whether they were verified; ``planning/data/*.csv`` ships them (``load-planning-data``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County


class Stream(models.TextChoices):
    """Separate intake streams, each with its own series and chain."""

    ASYLUM = "asyl", _("Asylsuchende")
    TEMPORARY_PROTECTION = "p24", _("Vorübergehender Schutz (§ 24 AufenthG)")
    FAMILY = "familie", _("Familiennachzug")


class Factor(models.TextChoices):
    LAND_SHARE = "land", _("Anteil des Landes (Königsteiner Schlüssel)")
    COUNTY_SHARE = "kreis", _("Anteil des Landkreises an der Aufnahme des Landes")
    LAG = "lag", _("Verzögerung in Monaten")


class NationalSeries(models.Model):
    """A monthly series (national or other): shipped ones have no county and are seen by every
    county; a planner's upload belongs to the planner's county."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("Name"), max_length=120)
    source = models.CharField(_("Quelle"), max_length=400, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Monatsreihe")
        verbose_name_plural = _("Monatsreihen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="series_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(county__isnull=True), name="series_unique_shipped"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SeriesValue(models.Model):
    series = models.ForeignKey(NationalSeries, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(_("Monat"), help_text="first day of the month")
    value = models.FloatField(_("Wert"))

    class Meta:
        ordering = ["series", "month"]
        constraints = [
            models.UniqueConstraint(fields=["series", "month"], name="series_value_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="series_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.month:%Y-%m}"


class StreamSource(models.Model):
    """Which series feeds a county's stream."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(_("Strom"), max_length=10, choices=Stream.choices)
    series = models.ForeignKey(NationalSeries, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "stream"], name="stream_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stream_display()}: {self.series}"


class ChainLink(models.Model):
    """One dated value of the chain: a share in percent or the lag in months, in force from
    ``valid_from`` until the next link of the same stream and factor."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(_("Strom"), max_length=10, choices=Stream.choices)
    factor = models.CharField(_("Faktor"), max_length=10, choices=Factor.choices)
    valid_from = models.DateField(_("gültig ab"))
    value = models.DecimalField(
        _("Wert"), max_digits=9, decimal_places=5, help_text=_("Prozent, bei Verzögerung Monate")
    )
    source = models.CharField(_("Quelle"), max_length=400)
    verified = models.BooleanField(_("geprüft"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Glied der Anteilskette")
        verbose_name_plural = _("Anteilskette")
        ordering = ["county", "stream", "factor", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "stream", "factor", "valid_from"], name="chain_link_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(factor="lag") | Q(value__lte=100)),
                name="chain_link_value_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stream_display()} {self.get_factor_display()} ab {self.valid_from}"

    @property
    def value_text(self) -> str:
        """The value without trailing zeros, in the active language's number format."""
        return str(formats.number_format(Decimal(self.value).normalize()))


class IntakeQuota(models.Model):
    """The Land's quota (Aufnahmesoll) for the county in one year, before carry-over."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    quota = models.PositiveIntegerField(_("Aufnahmesoll"))
    source = models.CharField(_("Quelle"), max_length=400)
    verified = models.BooleanField(_("geprüft"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Aufnahmesoll")
        verbose_name_plural = _("Aufnahmesoll")
        ordering = ["county", "year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="intake_quota_once"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}: {self.quota}"
