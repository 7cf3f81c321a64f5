"""Writes on persons and households. One function per use case; each checks access, validates,
writes in one transaction and records an audit event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
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


def _clean_name(value: str, field: str, *, required: bool) -> str:
    name = " ".join(value.split())
    if required and not name:
        raise ValidationError({field: _("Bitte einen Namen angeben.")})
    limit = settings.ANKOMMEN_NAME_MAX_LENGTH
    if len(name) > limit:
        raise ValidationError(
            {
                field: _("Der Name ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
                % {"n": len(name), "max": limit}
            }
        )
    if any(ch in name for ch in "<>{}\x00"):
        raise ValidationError({field: _("Der Name enthält unzulässige Zeichen (< > { }).")})
    return name


def _clean_birth_date(value: str | PartialDate) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    try:
        return parse_partial_date(value)
    except PartialDateError as error:
        raise ValidationError({"birth_date": str(error)}) from error


def _codes(values: Sequence[str], convert, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    codes: list[str] = []
    for value in values:
        try:
            code = convert(value)
        except CodeError as error:
            raise ValidationError({field: str(error)}) from error
        if code not in codes:
            codes.append(code)
    return codes


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
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Bitte eine Haushaltsnummer angeben.")})
    if Household._base_manager.filter(county=county, reference=reference).exists():
        raise ValidationError({"reference": _("Diese Haushaltsnummer gibt es schon.")})
    household = Household._base_manager.create(county=county, reference=reference)
    record_event(actor=actor, action="create", obj=household)
    return household


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
    nationalities: Sequence[str] = (),
    languages: Sequence[str] = (),
    arrived_in_germany_on: date | None = None,
    allocated_on: date | None = None,
) -> Person:
    """Create a person in a household. Raises ``ValidationError`` with German messages keyed
    by field; nothing is written then. ``actor=None`` is the system (imports, demo data)."""
    if actor is not None:
        access.require(actor, Action.CREATE_PERSON, household.county)
    born = _clean_birth_date(birth_date)
    if sex not in Sex.values:
        raise ValidationError(
            {"sex": _("„%(v)s“ ist kein Geschlecht (m, w, d oder x).") % {"v": sex[:10]}}
        )
    if household_role not in Person.HouseholdRole.values:
        raise ValidationError({"household_role": _("Unbekannte Stellung im Haushalt.")})
    person = Person._base_manager.create(
        county=household.county,
        household=household,
        household_role=household_role,
        family_name=_clean_name(family_name, "family_name", required=True),
        given_names=_clean_name(given_names, "given_names", required=False),
        birth_year=born.year,
        birth_month=born.month,
        birth_day=born.day,
        sex=sex,
        arrived_in_germany_on=arrived_in_germany_on,
        allocated_on=allocated_on,
    )
    Nationality.objects.bulk_create(
        Nationality(person=person, code=code)
        for code in _codes(nationalities or ["XXX"], nationality_code, "nationalities")
    )
    LanguageSkill.objects.bulk_create(
        LanguageSkill(person=person, code=code, is_first_language=index == 0)
        for index, code in enumerate(_codes(languages, language_code, "languages"))
    )
    refresh_name_keys(person)
    record_event(actor=actor, action="create", obj=person, person_id=person.pk)
    return person


@transaction.atomic
def rename_person(*, actor: User, person: Person, family_name: str, given_names: str) -> Person:
    access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    person.family_name = _clean_name(family_name, "family_name", required=True)
    person.given_names = _clean_name(given_names, "given_names", required=False)
    person.save(update_fields=["family_name", "given_names", "updated_at"])
    refresh_name_keys(person)
    record_event(
        actor=actor,
        action="change",
        obj=person,
        person_id=person.pk,
        details={"fields": ["family_name", "given_names"]},
    )
    return person


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
    """Record a new status; the previous open status ends the day before."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_PERSON, person.household)
    if kind not in ResidenceStatus.Kind.values:
        raise ValidationError(
            {"kind": _("„%(v)s“ ist kein bekannter Aufenthaltsstatus.") % {"v": kind[:40]}}
        )
    if legal_basis not in ResidenceStatus.LegalBasis.values:
        raise ValidationError(
            {
                "legal_basis": _("„%(v)s“ ist keine bekannte Rechtsgrundlage.")
                % {"v": legal_basis[:20]}
            }
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Das Ende liegt vor dem Beginn.")})
    previous = ResidenceStatus.objects.filter(
        person=person, valid_to__isnull=True, valid_from__lt=valid_from
    )
    previous.update(valid_to=valid_from.fromordinal(valid_from.toordinal() - 1))
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
    if category not in Vulnerability.Category.values:
        raise ValidationError({"category": _("Unbekannte Kategorie der Schutzbedürftigkeit.")})
    vulnerability = Vulnerability.objects.create(
        county=person.county, person=person, category=category, valid_from=noted_on
    )
    record_event(actor=actor, action="create", obj=vulnerability, person_id=person.pk)
    return vulnerability


@transaction.atomic
def record_consent(*, actor: User | None, person: Person, purpose: str, given_on: date) -> Consent:
    if purpose not in Consent.Purpose.values:
        raise ValidationError({"purpose": _("Unbekannter Zweck der Einwilligung.")})
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
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Der Widerruf liegt vor der Einwilligung.")})
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
