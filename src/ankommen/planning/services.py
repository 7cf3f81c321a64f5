"""Writes of the capacity plan: scenarios, their changes, planned changes and costs per place.

Every function checks ``PLAN_CAPACITY`` in the county (``actor=None`` is the system), validates
(a ``ValidationError`` with German messages keyed by field; nothing is written then) and records
an audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County, Site
from ankommen.housing.models import ACCOMMODATION_KINDS
from ankommen.planning.models import CapacityChange, PlaceCost, Scenario

if TYPE_CHECKING:
    from ankommen.core.models import User

MAX_FACTOR = Decimal("20")
MAX_SPREAD = 24
MAX_PLACES = 100_000


def _check(actor: User | None, county: County) -> None:
    if actor is not None:
        access.require(actor, Action.PLAN_CAPACITY, county)


def _name(county: County, name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Bitte einen Namen angeben."})
    if len(name) > 120:
        raise ValidationError({"name": "Der Name darf höchstens 120 Zeichen lang sein."})
    clash = Scenario.objects.filter(county=county, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": f"Ein Szenario „{name}“ gibt es schon."})
    return name


@transaction.atomic
def create_scenario(
    *, actor: User | None, county: County, name: str, description: str = ""
) -> Scenario:
    _check(actor, county)
    scenario = Scenario.objects.create(
        county=county,
        name=_name(county, name),
        description=(description or "").strip()[:500],
        created_by=actor,
    )
    record_event(actor=actor, action="create", obj=scenario, details={"name": scenario.name})
    return scenario


@transaction.atomic
def update_scenario(
    *, actor: User | None, scenario: Scenario, name: str, description: str = ""
) -> Scenario:
    _check(actor, scenario.county)
    scenario.name = _name(scenario.county, name, exclude=scenario.pk)
    scenario.description = (description or "").strip()[:500]
    scenario.save()
    record_event(actor=actor, action="update", obj=scenario, details={"name": scenario.name})
    return scenario


@transaction.atomic
def delete_scenario(*, actor: User | None, scenario: Scenario) -> None:
    _check(actor, scenario.county)
    record_event(
        actor=actor,
        action="delete",
        obj=scenario,
        details={"name": scenario.name, "changes": scenario.changes.count()},
    )
    scenario.delete()


def _int(value: Any, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label}: „{value}“ ist keine ganze Zahl."}) from None
    if not low <= number <= high:
        raise ValidationError({field: f"{label} muss zwischen {low} und {high} liegen."})
    return number


def change_values(county: County, data: dict[str, Any]) -> dict[str, Any]:
    """Check the fields of a change (form or JSON) and return the model's values; raises a
    ``ValidationError`` naming every bad field."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in CapacityChange.Kind.values:
        errors["kind"] = "Unbekannte Art; erlaubt: " + ", ".join(CapacityChange.Kind.values) + "."
    month = data.get("month")
    if isinstance(month, str):
        try:
            year, number = (int(part) for part in month.split("-")[:2])
            month = date(year, number, 1)
        except (ValueError, TypeError):
            errors["month"] = f"Monat „{month}“ ist nicht im Format JJJJ-MM."
            month = None
    if isinstance(month, date):
        month = month.replace(day=1)
        if not 2000 <= month.year <= 2100:
            errors["month"] = "Der Monat muss zwischen 2000 und 2100 liegen."
    elif "month" not in errors:
        errors["month"] = "Bitte einen Monat angeben (JJJJ-MM)."
    values: dict[str, Any] = {"kind": kind, "month": month, "note": str(data.get("note") or "")}
    if len(values["note"]) > 300:
        errors["note"] = "Die Bemerkung darf höchstens 300 Zeichen lang sein."
    try:
        if kind == CapacityChange.Kind.ARRIVALS_FACTOR:
            try:
                factor = Decimal(str(data.get("factor", "")).replace(",", "."))
            except InvalidOperation:
                raise ValidationError(
                    {"factor": f"Faktor „{data.get('factor')}“ ist keine Zahl."}
                ) from None
            if not Decimal(0) <= factor <= MAX_FACTOR:
                raise ValidationError(
                    {"factor": f"Der Faktor muss zwischen 0 und {MAX_FACTOR} liegen."}
                )
            values["factor"] = factor.quantize(Decimal("0.01"))
        elif kind == CapacityChange.Kind.EXTRA_STREAM:
            values["persons"] = _int(data.get("persons"), "persons", "Personen", 1, MAX_PLACES)
            values["spread_months"] = _int(
                data.get("spread_months", 1), "spread_months", "Monate", 1, MAX_SPREAD
            )
        elif kind == CapacityChange.Kind.OPEN_SITE:
            places = _int(data.get("places"), "places", "Plätze", 1, MAX_PLACES)
            values["places"] = places
            for field, label in (
                ("family_places", "Familienzimmer"),
                ("barrier_free_places", "Barrierefreie Plätze"),
                ("women_only_places", "Plätze nur für Frauen"),
            ):
                values[field] = _int(data.get(field) or 0, field, label, 0, places)
        elif kind == CapacityChange.Kind.CLOSE_SITE:
            site_id = data.get("site")
            site = (
                Site._base_manager.filter(
                    pk=int(str(site_id)), county=county, kind__in=ACCOMMODATION_KINDS
                ).first()
                if str(site_id or "").isdigit()
                else None
            )
            if site is None:
                raise ValidationError(
                    {"site": "Bitte eine Unterkunft dieses Landkreises zum Schließen wählen."}
                )
            values["site"] = site
    except ValidationError as error:
        errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def add_change(
    *, actor: User | None, county: County, scenario: Scenario | None, data: dict[str, Any]
) -> CapacityChange:
    """Add a change to ``scenario``, or (``scenario`` None) a planned change of the baseline."""
    _check(actor, county)
    if scenario is not None and scenario.county_id != county.pk:
        raise ValidationError({"scenario": "Das Szenario gehört zu einem anderen Landkreis."})
    change = CapacityChange.objects.create(
        county=county, scenario=scenario, **change_values(county, data)
    )
    record_event(
        actor=actor,
        action="create",
        obj=change,
        details={"kind": change.kind, "scenario": scenario.pk if scenario else None},
    )
    return change


@transaction.atomic
def delete_change(*, actor: User | None, change: CapacityChange) -> None:
    _check(actor, change.county)
    record_event(
        actor=actor,
        action="delete",
        obj=change,
        details={"kind": change.kind, "scenario": change.scenario_id},
    )
    change.delete()


@transaction.atomic
def set_place_cost(
    *,
    actor: User | None,
    county: County,
    monthly_per_place: Decimal | str,
    valid_from: date,
    source: str,
    site: Site | None = None,
    note: str = "",
) -> PlaceCost:
    """Record what one place costs per month from ``valid_from`` (for ``site`` or, without
    one, the county's default); a second figure for the same day replaces the first."""
    _check(actor, county)
    errors: dict[str, str] = {}
    try:
        amount = Decimal(str(monthly_per_place).replace(",", "."))
        if amount < 0 or amount >= Decimal("10000000"):
            errors["monthly_per_place"] = "Der Betrag muss zwischen 0 und 9.999.999,99 € liegen."
    except InvalidOperation:
        errors["monthly_per_place"] = f"Betrag „{monthly_per_place}“ ist keine Zahl."
        amount = Decimal(0)
    if not (source or "").strip():
        errors["source"] = "Bitte die Quelle des Betrags angeben (Vertrag, Haushalt, Schätzung)."
    if site is not None and (site.county_id != county.pk or site.kind not in ACCOMMODATION_KINDS):
        errors["site"] = "Bitte eine Unterkunft dieses Landkreises wählen."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            cost, created = PlaceCost.objects.update_or_create(
                county=county,
                site=site,
                valid_from=valid_from,
                defaults={
                    "monthly_per_place": amount.quantize(Decimal("0.01")),
                    "source": source.strip()[:300],
                    "note": (note or "").strip()[:300],
                },
            )
    except IntegrityError:  # pragma: no cover - concurrent insert of the same day
        raise ValidationError(
            {"valid_from": "Für diesen Tag gibt es schon einen Betrag."}
        ) from None
    record_event(
        actor=actor,
        action="create" if created else "update",
        obj=cost,
        details={"site": site.pk if site else None, "valid_from": valid_from.isoformat()},
    )
    return cost
