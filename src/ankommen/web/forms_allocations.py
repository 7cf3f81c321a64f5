"""Forms for allocation list uploads and the arrival checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Site
from ankommen.housing.services_allocations import MAX_FILE_BYTES
from ankommen.people.models import Vulnerability


class AllocationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Zuweisungsliste (CSV oder XLSX)"),
        help_text=_(
            "Spalten: Zuweisungsnummer, Haushalt, Nachname, Vorname, Geburtsdatum, Geschlecht, "
            "Staatsangehörigkeit, Sprachen, Aufenthaltsstatus, Ankunft, Bedarfe."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )
    county = forms.ModelChoiceField(label=_("Landkreis"), queryset=County.objects.none())

    def __init__(self, *args: Any, counties: list[County], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["county"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = County.objects.filter(pk__in=[c.pk for c in counties])
        self.only_county = counties[0] if len(counties) == 1 else None
        if self.only_county is not None:
            field.initial = self.only_county
            field.required = False
            field.widget = forms.HiddenInput()

    def clean_county(self) -> County | None:
        return self.cleaned_data.get("county") or self.only_county

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (höchstens %(mb)d MB).")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class PlanFacilityForm(forms.Form):
    site: forms.ModelChoiceField[Site] = forms.ModelChoiceField(
        label=_("Geplante Unterkunft"), queryset=Site.objects.none(), required=False
    )

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sites


CATEGORY_CHOICES = Vulnerability.Category.choices
