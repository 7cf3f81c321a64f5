from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.finance.models import HousingKind, RuleKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's German error on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class PeriodForm(forms.Form):
    """Which claim the page shows: a year, optionally one quarter."""

    jahr = forms.IntegerField(label=_("Jahr"), min_value=2016, max_value=2100, required=False)
    quartal = forms.TypedChoiceField(
        label=_("Quartal"),
        choices=[("", _("ganzes Jahr")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def year(self) -> int:
        value = self.cleaned_data.get("jahr") if self.is_valid() else None
        return value or timezone.localdate().year - 1

    def quarter(self) -> int | None:
        return self.cleaned_data.get("quartal") if self.is_valid() else None


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art"), choices=RuleKind.choices)
    housing = forms.ChoiceField(
        label=_("Unterbringung"),
        choices=HousingKind.choices,
        required=False,
        help_text=_("Nur bei der Jahrespauschale je Leistungsberechtigten."),
    )
    valid_from = forms.DateField(label=_("gültig ab"), widget=DATE_WIDGET)
    amount = forms.DecimalField(
        label=_("Betrag (€)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Leer bei Erstattung nach Kosten (Gesundheit, Anrechnung)."),
    )
    paragraph = forms.CharField(label=_("Rechtsgrundlage"), max_length=200)
    source = forms.CharField(
        label=_("Quelle"), max_length=300, help_text=_("Fundstelle, z. B. Amtsblatt und Seite.")
    )
    note = forms.CharField(label=_("Hinweis"), max_length=300, required=False)


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=_("eingegangen am"), widget=DATE_WIDGET)
    year = forms.IntegerField(label=_("für das Jahr"), min_value=2016, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quartal"),
        choices=[("", _("ganzes Jahr")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    amount = forms.DecimalField(label=_("Betrag (€)"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("Zeichen"), max_length=80, required=False)
