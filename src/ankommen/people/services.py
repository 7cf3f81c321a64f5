"""Writes on persons and households. One function per use case; each checks access, validates,
writes in one transaction and records an audit event.

Validation collects every problem it finds and raises one ``ValidationError`` keyed by field
(the same keys the forms and the API use), with German messages that name the field. Nothing is
written when it raises.

Rules for dates (the same for people and for the system, e.g. imports):

- a date of birth may lack day or month, but cannot lie in the future;
- arrival, allocation, status, vulnerability and consent dates cannot lie in the future and
  cannot lie before the earliest possible date of birth;
- the allocation to the county cannot lie before the arrival in Germany;
- a residence status starts at most today; it may end in the future (a permit's expiry date).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.codes import CodeError, language_code, nationality_code
from ankommen.algorithms.names import name_keys
from ankommen.algorithms.partial_dates import PartialDate, PartialDateError, parse_partial_date
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people.models import (
    Consent,
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
    Sex,
    Vulnerability,
)

if TYPE_CHECKING:
    from ankommen.core.models import County, Provider, Site, User

MAX_NATIONALITIES = 10
MAX_LANGUAGES = 20
REFERENCE_MAX_LENGTH = Household._meta.get_field("reference").max_length or 40

_B = ResidenceStatus.LegalBasis
# Which legal bases fit which kind of status (AufenthG: §§ 60a, 60c, 60d are Duldungen, the
# other listed paragraphs grant an Aufenthaltserlaubnis). Other kinds carry no legal basis here.
LEGAL_BASES_BY_KIND: dict[str, frozenset[str]] = {
    ResidenceStatus.Kind.RESIDENCE_PERMIT: frozenset(
        set(_B.values) - {_B.NONE, _B.P60A, _B.P60C, _B.P60D}
    ),
    ResidenceStatus.Kind.DULDUNG: frozenset({_B.P60A, _B.P60C, _B.P60D}),
}
del _B


class Keep(Enum):
    """Marker for ``update_person``: leave this field as it is."""

    KEEP = "keep"


KEEP: Literal[Keep.KEEP] = Keep.KEEP

_LIST_SEPARATORS = re.compile(r"[,;\n]")


class _Errors:
    """Collects messages per field, so that a form shows every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {field: [ValidationError(m) for m in msgs] for field, msgs in self.by_field.items()}
            )


def _today() -> date:
    return timezone.localdate()


# Zero-width (non-)joiners are part of correct spelling in Persian and Indic scripts.
_ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")


def _has_forbidden_characters(text: str) -> bool:
    # Angle and curly brackets never occur in names. Other invisible characters (controls,
    # direction overrides, private use, unassigned) spoof or break exports. Whitespace was
    # already collapsed by the caller.
    return any(
        ch in "<>{}"
        or (unicodedata.category(ch).startswith("C") and ch not in _ALLOWED_FORMAT_CHARACTERS)
        for ch in text
    )


def _clean_name(value: str, field: str, errors: _Errors, *, label: str, required: bool) -> str:
    """``label`` is the field's German name with article, as it starts a sentence."""
    name = unicodedata.normalize("NFC", " ".join(str(value).split()))
    if required and not name:
        errors.add(
            field,
            _(
                "Bitte einen Familiennamen angeben. Hat die Person nur einen Namen, gehört er in "
                "dieses Feld."
            ),
        )
        return name
    limit = settings.ANKOMMEN_NAME_MAX_LENGTH
    if len(name) > limit:
        errors.add(
            field,
            _("%(label)s ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
            % {"label": label, "n": len(name), "max": limit},
        )
    elif _has_forbidden_characters(name):
        errors.add(
            field,
            _("%(label)s enthält unzulässige Zeichen (< > { } oder Steuerzeichen).")
            % {"label": label},
        )
    return name


def _clean_birth_date(value: str | PartialDate, errors: _Errors) -> PartialDate | None:
    if isinstance(value, PartialDate):
        born = value
    else:
        try:
            born = parse_partial_date(str(value))
        except PartialDateError as error:
            errors.add("birth_date", _("Das Geburtsdatum ist ungültig: %(e)s") % {"e": error})
            return None
    if born.earliest() > _today():
        errors.add("birth_date", _("Das Geburtsdatum liegt in der Zukunft."))
        return None
    return born


def _split(values: Sequence[str] | str) -> list[str]:
    items = [values] if isinstance(values, str) else list(values)
    return [part.strip() for item in items for part in _LIST_SEPARATORS.split(str(item))]


def _clean_codes(
    values: Sequence[str] | str,
    convert: Callable[[str], str],
    field: str,
    errors: _Errors,
    *,
    limit: int,
    too_many: str,
) -> list[str]:
    codes: list[str] = []
    items = [value for value in _split(values) if value]
    if len(items) > 2 * limit:  # far too many: say so once instead of checking each
        errors.add(field, too_many % {"max": limit})
        return codes
    for value in items:
        try:
            code = convert(value)
        except CodeError as error:
            errors.add(field, str(error))
            continue
        if code not in codes:
            codes.append(code)
    if len(codes) > limit:
        errors.add(field, too_many % {"max": limit})
    return codes


def _clean_day(
    value: date | None,
    field: str,
    errors: _Errors,
    *,
    label: str,
    born: PartialDate | None,
    allow_future: bool = False,
) -> None:
    """A fact's date: not in the future (unless allowed), not before the person was born."""
    if value is None:
        return
    if not allow_future and value > _today():
        errors.add(field, _("%(label)s liegt in der Zukunft.") % {"label": label})
    elif born is not None and value < born.earliest():
        errors.add(field, _("%(label)s liegt vor dem Geburtsdatum.") % {"label": label})


def refresh_name_keys(person: Person) -> None:
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=person, key=key)
        for key in sorted(name_keys(person.family_name, person.given_names))
    )


@transaction.atomic
def create_household(*, actor: User | None, county: County, reference: str) -> Household:
    if actor is not None:
        access.require(actor, Action.CREATE_PERSON, county)
    reference = " ".join(str(reference).split())
    errors = _Errors()
    if not reference:
        errors.add("reference", _("Bitte eine Haushaltsnummer angeben."))
    elif len(reference) > REFERENCE_MAX_LENGTH:
        errors.add(
            "reference",
            _("Die Haushaltsnummer ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
            % {"n": len(reference), "max": REFERENCE_MAX_LENGTH},
        )
    elif _has_forbidden_characters(reference):
        errors.add(
            "reference",
            _("Die Haushaltsnummer enthält unzulässige Zeichen (< > { } oder Steuerzeichen)."),
        )
    elif Household._base_manager.filter(county=county, reference=reference).exists():
        errors.add("reference", _("Diese Haushaltsnummer gibt es schon."))
    errors.raise_any()
    try:
        with transaction.atomic():
            household = Household._base_manager.create(county=county, reference=reference)
    except IntegrityError:  # created concurrently since the check above
        raise ValidationError({"reference": _("Diese Haushaltsnummer gibt es schon.")}) from None
    record_event(actor=actor, action="create", obj=household)
    return household


def _clean_person(
    given: dict[str, Any], errors: _Errors, *, current: Person | None
) -> dict[str, Any]:
    """Validate the given person fields (all of them on create, the changed ones on update).

    Returns the cleaned values; relations between dates are checked on the combined state.
    """
    clean: dict[str, Any] = {}
    if "family_name" in given:
        clean["family_name"] = _clean_name(
            given["family_name"], "family_name", errors, label=_("Der Familienname"), required=True
        )
    if "given_names" in given:
        clean["given_names"] = _clean_name(
            given["given_names"], "given_names", errors, label=_("Der Vorname"), required=False
        )
    if "birth_date" in given:
        clean["birth_date"] = _clean_birth_date(given["birth_date"], errors)
    if "sex" in given:
        sex = str(given["sex"])
        if sex not in Sex.values:
            errors.add(
                "sex",
                _("„%(v)s“ ist keine gültige Angabe zum Geschlecht (m, w, d oder x).")
                % {"v": sex[:10]},
            )
        clean["sex"] = sex
    if "household_role" in given:
        role = str(given["household_role"])
        if role not in Person.HouseholdRole.values:
            errors.add(
                "household_role",
                _("„%(v)s“ ist keine bekannte Stellung im Haushalt.") % {"v": role[:20]},
            )
        clean["household_role"] = role
    if "nationalities" in given:
        clean["nationalities"] = _clean_codes(
            given["nationalities"],
            nationality_code,
            "nationalities",
            errors,
            limit=MAX_NATIONALITIES,
            too_many=_("Bitte höchstens %(max)d Staatsangehörigkeiten angeben."),
        ) or ["XXX"]
    if "languages" in given:
        clean["languages"] = _clean_codes(
            given["languages"],
            language_code,
            "languages",
            errors,
            limit=MAX_LANGUAGES,
            too_many=_("Bitte höchstens %(max)d Sprachen angeben."),
        )
    for field in ("arrived_in_germany_on", "allocated_on"):
        if field in given:
            clean[field] = given[field]

    dates = {"birth_date", "arrived_in_germany_on", "allocated_on"}
    if dates & given.keys():
        # Check the combined state: a changed birth date may make a stored arrival impossible.
        born = clean.get("birth_date", current.birth_date if current else None)
        arrived = clean.get("arrived_in_germany_on", current and current.arrived_in_germany_on)
        allocated = clean.get("allocated_on", current and current.allocated_on)
        _clean_day(
            arrived,
            "arrived_in_germany_on",
            errors,
            label=_("Die Einreise nach Deutschland"),
            born=born,
        )
        _clean_day(
            allocated, "allocated_on", errors, label=_("Die Zuweisung an den Landkreis"), born=born
        )
        if (
            arrived
            and allocated
            and allocated < arrived
            and "allocated_on" not in errors
            and "arrived_in_germany_on" not in errors
        ):
            errors.add(
                "allocated_on",
                _("Die Zuweisung an den Landkreis liegt vor der Einreise nach Deutschland."),
            )
    return clean


def person_problems(
    values: dict[str, Any], *, person: Person | None = None
) -> dict[str, list[str]]:
    """The messages ``create_person`` (``person=None``) or ``update_person`` would raise for
    these values, by field. Checks no access and writes nothing: forms use it to show every
    problem at once, next to the problems they find themselves."""
    errors = _Errors()
    _clean_person(values, errors, current=person)
    return errors.by_field


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    household: Household,
    family_name: str,
    given_names: str = "",
    birth_date: str | PartialDate,
    sex: str,
    household_role: str = Person.HouseholdRole.HEAD,
    nationalities: Sequence[str] | str = (),
    languages: Sequence[str] | str = (),
    arrived_in_germany_on: date | None = None,
    allocated_on: date | None = None,
) -> Person:
    """Create a person in a household. Raises ``ValidationError`` with German messages keyed
    by field; nothing is written then. ``actor=None`` is the system (imports, demo data).

    The actor needs the right to create persons in the county and to change the household
    (adding a member changes it)."""
    if actor is not None:
        access.require(actor, Action.CREATE_PERSON, household.county)
        access.require_reach(actor, Action.CHANGE_PERSON, household)
    errors = _Errors()
    clean = _clean_person(
        {
            "family_name": family_name,
            "given_names": given_names,
            "birth_date": birth_date,
            "sex": sex,
            "household_role": household_role,
            "nationalities": nationalities,
            "languages": languages,
            "arrived_in_germany_on": arrived_in_germany_on,
            "allocated_on": allocated_on,
        },
        errors,
        current=None,
    )
    errors.raise_any()
    born: PartialDate = clean["birth_date"]
    person = Person._base_manager.create(
        county=household.county,
        household=household,
        household_role=clean["household_role"],
        family_name=clean["family_name"],
        given_names=clean["given_names"],
        birth_year=born.year,
        birth_month=born.month,
        birth_day=born.day,
        sex=clean["sex"],
        arrived_in_germany_on=clean["arrived_in_germany_on"],
        allocated_on=clean["allocated_on"],
    )
    _write_codes(person, clean["nationalities"], clean["languages"])
    refresh_name_keys(person)
    record_event(actor=actor, action="create", obj=person, person_id=person.pk)
    return person


def _write_codes(person: Person, nationalities: list[str], languages: list[str]) -> None:
    Nationality.objects.bulk_create(Nationality(person=person, code=code) for code in nationalities)
    LanguageSkill.objects.bulk_create(
        LanguageSkill(person=person, code=code, is_first_language=index == 0)
        for index, code in enumerate(languages)
    )


def _nationalities_of(person: Person) -> list[str]:
    return list(
        Nationality.objects.filter(person=person).order_by("pk").values_list("code", flat=True)
    )


def _languages_of(person: Person) -> list[str]:
    return list(
        LanguageSkill.objects.filter(person=person)
        .order_by("-is_first_language", "pk")
        .values_list("code", flat=True)
    )


@transaction.atomic
def update_person(
    *,
    actor: User | None,
    person: Person,
    family_name: str | Keep = KEEP,
    given_names: str | Keep = KEEP,
    birth_date: str | PartialDate | Keep = KEEP,
    sex: str | Keep = KEEP,
    household_role: str | Keep = KEEP,
    nationalities: Sequence[str] | str | Keep = KEEP,
    languages: Sequence[str] | str | Keep = KEEP,
    arrived_in_germany_on: date | Keep | None = KEEP,
    allocated_on: date | Keep | None = KEEP,
) -> Person:
    """Change some of a person's data; fields left at ``KEEP`` stay as they are.

    The audit event names the fields that changed, never their old or new values. Nothing is
    written (and nothing audited) when no value actually changes."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    given = {
        name: value
        for name, value in {
            "family_name": family_name,
            "given_names": given_names,
            "birth_date": birth_date,
            "sex": sex,
            "household_role": household_role,
            "nationalities": nationalities,
            "languages": languages,
            "arrived_in_germany_on": arrived_in_germany_on,
            "allocated_on": allocated_on,
        }.items()
        if value is not KEEP
    }
    errors = _Errors()
    clean = _clean_person(given, errors, current=person)
    errors.raise_any()

    changed: list[str] = []
    update_fields: list[str] = []
    for field in (
        "family_name",
        "given_names",
        "sex",
        "household_role",
        "arrived_in_germany_on",
        "allocated_on",
    ):
        if field in clean and clean[field] != getattr(person, field):
            setattr(person, field, clean[field])
            changed.append(field)
            update_fields.append(field)
    if "birth_date" in clean and clean["birth_date"] != person.birth_date:
        born: PartialDate = clean["birth_date"]
        person.birth_year, person.birth_month, person.birth_day = born.year, born.month, born.day
        changed.append("birth_date")
        update_fields += ["birth_year", "birth_month", "birth_day"]
    if "nationalities" in clean and clean["nationalities"] != _nationalities_of(person):
        Nationality.objects.filter(person=person).delete()
        _write_codes(person, clean["nationalities"], [])
        changed.append("nationalities")
    if "languages" in clean and clean["languages"] != _languages_of(person):
        LanguageSkill.objects.filter(person=person).delete()
        _write_codes(person, [], clean["languages"])
        changed.append("languages")
    if not changed:
        return person
    person.save(update_fields=[*update_fields, "updated_at"])
    if {"family_name", "given_names"} & set(changed):
        refresh_name_keys(person)
    record_event(
        actor=actor,
        action="change",
        obj=person,
        person_id=person.pk,
        details={"fields": sorted(changed)},
    )
    return person


def rename_person(*, actor: User, person: Person, family_name: str, given_names: str) -> Person:
    return update_person(
        actor=actor, person=person, family_name=family_name, given_names=given_names
    )


@transaction.atomic
def record_residence_status(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    legal_basis: str = "",
    valid_from: date,
    valid_to: date | None = None,
) -> ResidenceStatus:
    """Record a new status. The status in force before it (open, or ending later) ends the day
    before; a status recorded before a later one ends the day before that one begins."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    errors = _Errors()
    kind, legal_basis = str(kind), str(legal_basis or "")
    if kind not in ResidenceStatus.Kind.values:
        errors.add("kind", _("„%(v)s“ ist kein bekannter Aufenthaltsstatus.") % {"v": kind[:40]})
    if legal_basis not in ResidenceStatus.LegalBasis.values:
        errors.add(
            "legal_basis",
            _("„%(v)s“ ist keine bekannte Rechtsgrundlage.") % {"v": legal_basis[:20]},
        )
    elif (
        legal_basis
        and kind in ResidenceStatus.Kind.values
        and legal_basis not in LEGAL_BASES_BY_KIND.get(kind, frozenset())
    ):
        errors.add(
            "legal_basis",
            _("Die Rechtsgrundlage „%(basis)s“ passt nicht zum Status „%(kind)s“.")
            % {
                "basis": ResidenceStatus.LegalBasis(legal_basis).label,
                "kind": ResidenceStatus.Kind(kind).label,
            },
        )
    _clean_day(valid_from, "valid_from", errors, label=_("Der Beginn"), born=person.birth_date)
    if valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", _("Das Ende liegt vor dem Beginn."))
    statuses = ResidenceStatus.objects.filter(person=person)
    if statuses.filter(valid_from=valid_from).exists():
        errors.add("valid_from", _("An diesem Tag beginnt bereits ein Aufenthaltsstatus."))
    following = statuses.filter(valid_from__gt=valid_from).order_by("valid_from").first()
    if following is not None and valid_to is not None and valid_to >= following.valid_from:
        errors.add(
            "valid_to",
            _("Das Ende überschneidet sich mit dem folgenden Status ab %(day)s.")
            % {"day": following.valid_from.strftime("%d.%m.%Y")},
        )
    errors.raise_any()

    previous = statuses.filter(valid_from__lt=valid_from).order_by("-valid_from").first()
    if previous is not None and (previous.valid_to is None or previous.valid_to >= valid_from):
        previous.valid_to = valid_from - timedelta(days=1)
        previous.save(update_fields=["valid_to"])
        record_event(
            actor=actor,
            action="change",
            obj=previous,
            person_id=person.pk,
            details={"fields": ["valid_to"]},
        )
    if following is not None and valid_to is None:
        valid_to = following.valid_from - timedelta(days=1)
    status = ResidenceStatus.objects.create(
        county=person.county,
        person=person,
        kind=kind,
        legal_basis=legal_basis,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    record_event(actor=actor, action="create", obj=status, person_id=person.pk)
    return status


@transaction.atomic
def record_vulnerability(
    *, actor: User | None, person: Person, category: str, noted_on: date
) -> Vulnerability:
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    errors = _Errors()
    category = str(category)
    if category not in Vulnerability.Category.values:
        errors.add(
            "category",
            _("„%(v)s“ ist keine bekannte Kategorie der Schutzbedürftigkeit.")
            % {"v": category[:40]},
        )
    elif (
        Vulnerability.objects.active_on(noted_on).filter(person=person, category=category).exists()
    ):
        errors.add("category", _("Dieser Schutzbedarf ist für die Person bereits erfasst."))
    _clean_day(
        noted_on, "noted_on", errors, label=_("Das Feststellungsdatum"), born=person.birth_date
    )
    errors.raise_any()
    vulnerability = Vulnerability.objects.create(
        county=person.county, person=person, category=category, valid_from=noted_on
    )
    record_event(actor=actor, action="create", obj=vulnerability, person_id=person.pk)
    return vulnerability


@transaction.atomic
def record_consent(*, actor: User | None, person: Person, purpose: str, given_on: date) -> Consent:
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    errors = _Errors()
    purpose = str(purpose)
    if purpose not in Consent.Purpose.values:
        errors.add(
            "purpose",
            _("„%(v)s“ ist kein bekannter Zweck einer Einwilligung.") % {"v": purpose[:40]},
        )
    elif Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        errors.add("purpose", _("Für diesen Zweck liegt bereits eine Einwilligung vor."))
    _clean_day(
        given_on, "given_on", errors, label=_("Das Datum der Einwilligung"), born=person.birth_date
    )
    errors.raise_any()
    consent = Consent.objects.create(
        county=person.county,
        person=person,
        purpose=purpose,
        given_on=given_on,
        recorded_by=actor,
    )
    record_event(actor=actor, action="create", obj=consent, person_id=person.pk)
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User | None, consent: Consent, withdrawn_on: date) -> Consent:
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, consent.person.household)
    errors = _Errors()
    if consent.withdrawn_on is not None:
        errors.add("withdrawn_on", _("Diese Einwilligung ist bereits widerrufen."))
    elif withdrawn_on < consent.given_on:
        errors.add("withdrawn_on", _("Der Widerruf liegt vor der Einwilligung."))
    else:
        _clean_day(withdrawn_on, "withdrawn_on", errors, label=_("Der Widerruf"), born=None)
    errors.raise_any()
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    record_event(
        actor=actor,
        action="change",
        obj=consent,
        person_id=consent.person_id,
        details={"fields": ["withdrawn_on"]},
    )
    return consent


@transaction.atomic
def assign_responsibility(
    *,
    actor: User | None,
    household: Household,
    kind: str,
    valid_from: date,
    provider: Provider | None = None,
    site: Site | None = None,
    caseworker: User | None = None,
) -> Responsibility:
    if provider is None and site is None and caseworker is None:
        raise ValidationError(_("Bitte Träger, Standort oder Fachkraft angeben."))
    for item in (provider, site):
        if item is not None and item.county_id != household.county_id:
            raise ValidationError(_("Träger und Standort müssen zum Landkreis gehören."))
    responsibility = Responsibility.objects.create(
        county=household.county,
        household=household,
        kind=kind,
        provider=provider,
        site=site,
        caseworker=caseworker,
        valid_from=valid_from,
    )
    record_event(actor=actor, action="create", obj=responsibility)
    return responsibility
