"""Forms of the casework pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.casework.models import Contact, Goal, Referral, Topic
from ankommen.core.models import Provider

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today() -> object:
    return timezone.localdate()


class OpenCaseForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Träger"), queryset=Provider._base_manager.none(), empty_label=None
    )
    person = forms.TypedChoiceField(
        label=_("Fall für"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Leer lassen: ein Fall für den ganzen Haushalt."),
    )
    opened_on = forms.DateField(label=_("eröffnet am"), widget=DATE_WIDGET, initial=_today)

    def __init__(
        self, *args: object, household: object, members: list[Any], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["provider"].queryset = Provider._base_manager.filter(  # type: ignore[attr-defined]
            county_id=household.county_id  # type: ignore[attr-defined]
        ).order_by("name")
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", _("ganzer Haushalt")),
            *((p.pk, p.full_name) for p in members),
        ]


class ContactForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, initial=_today)
    minutes = forms.IntegerField(label=_("Dauer (Minuten)"), min_value=1, initial=30)
    place = forms.ChoiceField(label=_("Ort"), choices=Contact.Place.choices)
    language = forms.CharField(
        label=_("Sprache"),
        max_length=60,
        help_text=_("ISO-639-3-Code oder Name, z. B. ara, Arabisch, Dari"),
    )
    interpreter = forms.BooleanField(label=_("mit Sprachmittlung"), required=False)
    topics = forms.MultipleChoiceField(
        label=_("Themen"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    note = forms.CharField(
        label=_("Kurznotiz"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confidential_note = forms.CharField(
        label=_("Vertrauliche Notiz"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für die Fachkräfte Ihres Trägers lesbar."),
    )

    def __init__(self, *args: object, county_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (t.code, t.label) for t in Topic.objects.filter(county_id=county_id, active=True)
        ]


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Angebot"), choices=Referral.Service.choices)
    recipient = forms.CharField(label=_("Stelle"), max_length=200, required=False)
    sent_on = forms.DateField(label=_("vermittelt am"), widget=DATE_WIDGET, initial=_today)
    follow_up_on = forms.DateField(label=_("Wiedervorlage"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("Kurznotiz"), max_length=500, required=False)


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=Referral.Status.choices)
    follow_up_on = forms.DateField(label=_("Wiedervorlage"), widget=DATE_WIDGET, required=False)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=Goal.Status.choices)
    target_on = forms.DateField(label=_("Zieldatum"), widget=DATE_WIDGET, required=False)


class GoalForm(forms.Form):
    field = forms.ChoiceField(label=_("Handlungsfeld"), choices=Goal.Field.choices)
    title = forms.CharField(label=_("Ziel"), max_length=200)
    target_on = forms.DateField(label=_("Zieldatum"), widget=DATE_WIDGET, required=False)
    status = forms.ChoiceField(label=_("Stand"), choices=Goal.Status.choices)
    referral = forms.TypedChoiceField(
        label=_("Weitervermittlung"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: object, referrals: list[Referral], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["referral"].choices = [  # type: ignore[attr-defined]
            ("", _("keine")),
            *((r.pk, f"{r.get_service_display()} ({r.sent_on:%d.%m.%Y})") for r in referrals),
        ]


class AssignForm(forms.Form):
    caseworker = forms.TypedChoiceField(label=_("Fachkraft"), coerce=int)
    day = forms.DateField(label=_("ab"), widget=DATE_WIDGET, initial=_today)
    hand_over = forms.BooleanField(
        label=_("Übergabe: bisherige Zuordnungen enden am Vortag"), required=False
    )

    def __init__(self, *args: object, caseworkers: list[Any], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["caseworker"].choices = [  # type: ignore[attr-defined]
            (u.pk, str(u)) for u in caseworkers
        ]
