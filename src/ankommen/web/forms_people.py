"""Forms for households and persons.

The forms only turn text into types (dates, choices); the rules live in ``people.services``,
whose ``ValidationError`` the views attach to the fields here (same field names). Every message
is German and names the field; the template shows them next to the field and, as links, in an
error summary at the top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County
from ankommen.people import services
from ankommen.people.models import Consent, Person, ResidenceStatus, Sex, Vulnerability

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Text  # a message, translated now or lazily

DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


@dataclass(frozen=True)
class ErrorLink:
    anchor: str  # id of the input the message belongs to ("" for form-wide messages)
    message: str


@dataclass(frozen=True)
class FieldRow:
    field: forms.BoundField
    required: bool


class PeopleForm(forms.Form):
    """Base form: marks required fields, links errors to inputs, takes service errors."""

    # Fields the services require although the form lets them through empty, so that the
    # service's message (one place for the rule) is what the user reads.
    service_required: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.service_required:
            self.fields[name].widget.attrs["aria-required"] = "true"

    @property
    def rows(self) -> list[FieldRow]:
        return [
            FieldRow(field, field.field.required or field.name in self.service_required)
            for field in self
            if not field.is_hidden
        ]

    @staticmethod
    def anchor(field: forms.BoundField) -> str:
        # Radio buttons have no single input; the first one takes the focus.
        return field.id_for_label or f"{field.auto_id}_0"

    def error_links(self) -> list[ErrorLink]:
        links = [ErrorLink("", str(message)) for message in self.non_field_errors()]
        for field in self:
            links += [ErrorLink(self.anchor(field), str(message)) for message in field.errors]
        return links

    def apply_service_errors(self, error: ValidationError) -> None:
        """Attach a service's ``ValidationError`` to the fields it names."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _date_field(label: Text, *, missing: Text = "", help_text: Text = "") -> forms.DateField:
    """A date typed as TT.MM.JJJJ (ISO accepted too); required when ``missing`` is given."""
    return forms.DateField(
        label=label,
        required=bool(missing),
        input_formats=DATE_FORMATS,
        help_text=help_text or _("TT.MM.JJJJ, z. B. 03.11.2023"),
        widget=forms.DateInput(
            format="%d.%m.%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={
            "required": missing,
            "invalid": format_lazy(
                _("{label}: Bitte ein gültiges Datum im Format TT.MM.JJJJ angeben."), label=label
            ),
        },
    )


def _choice_field(
    label: Text, choices: Any, *, missing: Text = "", unknown: Text, radio: bool = False
) -> forms.ChoiceField:
    """A choice; required when ``missing`` is given. ``unknown`` may use ``%(value)s``."""
    return forms.ChoiceField(
        label=label,
        required=bool(missing),
        choices=choices,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={"required": missing, "invalid_choice": unknown},
    )


class CodeListInput(forms.TextInput):
    """A text input that also accepts several values (as a multi-select or repeated
    parameters send them); the service splits the joined text at commas."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if isinstance(data, MultiValueDict):
            return ", ".join(str(value) for value in data.getlist(name))
        return super().value_from_datadict(data, files, name)


class HouseholdForm(PeopleForm):
    service_required = frozenset({"reference"})

    county = forms.ModelChoiceField(
        label=_("Landkreis"),
        queryset=County.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Bitte den Landkreis auswählen."),
            "invalid_choice": _("Diesen Landkreis gibt es nicht oder er ist für Sie gesperrt."),
        },
    )
    reference = forms.CharField(
        label=_("Haushaltsnummer"),
        required=False,
        strip=False,
        help_text=_("Das Aktenzeichen des Haushalts, z. B. LOS-2025-0042."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, counties: list[County], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(counties) == 1:
            # Nothing to choose: the view uses the one county.
            del self.fields["county"]
        else:
            field = self.fields["county"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = County.objects.filter(pk__in=[c.pk for c in counties])


class PersonForm(PeopleForm):
    service_required = frozenset({"family_name", "birth_date"})

    family_name = forms.CharField(
        label=_("Familienname"),
        required=False,
        strip=False,
        help_text=_(
            "So geschrieben wie im Dokument, in jeder Schrift. Hat die Person nur einen Namen, "
            "steht er hier."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    given_names = forms.CharField(
        label=_("Vorname(n)"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "auto"}),
    )
    birth_date = forms.CharField(
        label=_("Geburtsdatum"),
        required=False,
        help_text=_("TT.MM.JJJJ; unbekannten Tag oder Monat als 00 eintragen, z. B. 00.00.1990."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = _choice_field(
        _("Geschlecht"),
        Sex.choices,
        radio=True,
        missing=_("Bitte das Geschlecht auswählen."),
        unknown=_("Bitte beim Geschlecht eine der angebotenen Angaben wählen (m, w, d oder x)."),
    )
    household_role = _choice_field(
        _("Stellung im Haushalt"),
        Person.HouseholdRole.choices,
        missing=_("Bitte die Stellung im Haushalt auswählen."),
        unknown=_("Bitte eine der angebotenen Stellungen im Haushalt wählen."),
    )
    nationalities = forms.CharField(
        label=_("Staatsangehörigkeit(en)"),
        required=False,
        help_text=_(
            "ISO-Code oder deutscher Name, mehrere durch Komma getrennt, z. B. „SYR, "
            "Afghanistan“; staatenlos: XXA, ungeklärt: XXX (Vorgabe)."
        ),
        widget=CodeListInput(attrs={"autocomplete": "off"}),
    )
    languages = forms.CharField(
        label=_("Sprachen"),
        required=False,
        help_text=_(
            "ISO-639-Code oder deutscher Name, mehrere durch Komma getrennt, die Erstsprache "
            "zuerst, z. B. „Arabisch, kur, Englisch“."
        ),
        widget=CodeListInput(attrs={"autocomplete": "off"}),
    )
    arrived_in_germany_on = _date_field(_("Einreise nach Deutschland"))
    allocated_on = _date_field(_("Zuweisung an den Landkreis"))

    def __init__(self, *args: Any, person: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person  # None when a person is being created

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's rules for the fields that are well-formed, so that one round shows
        # every problem (the service checks them again when it writes).
        values = {name: value for name, value in data.items() if name not in self.errors}
        for name, messages in services.person_problems(values, person=self.person).items():
            self.add_error(name, messages)
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        languages = person.languages.order_by("-is_first_language", "pk")
        return {
            "family_name": person.family_name,
            "given_names": person.given_names,
            "birth_date": person.birth_date.german(),
            "sex": person.sex,
            "household_role": person.household_role,
            "nationalities": ", ".join(n.code for n in person.nationalities.order_by("pk")),
            "languages": ", ".join(language.code for language in languages),
            "arrived_in_germany_on": person.arrived_in_germany_on,
            "allocated_on": person.allocated_on,
        }


class ResidenceStatusForm(PeopleForm):
    kind = _choice_field(
        _("Aufenthaltsstatus"),
        [("", _("– bitte wählen –")), *ResidenceStatus.Kind.choices],
        missing=_("Bitte den Aufenthaltsstatus auswählen."),
        unknown=_("„%(value)s“ ist kein bekannter Aufenthaltsstatus."),
    )
    legal_basis = _choice_field(
        _("Rechtsgrundlage"),
        ResidenceStatus.LegalBasis.choices,
        unknown=_("„%(value)s“ ist keine bekannte Rechtsgrundlage."),
    )
    valid_from = _date_field(_("gültig ab"), missing=_("Bitte angeben, ab wann der Status gilt."))
    valid_to = _date_field(
        _("gültig bis"),
        help_text=_("TT.MM.JJJJ; leer lassen, wenn unbefristet oder noch offen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].help_text = _(
            "Nur bei Aufenthaltserlaubnis und Duldung. Der bisherige Status endet am Vortag."
        )


class VulnerabilityForm(PeopleForm):
    category = _choice_field(
        _("Besondere Schutzbedürftigkeit"),
        [("", _("– bitte wählen –")), *Vulnerability.Category.choices],
        missing=_("Bitte die Art der Schutzbedürftigkeit auswählen."),
        unknown=_("„%(value)s“ ist keine bekannte Kategorie der Schutzbedürftigkeit."),
    )
    noted_on = _date_field(
        _("festgestellt am"), missing=_("Bitte angeben, wann der Bedarf festgestellt wurde.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"noted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ConsentForm(PeopleForm):
    purpose = _choice_field(
        _("Zweck der Einwilligung"),
        [("", _("– bitte wählen –")), *Consent.Purpose.choices],
        missing=_("Bitte den Zweck der Einwilligung auswählen."),
        unknown=_("„%(value)s“ ist kein bekannter Zweck einer Einwilligung."),
    )
    given_on = _date_field(
        _("erteilt am"), missing=_("Bitte angeben, wann die Einwilligung erteilt wurde.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class WithdrawConsentForm(PeopleForm):
    withdrawn_on = _date_field(
        _("widerrufen am"), missing=_("Bitte angeben, wann die Einwilligung widerrufen wurde.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"withdrawn_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
