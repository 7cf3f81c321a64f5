from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("In jeder Schrift; Schreibvarianten wie Mohammed/Muhammad werden gefunden."),
    )


class OTPForm(forms.Form):
    token = forms.RegexField(
        label=_("Sechsstelliger Code aus der Authenticator-App"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Bitte genau sechs Ziffern eingeben.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
