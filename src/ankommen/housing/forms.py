from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County, Site
from ankommen.housing.models import Bed, Feature, Move, Room
from ankommen.housing.selectors import MAX_SERIES_WEEKS, SERIES_WEEKS
from ankommen.housing.services import MAX_BEDS_PER_ROOM, MOVE_OUT_REASONS, TRANSFER_REASONS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's German ``ValidationError`` on the form: on the field it names if the
    form has that field, else above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class DayForm(forms.Form):
    """The day a dashboard shows, and how many weeks its chart covers."""

    tag = forms.DateField(label=_("Stichtag"), required=False, widget=DATE_WIDGET)
    wochen = forms.IntegerField(
        label=_("Wochen im Verlauf"),
        required=False,
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
    )

    def day(self) -> date:
        value = self.cleaned_data.get("tag") if self.is_valid() else None
        return value or timezone.localdate()

    def weeks(self) -> int:
        value = self.cleaned_data.get("wochen") if self.is_valid() else None
        return value or SERIES_WEEKS


class RoomForm(forms.Form):
    number = forms.CharField(label=_("Zimmernummer"), max_length=20)
    floor = forms.CharField(label=_("Etage"), max_length=20, required=False)
    beds = forms.IntegerField(label=_("Betten"), min_value=0, max_value=MAX_BEDS_PER_ROOM)
    area_m2 = forms.DecimalField(
        label=_("Wohnfläche (m²)"), required=False, min_value=1, max_digits=6, decimal_places=2
    )
    barrier_free = forms.BooleanField(label=_("barrierefrei"), required=False)
    women_only = forms.BooleanField(label=_("nur für Frauen"), required=False)
    valid_from = forms.DateField(label=_("nutzbar ab"), widget=DATE_WIDGET, initial=timezone.now)


class FeaturesForm(forms.Form):
    features = forms.MultipleChoiceField(
        label=_("Merkmale"),
        choices=Feature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class BedStateForm(forms.Form):
    state = forms.ChoiceField(label=_("Zustand"), choices=Bed.State.choices)
    day = forms.DateField(label=_("ab"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Grund"), max_length=300, required=False)


def _room_label(room: Room) -> str:
    flags = []
    if room.barrier_free:
        flags.append(str(_("barrierefrei")))
    if room.women_only:
        flags.append(str(_("nur Frauen")))
    occupants = getattr(room, "occupants", 0)
    text = _("%(site)s, Zimmer %(number)s: %(free)d frei, %(occupants)d belegt") % {
        "site": room.site.name,
        "number": room.number,
        "free": getattr(room, "free", 0),
        "occupants": occupants,
    }
    return f"{text} ({', '.join(flags)})" if flags else text


class RoomChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Room) -> str:
        return _room_label(obj)


class MoveForm(forms.Form):
    rooms = RoomChoiceField(
        label=_("Zimmer"),
        queryset=Room.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ein oder mehrere Zimmer einer Unterkunft; die Betten werden zugeteilt."),
    )
    day = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(label=_("Grund"))
    note = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)

    def __init__(self, *args: object, rooms: Iterable[Room], first_move: bool, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = list(rooms)
        field = self.fields["rooms"]
        assert isinstance(field, RoomChoiceField)
        field.queryset = Room.objects.filter(pk__in=[room.pk for room in choices])
        # Keep the annotations (free beds, occupants) of the rooms passed in for the labels.
        field.choices = [(room.pk, _room_label(room)) for room in choices]
        reasons = [Move.Reason.ALLOCATION] if first_move else sorted(TRANSFER_REASONS)
        reason_field = self.fields["reason"]
        assert isinstance(reason_field, forms.ChoiceField)
        reason_field.choices = [(code, Move.Reason(code).label) for code in reasons]


class MoveOutForm(forms.Form):
    day = forms.DateField(label=_("Auszugstag"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(
        label=_("Grund"),
        choices=[(code, Move.Reason(code).label) for code in MOVE_OUT_REASONS],
    )
    flat: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Wohnung des Landkreises"),
        queryset=Site.objects.none(),
        required=False,
        help_text=_("Leer lassen bei eigener Wohnung oder Wegzug."),
    )
    note = forms.CharField(
        label=_("Bemerkung"),
        max_length=300,
        required=False,
        help_text=_("z. B. neue Anschrift"),
    )

    def __init__(self, *args: object, flats: Iterable[Site], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["flat"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Site._base_manager.filter(pk__in=[site.pk for site in flats])


class ReadinessForm(forms.Form):
    day = forms.DateField(label=_("seit"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Bemerkung"), max_length=300, required=False)


class PlacementWindowForm(forms.Form):
    county = forms.ModelChoiceField(label=_("Landkreis"), queryset=County.objects.none())
    window_from = forms.DateField(label=_("Ankunft ab"), widget=DATE_WIDGET)
    window_to = forms.DateField(label=_("Ankunft bis"), widget=DATE_WIDGET)

    def __init__(self, *args: object, counties: Iterable[County], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["county"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = County.objects.filter(pk__in=[county.pk for county in counties])
        field.empty_label = None
