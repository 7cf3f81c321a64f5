"""Forms of the intake-planning pages (German labels; the services validate again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.housing.forms import DATE_WIDGET
from ankommen.planning.models_intake import Factor, Stream

#: Largest series file accepted from the page and the API (bytes).
MAX_SERIES_BYTES = 200_000


class SeriesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"), help_text=_("Kopfzeile month,value; ein Monat je Zeile, JJJJ-MM.")
    )
    name = forms.CharField(label=_("Name der Reihe"), max_length=120)
    source = forms.CharField(label=_("Quelle"), max_length=400, required=False)
    stream = forms.ChoiceField(
        label=_("Speist den Strom"),
        choices=[("", _("keinen (nur speichern)")), *Stream.choices],
        required=False,
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SERIES_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 200 kB."))
        return bytes(upload.read())


class ChainLinkForm(forms.Form):
    stream = forms.ChoiceField(label=_("Strom"), choices=Stream.choices)
    factor = forms.ChoiceField(label=_("Faktor"), choices=Factor.choices)
    valid_from = forms.DateField(label=_("gültig ab"), widget=DATE_WIDGET)
    value = forms.CharField(
        label=_("Wert"),
        max_length=20,
        help_text=_("Anteile in Prozent (z. B. 3,03655), die Verzögerung in ganzen Monaten."),
    )
    source = forms.CharField(label=_("Quelle"), max_length=400)
    verified = forms.BooleanField(label=_("Quelle geprüft"), required=False)


class QuotaForm(forms.Form):
    year = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100)
    quota = forms.IntegerField(label=_("Aufnahmesoll (Personen)"), min_value=0)
    source = forms.CharField(label=_("Quelle"), max_length=400)
    verified = forms.BooleanField(label=_("Quelle geprüft"), required=False)


class YearForm(forms.Form):
    jahr = forms.IntegerField(label=_("Jahr"), min_value=2000, max_value=2100, required=False)
