"""Writes for the stress-free arrival: checklists, planned facility, vulnerability assessment.

Who may: county staff, and the shelter manager of the facility a household is planned for
(``Action.PREPARE_ARRIVAL``; the shelter manager reaches the household through the dated
accommodation responsibility that :func:`plan_facility` writes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.codes import language_name
from ankommen.audit.services import record_event, record_events
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.bulk import insert_objects, insert_rows
from ankommen.core.models import Role, Site
from ankommen.housing.models import Arrival, ArrivalTask
from ankommen.people.models import Person, Responsibility, Vulnerability

if TYPE_CHECKING:
    from ankommen.core.models import County, User
    from ankommen.people.models import Household

ADULT_AGE = 18
GERMAN = "deu"
# Needs from the allocation list that the health service should know before arrival.
HEALTH_NEEDS = frozenset({"rollstuhl", "schwanger", "pflege", "chronisch", "psychosozial"})
ACCOMMODATION_SITE_KINDS = (
    Site.Kind.SHARED_ACCOMMODATION,
    Site.Kind.APARTMENT_CLUSTER,
    Site.Kind.APARTMENT,
    Site.Kind.EMERGENCY,
)


@dataclass(frozen=True)
class ArrivingHousehold:
    """What the checklist rules need to know about one household arriving on one day."""

    household: Household
    planned_on: date
    languages: tuple[str, ...]
    needs: frozenset[str]
    child_ages: tuple[int, ...]


@dataclass(frozen=True)
class TaskRule:
    kind: str
    owner_role: str
    days_before: int  # due this many days before the planned arrival …
    hour: int  # … at this hour (local time)

    def due_at(self, planned_on: date) -> datetime:
        day = planned_on - timedelta(days=self.days_before)
        return timezone.make_aware(datetime.combine(day, time(self.hour)))


# The county's default checklist (its own working practice, not law; change here).
_K = ArrivalTask.Kind
TASK_RULES: tuple[TaskRule, ...] = (
    TaskRule(_K.INTERPRETER, Role.COUNTY_CASEWORKER, 3, 12),
    TaskRule(_K.HEALTH, Role.COUNTY_CASEWORKER, 2, 12),
    TaskRule(_K.SOCIAL_WORK, Role.COUNTY_CASEWORKER, 2, 16),
    TaskRule(_K.BED_READY, Role.SHELTER_MANAGER, 1, 12),
    TaskRule(_K.CHILDREN, Role.SHELTER_MANAGER, 1, 12),
    TaskRule(_K.FIRST_SUPPLIES, Role.SHELTER_MANAGER, 1, 16),
)
del _K


def _task_detail(kind: str, facts: ArrivingHousehold) -> str | None:
    """The task's hint, or ``None`` when the household does not need this task."""
    if kind == ArrivalTask.Kind.INTERPRETER:
        foreign = [code for code in facts.languages if code != GERMAN]
        if not foreign or GERMAN in facts.languages:
            return None
        return ", ".join(language_name(code) for code in foreign)[:200]
    if kind == ArrivalTask.Kind.HEALTH:
        return "" if facts.needs & HEALTH_NEEDS else None
    if kind == ArrivalTask.Kind.CHILDREN:
        if not facts.child_ages:
            return None
        ages = ", ".join(str(age) for age in sorted(facts.child_ages))
        return _("Alter: %(ages)s") % {"ages": ages}
    return ""


def create_arrivals(
    *, actor: User | None, county: County, households: Iterable[ArrivingHousehold]
) -> tuple[list[Arrival], int]:
    """Arrivals and their checklists for announced households (called by the import, inside
    its transaction, which audits them). Existing arrivals keep their tasks; missing tasks are
    added. Returns the arrivals created and the number of tasks created."""
    facts_list = list(households)
    existing = {
        (arrival.household_id, arrival.planned_on): arrival
        for arrival in Arrival.objects.filter(
            county=county, household__in=[f.household for f in facts_list]
        )
    }
    new_arrivals = [
        Arrival(county=county, household=facts.household, planned_on=facts.planned_on)
        for facts in facts_list
        if (facts.household.pk, facts.planned_on) not in existing
    ]
    insert_objects(new_arrivals)
    for arrival in new_arrivals:
        existing[(arrival.household_id, arrival.planned_on)] = arrival
    new_ids = {arrival.pk for arrival in new_arrivals}
    have = set(
        ArrivalTask.objects.filter(
            arrival__in=[a.pk for a in existing.values() if a.pk not in new_ids]
        ).values_list("arrival_id", "kind")
    )
    tasks: list[tuple[Any, ...]] = []
    for facts in facts_list:
        arrival = existing[(facts.household.pk, facts.planned_on)]
        for rule in TASK_RULES:
            detail = _task_detail(rule.kind, facts)
            if detail is None or (arrival.pk, rule.kind) in have:
                continue
            have.add((arrival.pk, rule.kind))
            tasks.append(
                (
                    county.pk,
                    arrival.pk,
                    rule.kind,
                    detail,
                    rule.owner_role,
                    rule.due_at(facts.planned_on),
                    None,
                    None,
                    None,
                )
            )
    insert_rows(
        ArrivalTask,
        [
            "county",
            "arrival",
            "kind",
            "detail",
            "owner_role",
            "due_at",
            "done_at",
            "done_by",
            "assignee",
        ],
        tasks,
    )
    return new_arrivals, len(tasks)


def _require_prepare(actor: User, arrival: Arrival) -> None:
    access.require_reach(actor, Action.PREPARE_ARRIVAL, arrival.household)


@transaction.atomic
def complete_task(*, actor: User, task: ArrivalTask, done: bool = True) -> ArrivalTask:
    """Tick a checklist item off (or open it again)."""
    _require_prepare(actor, task.arrival)
    if done == (task.done_at is not None):
        return task
    task.done_at = timezone.now() if done else None
    task.done_by = actor if done else None
    task.save(update_fields=["done_at", "done_by"])
    record_event(
        actor=actor,
        action="change",
        obj=task,
        details={"fields": ["done_at"], "kind": task.kind, "done": done},
    )
    return task


@transaction.atomic
def assign_task(*, actor: User, task: ArrivalTask, assignee: User | None) -> ArrivalTask:
    """Name the person who takes care of a checklist item (or nobody)."""
    _require_prepare(actor, task.arrival)
    if assignee is not None and not access.can_reach(
        assignee, Action.PREPARE_ARRIVAL, task.arrival.household
    ):
        raise ValidationError(
            {"assignee": _("Diese Person darf die Ankunft dieses Haushalts nicht vorbereiten.")}
        )
    task.assignee = assignee
    task.save(update_fields=["assignee"])
    record_event(actor=actor, action="change", obj=task, details={"fields": ["assignee"]})
    return task


@transaction.atomic
def plan_facility(*, actor: User, arrival: Arrival, site: Site | None) -> Arrival:
    """Set the facility a household is planned for. Its staff (shelter manager) may prepare
    the arrival from now on: a dated accommodation responsibility is written for the site;
    a previous planned site loses it."""
    if not access.allows(actor, Action.PREPARE_ARRIVAL, arrival.county):
        access.deny()  # only county-wide staff plan; a shelter manager does not move households
    if site is not None and (
        site.county_id != arrival.county_id or site.kind not in ACCOMMODATION_SITE_KINDS
    ):
        raise ValidationError({"site": _("Bitte eine Unterkunft des Landkreises wählen.")})
    if site == arrival.site:
        return arrival
    today = timezone.localdate()
    if arrival.site_id is not None:
        for old in Responsibility.objects.active_on(today).filter(
            household=arrival.household,
            kind=Responsibility.Kind.ACCOMMODATION,
            site_id=arrival.site_id,
        ):
            if old.valid_from >= today:
                old.delete()  # never in force for a whole day
            else:
                old.valid_to = today - timedelta(days=1)
                old.save(update_fields=["valid_to"])
            record_event(actor=actor, action="change", obj=old, details={"fields": ["valid_to"]})
    if site is not None:
        responsibility = Responsibility.objects.create(
            county=arrival.county,
            household=arrival.household,
            kind=Responsibility.Kind.ACCOMMODATION,
            provider=site.provider,
            site=site,
            valid_from=today,
        )
        record_event(actor=actor, action="create", obj=responsibility)
    arrival.site = site
    arrival.save(update_fields=["site"])
    record_event(actor=actor, action="change", obj=arrival, details={"fields": ["site"]})
    return arrival


def arriving_members(arrival: Arrival) -> list[Person]:
    """The persons announced for this arrival (by the allocation list), else all members."""
    members = list(
        Person._base_manager.filter(
            household=arrival.household, allocation__planned_arrival=arrival.planned_on
        ).order_by("pk")
    )
    return members or list(Person._base_manager.filter(household=arrival.household).order_by("pk"))


@transaction.atomic
def assess_vulnerabilities(
    *, actor: User, arrival: Arrival, categories: Mapping[int, Iterable[str]]
) -> dict[str, int]:
    """Record the vulnerability assessment (Art. 21 Directive 2013/33/EU) for the arriving
    members: ``categories`` maps each person's id to the categories that apply now. New ones
    start today; ones no longer given end yesterday (or are removed when recorded today).
    Returns counts of added and ended rows."""
    _require_prepare(actor, arrival)
    members = {person.pk: person for person in arriving_members(arrival)}
    unknown = set(categories) - set(members)
    if unknown:
        raise ValidationError(_("Die Person gehört nicht zu dieser Ankunft."))
    valid = set(Vulnerability.Category.values)
    today = timezone.localdate()
    added = ended = 0
    events: list[dict[str, Any]] = []
    for person_id, person in members.items():
        wanted = set(categories.get(person_id, ()))
        if wanted - valid:
            raise ValidationError({"category": _("Unbekannte Kategorie der Schutzbedürftigkeit.")})
        current = {
            v.category: v for v in Vulnerability.objects.active_on(today).filter(person=person)
        }
        for category in sorted(wanted - set(current)):
            vulnerability = Vulnerability.objects.create(
                county=person.county, person=person, category=category, valid_from=today
            )
            events.append(
                {"actor": actor, "action": "create", "obj": vulnerability, "person_id": person_id}
            )
            added += 1
        for category in sorted(set(current) - wanted):
            vulnerability = current[category]
            if vulnerability.valid_from >= today:
                # Recorded today and withdrawn today: a correction, not a history.
                events.append(
                    {
                        "actor": actor,
                        "action": "delete",
                        "obj": vulnerability,
                        "person_id": person_id,
                        # The id is kept (it no longer resolves); the category itself is
                        # special-category data and stays out of the log.
                        "details": {"fields": ["category"]},
                    }
                )
                vulnerability.delete()
            else:
                vulnerability.valid_to = today - timedelta(days=1)
                vulnerability.save(update_fields=["valid_to"])
                events.append(
                    {
                        "actor": actor,
                        "action": "change",
                        "obj": vulnerability,
                        "person_id": person_id,
                        "details": {"fields": ["valid_to"]},
                    }
                )
            ended += 1
    arrival.assessed_at = timezone.now()
    arrival.assessed_by = actor
    arrival.save(update_fields=["assessed_at", "assessed_by"])
    events.append(
        {
            "actor": actor,
            "action": "change",
            "obj": arrival,
            "details": {"fields": ["assessed_at"], "added": added, "ended": ended},
        }
    )
    record_events(events)
    return {"added": added, "ended": ended}
