"""API serializers. Read serializers render rows; write serializers only turn JSON into types
and hand the values to ``people.services``, which check access, validate (German messages keyed
by the same field names) and write. The problem-details handler turns a service's
``ValidationError`` into a 400 with ``errors: [{field, message}]``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, User
from ankommen.people import selectors, services
from ankommen.people.models import (
    Consent,
    Household,
    Person,
    ResidenceStatus,
    Sex,
    Vulnerability,
)

DATE_INPUT_FORMATS = ["iso-8601", "%d.%m.%Y"]
MAX_LIST_ITEMS = 50  # raw items per list, before the services' own limits


def _actor(serializer: serializers.BaseSerializer[Any]) -> User:
    user = serializer.context["request"].user
    assert isinstance(user, User)  # the API requires authentication
    return user


class PersonSerializer(serializers.ModelSerializer[Person]):
    birth_date = serializers.SerializerMethodField(
        help_text="Geburtsdatum JJJJ-MM-TT; unbekannter Tag oder Monat als 00 (1990-00-00)."
    )
    birth_date_german = serializers.SerializerMethodField(
        help_text="Geburtsdatum TT.MM.JJJJ wie in deutschen Dokumenten, unbekannte Teile als 00."
    )
    nationalities = serializers.SerializerMethodField(
        help_text="ISO 3166-1 alpha-3; XXA staatenlos, XXX ungeklärt."
    )
    languages = serializers.SerializerMethodField(help_text="ISO 639-3, die Erstsprache zuerst.")

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "household_role",
            "family_name",
            "given_names",
            "birth_date",
            "birth_date_german",
            "sex",
            "nationalities",
            "languages",
            "arrived_in_germany_on",
            "allocated_on",
        ]

    def get_birth_date(self, person: Person) -> str:
        return person.birth_date.iso()

    def get_birth_date_german(self, person: Person) -> str:
        return person.birth_date.german()

    def get_nationalities(self, person: Person) -> list[str]:
        return [n.code for n in person.nationalities.all()]

    def get_languages(self, person: Person) -> list[str]:
        ordered = sorted(person.languages.all(), key=lambda x: (not x.is_first_language, x.pk))
        return [language.code for language in ordered]


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    members = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "reference", "members"]


class StrictSerializer(serializers.Serializer[Any]):
    # Rejects fields it does not know, so that a typo is an error and not silently lost.
    # (A comment, not a docstring: docstrings become descriptions in the API schema.)

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[Any]] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                str(name)[:60]: [_("Unbekanntes Feld.")] for name in data if name not in writable
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**unknown, **error.detail}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def _date(
    label: str, *, required: bool = False, missing: Any = "", **kwargs: Any
) -> serializers.DateField:
    messages: dict[str, Any] = {
        "invalid": format_lazy(
            _("{label}: Bitte ein gültiges Datum im Format JJJJ-MM-TT angeben."), label=label
        )
    }
    if missing:
        messages["required"] = messages["null"] = missing
    return serializers.DateField(
        required=required,
        allow_null=not required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=f"{label} (JJJJ-MM-TT oder TT.MM.JJJJ).",
        error_messages=messages,
        **kwargs,
    )


class _ChoiceField(serializers.ChoiceField):
    """A choice whose error message quotes at most 40 characters of the input."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            self.fail("invalid_choice", input=str(data)[:40])


def _choice(
    choices: Any, *, unknown: Any, missing: Any = "", help_text: str = "", **kwargs: Any
) -> serializers.ChoiceField:
    messages: dict[str, Any] = {"invalid_choice": unknown}
    if missing:
        messages["required"] = messages["null"] = messages["blank"] = missing
    return _ChoiceField(choices=choices, error_messages=messages, help_text=help_text, **kwargs)


def _text(help_text: str, *, missing: Any = "", required: bool = True) -> serializers.CharField:
    # Blank values pass to the service, whose message names the field.
    messages: dict[str, Any] = {"invalid": _("Bitte einen Text angeben.")}
    if missing:
        messages["required"] = messages["null"] = missing
    return serializers.CharField(
        required=required,
        allow_blank=True,
        trim_whitespace=False,
        help_text=help_text,
        error_messages=messages,
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodeListField(serializers.Field[list[str], list[str], list[str], Any]):
    # A list of codes or German names; a comma-separated string is accepted too.

    default_error_messages = {
        "invalid": _(
            'Bitte eine Liste von Codes oder Namen angeben, z. B. ["SYR", "Afghanistan"].'
        ),
        "too_long": _("Bitte höchstens {max} Einträge angeben."),
    }

    def to_internal_value(self, data: Any) -> list[str]:
        items = [data] if isinstance(data, str) else data
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.fail("invalid")
        if len(items) > MAX_LIST_ITEMS:
            self.fail("too_long", max=MAX_LIST_ITEMS)
        return list(items)

    def to_representation(self, value: list[str]) -> list[str]:
        return list(value)


def _person_fields(*, create: bool) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return {
        "family_name": _text(
            "Familienname wie geschrieben, jede Schrift; bei nur einem Namen steht er hier.",
            missing=_("Bitte einen Familiennamen angeben.") if create else "",
            required=create,
        ),
        "given_names": _text("Vorname(n), darf leer sein.", required=False),
        "birth_date": _text(
            "Geburtsdatum JJJJ-MM-TT oder TT.MM.JJJJ; unbekannte Teile als 00.",
            missing=_("Bitte das Geburtsdatum angeben (unbekannte Teile als 00).")
            if create
            else "",
            required=create,
        ),
        "sex": _choice(
            Sex.choices,
            unknown=_("„{input}“ ist keine gültige Angabe zum Geschlecht (m, w, d oder x)."),
            missing=_("Bitte das Geschlecht angeben (m, w, d oder x).") if create else "",
            required=create,
        ),
        "household_role": _choice(
            Person.HouseholdRole.choices,
            unknown=_("„{input}“ ist keine bekannte Stellung im Haushalt."),
            required=False,
        ),
        "nationalities": CodeListField(
            required=False,
            help_text="ISO 3166-1 alpha-3 oder deutscher Name; XXA staatenlos, XXX ungeklärt "
            "(Vorgabe).",
        ),
        "languages": CodeListField(
            required=False,
            help_text="ISO 639 (-1, -2 oder -3) oder deutscher Name; die Erstsprache zuerst.",
        ),
        "arrived_in_germany_on": _date("Einreise nach Deutschland"),
        "allocated_on": _date("Zuweisung an den Landkreis"),
    }


class PersonCreateSerializer(StrictSerializer):
    """Eine Person in einem Haushalt anlegen. Unbekannte Felder werden abgelehnt."""

    household = serializers.IntegerField(
        help_text="ID eines Haushalts, den Sie ändern dürfen.",
        error_messages={
            "required": _("Bitte den Haushalt angeben."),
            "invalid": _("Bitte die ID eines Haushalts angeben."),
        },
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {**super().get_fields(), **_person_fields(create=True)}

    def validate_household(self, value: int) -> Household:
        household = (
            selectors.households_visible_to(actor=self.context["request"].user)
            .filter(pk=value)
            .first()
        )
        if household is None:
            raise serializers.ValidationError(
                _("Diesen Haushalt gibt es nicht oder er ist für Sie nicht sichtbar.")
            )
        return household

    def create(self, validated_data: dict[str, Any]) -> Person:
        return services.create_person(actor=_actor(self), **validated_data)


class PersonUpdateSerializer(StrictSerializer):
    """Nur die gesendeten Felder ändern sich; das Protokoll nennt die geänderten Felder, nicht
    ihre Werte. Unbekannte Felder werden abgelehnt."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {**super().get_fields(), **_person_fields(create=False)}

    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        return services.update_person(actor=_actor(self), person=instance, **validated_data)


class HouseholdCreateSerializer(StrictSerializer):
    """Einen Haushalt anlegen. Unbekannte Felder werden abgelehnt."""

    county = serializers.SlugField(
        required=False,
        help_text="Kürzel des Landkreises; nur nötig, wenn Sie in mehreren Landkreisen "
        "Haushalte anlegen dürfen.",
        error_messages={"invalid": _("Bitte das Kürzel eines Landkreises angeben.")},
    )
    reference = _text(
        "Haushaltsnummer (Aktenzeichen), eindeutig im Landkreis.",
        missing=_("Bitte eine Haushaltsnummer angeben."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        counties = access.counties_for(self.context["request"].user, Action.CREATE_PERSON)
        slug = attrs.get("county")
        if slug is None:
            if len(counties) != 1:
                raise serializers.ValidationError(
                    {"county": _("Bitte den Landkreis angeben (Kürzel).")}
                )
            attrs["county"] = counties[0]
            return attrs
        chosen = [county for county in counties if county.slug == slug]
        if not chosen:
            raise serializers.ValidationError(
                {"county": _("Diesen Landkreis gibt es nicht oder Sie dürfen dort nichts anlegen.")}
            )
        attrs["county"] = chosen[0]
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Household:
        county: County = validated_data["county"]
        return services.create_household(
            actor=_actor(self), county=county, reference=validated_data["reference"]
        )


class ResidenceStatusSerializer(StrictSerializer):
    """Ein Zeitraum eines Aufenthaltstitels oder einer Bescheinigung."""

    id = serializers.IntegerField(read_only=True)
    kind = _choice(
        ResidenceStatus.Kind.choices,
        unknown=_("„{input}“ ist kein bekannter Aufenthaltsstatus."),
        missing=_("Bitte den Aufenthaltsstatus angeben."),
    )
    legal_basis = _choice(
        ResidenceStatus.LegalBasis.choices,
        unknown=_("„{input}“ ist keine bekannte Rechtsgrundlage."),
        required=False,
        allow_blank=True,
        help_text="Nur bei Aufenthaltserlaubnis (z. B. 24, 25.2.1) und Duldung (60a, 60c, 60d).",
    )
    valid_from = _date("gültig ab", required=True, missing=_("Bitte den Beginn angeben."))
    valid_to = _date("gültig bis")

    def create(self, validated_data: dict[str, Any]) -> ResidenceStatus:
        return services.record_residence_status(
            actor=_actor(self), person=self.context["person"], **validated_data
        )


class VulnerabilitySerializer(StrictSerializer):
    """Besondere Schutzbedürftigkeit (Art. 21 RL 2013/33/EU)."""

    id = serializers.IntegerField(read_only=True)
    category = _choice(
        Vulnerability.Category.choices,
        unknown=_("„{input}“ ist keine bekannte Kategorie der Schutzbedürftigkeit."),
        missing=_("Bitte die Kategorie angeben."),
        help_text="Kategorie nach Art. 21 RL 2013/33/EU (Art. 24 RL (EU) 2024/1346).",
    )
    noted_on = _date(
        "festgestellt am", required=True, missing=_("Bitte das Datum angeben."), source="valid_from"
    )
    ended_on = serializers.DateField(source="valid_to", read_only=True, allow_null=True)

    def create(self, validated_data: dict[str, Any]) -> Vulnerability:
        return services.record_vulnerability(
            actor=_actor(self),
            person=self.context["person"],
            category=validated_data["category"],
            noted_on=validated_data["valid_from"],
        )


class ConsentSerializer(StrictSerializer):
    """Einwilligung in einen Zweck der Verarbeitung, widerrufbar."""

    id = serializers.IntegerField(read_only=True)
    purpose = _choice(
        Consent.Purpose.choices,
        unknown=_("„{input}“ ist kein bekannter Zweck einer Einwilligung."),
        missing=_("Bitte den Zweck angeben."),
    )
    given_on = _date("erteilt am", required=True, missing=_("Bitte das Datum angeben."))
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)

    def create(self, validated_data: dict[str, Any]) -> Consent:
        return services.record_consent(
            actor=_actor(self), person=self.context["person"], **validated_data
        )


class ConsentWithdrawalSerializer(StrictSerializer):
    """Widerruf einer Einwilligung."""

    withdrawn_on = _date(
        "widerrufen am", required=True, missing=_("Bitte das Datum des Widerrufs angeben.")
    )

    def update(self, instance: Consent, validated_data: dict[str, Any]) -> Consent:
        return services.withdraw_consent(actor=_actor(self), consent=instance, **validated_data)


class FieldErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="Name des Feldes (oder non_field_errors).")
    message = serializers.CharField(help_text="Deutsche Meldung, die das Problem benennt.")


class ProblemSerializer(serializers.Serializer[Any]):
    """Fehler als RFC 9457 Problem Details (application/problem+json)."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # ``errors`` is built here: as a class attribute it would hide ``Serializer.errors``.
        return {
            "type": serializers.CharField(),
            "title": serializers.CharField(),
            "status": serializers.IntegerField(),
            "detail": serializers.CharField(),
            "errors": FieldErrorSerializer(
                many=True, required=False, help_text="Nur bei 400: ein Eintrag je Problem."
            ),
        }
