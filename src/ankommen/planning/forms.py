"""Forms of the planning page. They only shape the input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Site
from ankommen.housing.models import ACCOMMODATION_KINDS
from ankommen.planning.models import CapacityChange
from ankommen.planning.plan import DEFAULT_RISK, RISKS

MONTH_WIDGET = forms.TextInput(attrs={"type": "month", "placeholder": "JJJJ-MM"})
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name des Szenarios"), max_length=120)
    description = forms.CharField(label=_("Beschreibung"), max_length=500, required=False)


def _site_choices(county: County) -> list[tuple[str, str]]:
    sites = Site._base_manager.filter(county=county, kind__in=ACCOMMODATION_KINDS).order_by("name")
    return [("", "–"), *((str(site.pk), site.name) for site in sites)]


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Art der Änderung"), choices=CapacityChange.Kind.choices)
    month = forms.CharField(
        label=_("ab Monat"), help_text=_("JJJJ-MM"), max_length=7, widget=MONTH_WIDGET
    )
    factor = forms.CharField(
        label=_("Faktor für die Zuweisungen"),
        required=False,
        help_text=_("Nur bei „Zuweisungen × Faktor“, z. B. 2 oder 0,5"),
    )
    places = forms.IntegerField(
        label=_("Plätze"), required=False, min_value=0, help_text=_("Nur beim Eröffnen")
    )
    family_places = forms.IntegerField(label=_("davon Familienzimmer"), required=False, min_value=0)
    barrier_free_places = forms.IntegerField(
        label=_("davon barrierefrei"), required=False, min_value=0
    )
    women_only_places = forms.IntegerField(
        label=_("davon nur für Frauen"), required=False, min_value=0
    )
    site = forms.ChoiceField(
        label=_("Unterkunft"), required=False, help_text=_("Nur beim Schließen")
    )
    persons = forms.IntegerField(
        label=_("Zusätzliche Personen"),
        required=False,
        min_value=0,
        help_text=_("Nur bei zusätzlichen Personen, z. B. nach § 24 AufenthG"),
    )
    spread_months = forms.IntegerField(
        label=_("verteilt auf Monate"), required=False, min_value=1, initial=1
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)

    def __init__(self, *args: object, county: County, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].choices = _site_choices(county)  # type: ignore[attr-defined]


class CostForm(forms.Form):
    site = forms.ChoiceField(
        label=_("Unterkunft"), required=False, help_text=_("Leer: Standardwert des Landkreises")
    )
    monthly_per_place = forms.CharField(label=_("Kosten je Platz und Monat (€)"), max_length=14)
    valid_from = forms.DateField(label=_("gültig ab"), widget=DATE_WIDGET)
    source = forms.CharField(
        label=_("Quelle"),
        max_length=300,
        help_text=_("Woher der Betrag stammt: Vertrag, Haushaltsplan, Schätzung"),
    )
    note = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)

    def __init__(self, *args: object, county: County, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["site"].choices = _site_choices(county)  # type: ignore[attr-defined]


class PlanOptionsForm(forms.Form):
    """What the results show: the accepted shortage risk and the scenarios compared."""

    risiko = forms.TypedChoiceField(
        label=_("Akzeptiertes Mangelrisiko"),
        choices=[(str(r), f"{round(r * 100)} %") for r in RISKS],
        coerce=float,
        required=False,
        empty_value=None,
    )

    def risk(self) -> float:
        if self.is_valid():
            value = self.cleaned_data.get("risiko")
            if isinstance(value, float):
                return value
        return DEFAULT_RISK
