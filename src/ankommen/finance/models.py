"""Reimbursement (Kostenerstattung): dated rules and the dated records a claim is computed from.

Rules are data, never constants: the published amounts (LAufnGErstV) ship in
``data/rules_brandenburg.csv`` with their source per row and are loaded by a data migration;
finance staff add a year through the page, the CLI or the API. Records hold no health details:
an invoice is an amount, a day and a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ankommen.algorithms.claims import Housing, Kind
from ankommen.core.models import County, Site
from ankommen.people.models import DatedQuerySet, Person


class RuleKind(models.TextChoices):
    ONE_OFF = Kind.ONE_OFF.value, _("Einmalpauschale je aufgenommener Person")
    RECIPIENT = Kind.RECIPIENT.value, _("Jahrespauschale je Leistungsberechtigten (AsylbLG)")
    MSA = Kind.MSA.value, _("Jahrespauschale Migrationssozialarbeit je Fall")
    HEALTH = Kind.HEALTH.value, _("Gesundheitskosten nach Kostennachweis")
    NETTING = Kind.NETTING.value, _("Anrechnung von Einnahmen")


class HousingKind(models.TextChoices):
    NONE_GIVEN = "", _("—")
    SHARED = Housing.SHARED.value, _("Gemeinschaftsunterkunft oder Wohnungsverbund")
    FLAT = Housing.FLAT.value, _("Wohnung")
    NONE = Housing.NONE.value, _("ohne Unterkunft")


AT_COST = (RuleKind.HEALTH, RuleKind.NETTING)


class ReimbursementRule(models.Model):
    """One dated amount of the Land's reimbursement: in force from ``valid_from`` until the next
    rule of the same kind (and housing) starts. ``county_key`` empty: every county of the Land."""

    state = models.CharField(_("Land"), max_length=60)
    county_key = models.CharField(_("Kreisschlüssel"), max_length=5, blank=True)
    kind = models.CharField(_("Art"), max_length=16, choices=RuleKind.choices)
    housing = models.CharField(
        _("Unterbringung"), max_length=8, choices=HousingKind.choices, blank=True
    )
    valid_from = models.DateField(_("gültig ab"))
    amount = models.DecimalField(
        _("Betrag (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paragraph = models.CharField(_("Rechtsgrundlage"), max_length=200)
    source = models.CharField(_("Quelle"), max_length=300)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Erstattungsregel")
        verbose_name_plural = _("Erstattungsregeln")
        ordering = ["kind", "housing", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "county_key", "kind", "housing", "valid_from"],
                name="reimbursement_rule_unique",
            ),
            models.CheckConstraint(
                name="reimbursement_rule_amount",
                condition=(Q(kind__in=["health", "netting"]) & Q(amount__isnull=True))
                | (~Q(kind__in=["health", "netting"]) & Q(amount__gte=0)),
            ),
            models.CheckConstraint(
                name="reimbursement_rule_housing",
                condition=(Q(kind="recipient") & ~Q(housing=""))
                | (~Q(kind="recipient") & Q(housing="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} ab {self.valid_from}"


class BenefitPeriod(models.Model):
    """A person receives benefits under the AsylbLG from ``valid_from`` to ``valid_to``
    (inclusive; open while it lasts). A status change that ends the benefits ends the row."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="benefit_periods")
    valid_from = models.DateField(_("Leistungen ab"))
    valid_to = models.DateField(_("Leistungen bis"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("AsylbLG-Leistungszeitraum")
        verbose_name_plural = _("AsylbLG-Leistungszeiträume")
        constraints = [
            models.CheckConstraint(
                name="benefit_dates_ordered",
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
            ),
        ]
        indexes = [models.Index(fields=["county", "valid_from"], name="benefit_county_from")]

    def __str__(self) -> str:
        return f"{self.valid_from} – {self.valid_to or '…'}"


class Income(models.Model):
    """Income netted against the yearly lump sum (§ 14 Abs. 2 LAufnG)."""

    class Kind(models.TextChoices):
        USER_FEE = "user_fee", _("Nutzungsentgelt")
        REFUND = "refund", _("Erstattung durch die Person")
        OWN_MEANS = "own_means", _("Einkommen oder Vermögen (§ 7 AsylbLG)")
        OTHER = "other", _("Sonstiger Erstattungsanspruch")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Datum"))
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("Einnahme")
        verbose_name_plural = _("Einnahmen")
        constraints = [models.CheckConstraint(name="income_positive", condition=Q(amount__gt=0))]
        indexes = [models.Index(fields=["county", "day"], name="income_county_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"


class HealthInvoice(models.Model):
    """A health-care invoice at actual cost (§ 15 LAufnG): amount, day and person only — never
    a diagnosis or treatment."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Leistungsdatum"))
    reference = models.CharField(_("Rechnungsnummer"), max_length=40, blank=True)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("Rechnung Gesundheitskosten")
        verbose_name_plural = _("Rechnungen Gesundheitskosten")
        constraints = [
            models.CheckConstraint(name="health_invoice_positive", condition=Q(amount__gt=0))
        ]
        indexes = [models.Index(fields=["county", "day"], name="invoice_county_day")]

    def __str__(self) -> str:
        return self.reference or str(self.day)


class FacilityCost(models.Model):
    """What a facility cost the county in one month, by kind."""

    class Kind(models.TextChoices):
        RENT = "rent", _("Miete")
        SECURITY = "security", _("Sicherheitsdienst")
        OPERATION = "operation", _("Betrieb")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Monat"), help_text=_("der Erste des Monats"))
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Kosten einer Unterkunft")
        verbose_name_plural = _("Kosten der Unterkünfte")
        constraints = [
            models.UniqueConstraint(fields=["site", "month", "kind"], name="facility_cost_unique"),
            models.CheckConstraint(name="facility_cost_first", condition=Q(month__day=1)),
            models.CheckConstraint(name="facility_cost_positive", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m} {self.kind}"


class StatePayment(models.Model):
    """A payment received from the Land against a claim (for reconciliation)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("eingegangen am"))
    year = models.PositiveSmallIntegerField(_("Jahr"))
    quarter = models.PositiveSmallIntegerField(_("Quartal"), null=True, blank=True)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("Zeichen"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Zahlung des Landes")
        verbose_name_plural = _("Zahlungen des Landes")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                name="state_payment_quarter",
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.quarter or '-'} {self.amount}"


class ClaimRun(models.Model):
    """One computation of a claim (year or quarter) with the page's reconciliation and cost
    side, run in the background (:mod:`ankommen.finance.claim_runner`). ``result`` holds the
    summary the page shows; ``lines`` the claim's lines (gzip-compressed JSON) from which the
    XLSX and PDF downloads are built without computing again."""

    class State(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Jahr"))
    quarter = models.PositiveSmallIntegerField(_("Quartal"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    state = models.CharField(
        _("Status"), max_length=16, choices=State.choices, default=State.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)
    lines = models.BinaryField(default=b"")
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Berechnung eines Erstattungsantrags")
        verbose_name_plural = _("Berechnungen von Erstattungsanträgen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county", "year", "quarter", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}/{self.quarter or '-'} {self.state}"
