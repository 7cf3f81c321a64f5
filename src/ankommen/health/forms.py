"""Forms of the health pages: they only turn input into types; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.algorithms import rhs
from ankommen.health.models import (
    CareRoute,
    ConsultationHour,
    Examination,
    InstrumentText,
    Referral,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _today() -> Any:
    return timezone.localdate()


class ExaminationForm(forms.Form):
    examined_on = forms.DateField(label=_("untersucht am"), widget=DATE, initial=_today)
    result = forms.ChoiceField(label=_("Ergebnis"), choices=Examination.Result.choices)
    follow_up_needed = forms.BooleanField(label=_("Nachuntersuchung nötig"), required=False)
    notes = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VaccinationForm(forms.Form):
    vaccine = forms.CharField(label=_("Impfung"), max_length=120)
    offered_on = forms.DateField(label=_("angeboten am"), widget=DATE, initial=_today)
    given_on = forms.DateField(label=_("verabreicht am"), widget=DATE, required=False)
    declined = forms.BooleanField(label=_("abgelehnt"), required=False)


class ConditionForm(forms.Form):
    details = forms.CharField(
        label=_("Erkrankung (Angaben)"),
        help_text=_("Nur Gesundheitsrollen sehen diese Angaben; andere sehen nur den Bedarf."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    noted_on = forms.DateField(label=_("erfasst am"), widget=DATE, initial=_today)


class ReferralForm(forms.Form):
    to = forms.CharField(label=_("an (Praxis, Therapie, Beratungsstelle)"), max_length=200)
    reason = forms.CharField(label=_("Anlass"), required=False, max_length=500)
    status = forms.ChoiceField(
        label=_("Status"), choices=Referral.Status.choices, initial=Referral.Status.SENT
    )
    follow_up_on = forms.DateField(label=_("nachfassen am"), widget=DATE, required=False)


class CareRouteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Zugang"), choices=CareRoute.Kind.choices)
    insurer = forms.CharField(label=_("Krankenkasse"), required=False, max_length=120)
    valid_from = forms.DateField(label=_("gültig ab"), widget=DATE, initial=_today)


class ConsultationHourForm(forms.Form):
    specialty = forms.ChoiceField(
        label=_("Fachrichtung"), choices=ConsultationHour.Specialty.choices
    )
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DATETIME)
    places = forms.IntegerField(label=_("Termine"), min_value=1, max_value=50, initial=6)


class BookingForm(forms.Form):
    hour = forms.ModelChoiceField(label=_("Sprechstunde"), queryset=ConsultationHour.objects.none())
    interpreter_language = forms.CharField(
        label=_("Sprachmittlung (Sprachcode, leer: keine)"), required=False, max_length=3
    )
    reason = forms.CharField(label=_("Anliegen"), required=False, max_length=300)

    def __init__(self, *args: Any, hours: list[ConsultationHour], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hour"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ConsultationHour.objects.filter(pk__in=[h.pk for h in hours])
        field.label_from_instance = lambda obj: f"{obj} – {obj.site.name}"  # type: ignore[method-assign]


class ScreeningForm(forms.Form):
    """The items of whatever text the county loaded, in its language and direction."""

    instrument = forms.ChoiceField(label=_("Instrument"))
    screened_on = forms.DateField(label=_("durchgeführt am"), widget=DATE, initial=_today)
    interpreter = forms.BooleanField(label=_("mit Sprachmittlung"), required=False)

    def __init__(self, *args: Any, text: InstrumentText, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text = text
        codes = rhs.SERVES[text.instrument]
        self.fields["instrument"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]
        self.fields["instrument"].initial = codes[0]
        scale = [(str(v), label) for v, label in text.content["scale"]]
        self.item_fields: list[str] = []
        for number, item_text in text.content["items"]:
            name = f"item_{number}"
            if number == rhs.THERMOMETER_ITEM:
                choices = [(str(v), str(v)) for v in rhs.THERMOMETER_VALUES]
            else:
                choices = scale
            self.fields[name] = forms.TypedChoiceField(
                label=item_text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
            self.item_fields.append(name)

    @property
    def items(self) -> list[forms.BoundField]:
        return [self[name] for name in self.item_fields]

    def answers(self) -> dict[int, int]:
        """Answers of the items the chosen instrument uses (the service reports gaps)."""
        code = self.cleaned_data["instrument"]
        wanted = rhs.INSTRUMENTS[code].item_numbers
        return {
            number: self.cleaned_data[f"item_{number}"]
            for number in wanted
            if self.cleaned_data.get(f"item_{number}") not in (None, "")
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]
