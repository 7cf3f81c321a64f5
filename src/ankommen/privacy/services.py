"""The two privacy jobs: the access export (GDPR Art. 15) and the retention run (Art. 17).

Both talk to the apps only through the registered data sources (:mod:`.registry`); the person
is loaded through ``django.apps`` so that this package stays below ``people`` in the layers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event, record_events
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.bulk import insert_objects
from ankommen.privacy.models import Anonymisation
from ankommen.privacy.registry import Section, sources
from ankommen.privacy.retention import periods

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User

EXPORT_FORMATS = ("json", "zip")
BATCH = 500  # persons per call of a source (bounded SQL parameter lists)


@dataclass(frozen=True)
class SubjectExport:
    person_id: int
    name: str
    county: str
    created_at: datetime
    sections: list[Section]

    def as_dict(self) -> dict[str, Any]:
        return {
            "art": _("Auskunft nach Art. 15 DSGVO"),
            "person_id": self.person_id,
            "name": self.name,
            "controller": self.county,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "sections": [section.as_dict() for section in self.sections],
        }


def _person(person_id: int) -> Any:
    person_model = apps.get_model("people", "Person")
    person = (
        person_model._base_manager.select_related("household", "county")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404(_("Diese Person gibt es nicht."))
    return person


def check_export_access(*, actor: User | AnonymousUser, person_id: int) -> Any:
    """The person, if ``actor`` may export their data: 403 without the action anywhere, 404 out
    of reach, 403 when reached but not with county scope (the export shows everything)."""
    if not access.counties_for(actor, Action.EXPORT_SUBJECT_DATA):
        access.deny()
    person = _person(person_id)
    if not access.can_reach(actor, Action.EXPORT_SUBJECT_DATA, person.household):
        raise Http404(_("Diese Person gibt es nicht."))
    access.require(actor, Action.EXPORT_SUBJECT_DATA, person.county)
    return person


@transaction.atomic
def export_subject_data(
    *, actor: User | None, person_id: int, output: str = "json"
) -> SubjectExport:
    """Everything the registered sources hold about one person, in German; audited as an
    export (and as a read where a section shows health-related facts). ``actor=None`` is the
    system (the command without ``--user``)."""
    person = (
        _person(person_id)
        if actor is None
        else check_export_access(actor=actor, person_id=person_id)
    )
    known = periods()
    sections: list[Section] = []
    audited_reads: list[str] = []
    with translation.override("de"):
        # The apps' data first, the log of what was done with it last.
        for source in sorted(sources(), key=lambda source: source.category is None):
            retention = ""
            if source.category is not None:
                retention = known[source.category.key].describe()
            for section in source.export(person=person, actor=actor):
                if retention and not section.retention:
                    section = replace(section, retention=retention)
                if section.audited_read:
                    audited_reads.append(section.key)
                sections.append(section)
        result = SubjectExport(
            person_id=person.pk,
            name=str(person),
            county=person.county.name,
            created_at=timezone.localtime(),
            sections=sections,
        )
    if audited_reads:
        record_event(
            actor=actor,
            action=AuditEvent.Action.READ,
            obj=person,
            person_id=person.pk,
            purpose=_("Auskunft nach Art. 15 DSGVO"),
            details={"categories": ",".join(audited_reads)},
        )
    record_event(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=person,
        person_id=person.pk,
        purpose=_("Auskunft nach Art. 15 DSGVO"),
        details={"format": output, "sections": [section.key for section in sections]},
    )
    return result


@dataclass
class CategoryRun:
    key: str
    label: str
    years: int
    legal_basis: str
    verified: bool
    due_before: date
    persons: list[int] = field(default_factory=list)
    anonymised: int = 0
    deleted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.key,
            "label": self.label,
            "years": self.years,
            "legal_basis": self.legal_basis,
            "verified": self.verified,
            "contact_ended_before": self.due_before.isoformat(),
            "persons": len(self.persons),
            "rows_anonymised": self.anonymised,
            "rows_deleted": self.deleted,
        }


@dataclass
class RetentionRun:
    county: str
    today: date
    dry_run: bool
    categories: list[CategoryRun]

    @property
    def persons(self) -> int:
        return len({pk for run in self.categories for pk in run.persons})

    def as_dict(self) -> dict[str, Any]:
        return {
            "county": self.county,
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "persons": self.persons,
            "categories": [run.as_dict() for run in self.categories],
        }


def contact_ends(*, county: County, today: date) -> dict[int, date | None]:
    """Per person of the county: the end of the last contact over every source (``None``
    while any source still has an open contact)."""
    combined: dict[int, date | None] = {}
    ongoing: set[int] = set()
    for source in sources():
        for person_id, ended in source.contact_ends(county=county, today=today).items():
            if ended is None:
                ongoing.add(person_id)
            elif combined.get(person_id) is None or ended > combined[person_id]:  # type: ignore[operator]
                combined[person_id] = ended
    for person_id in ongoing:
        combined[person_id] = None
    return combined


def _plan(*, county: County, today: date) -> tuple[list[CategoryRun], dict[int, date]]:
    ends = contact_ends(county=county, today=today)
    done: dict[str, set[int]] = defaultdict(set)
    for category, person_id in Anonymisation.objects.filter(county=county).values_list(
        "category", "person_id"
    ):
        done[category].add(person_id)
    runs = []
    for key, period in periods().items():
        limit = period.due_before(today)
        due = sorted(
            person_id
            for person_id, ended in ends.items()
            if ended is not None and ended < limit and person_id not in done[key]
        )
        runs.append(
            CategoryRun(
                key=key,
                label=str(period.category.label),
                years=period.years,
                legal_basis=str(period.category.legal_basis),
                verified=period.verified,
                due_before=limit,
                persons=due,
            )
        )
    return runs, {pk: ended for pk, ended in ends.items() if ended is not None}


def run_retention(
    *, actor: User | None, county: County, today: date | None = None, dry_run: bool = False
) -> RetentionRun:
    """Anonymise the data of every person of ``county`` whose retention period is over, per
    category; ``dry_run`` only counts. Idempotent: a category is anonymised once per person.
    Everything happens in one transaction, audited with one event per person and one for the
    run."""
    if actor is not None:
        access.require(actor, Action.RUN_RETENTION, county)
    today = today or timezone.localdate()
    with translation.override("de"):
        if dry_run:
            runs, _ends = _plan(county=county, today=today)
            return RetentionRun(county.slug, today, True, runs)
        return _apply(actor=actor, county=county, today=today)


@transaction.atomic
def _apply(*, actor: User | None, county: County, today: date) -> RetentionRun:
    runs, ends = _plan(county=county, today=today)
    by_category = {run.key: run for run in runs}
    # The rows first: a source asks them whether a whole household is done (coverage.py).
    categories_of: dict[int, list[str]] = defaultdict(list)
    rows = []
    for run in runs:
        for person_id in run.persons:
            categories_of[person_id].append(run.key)
            rows.append(
                Anonymisation(
                    county=county,
                    person_id=person_id,
                    category=run.key,
                    contact_ended_on=ends[person_id],
                    years=run.years,
                )
            )
    insert_objects(rows)
    for source in sources():
        if source.category is None:
            continue
        run = by_category[source.category.key]
        for start in range(0, len(run.persons), BATCH):
            result = source.anonymise(person_ids=run.persons[start : start + BATCH])
            run.anonymised += result.anonymised
            run.deleted += result.deleted
    purpose = _("Aufbewahrungsfrist abgelaufen (Art. 17 DSGVO)")
    events: list[dict[str, Any]] = [
        {
            "actor": actor,
            "action": AuditEvent.Action.CHANGE,
            "object_type": "people.person",
            "county": county,
            "person_id": person_id,
            "purpose": purpose,
            "details": {"anonymised": sorted(keys)},
        }
        for person_id, keys in sorted(categories_of.items())
    ]
    # The run itself, also when it found nothing to do: who ran it, when, with which periods.
    events.append(
        {
            "actor": actor,
            "action": AuditEvent.Action.CHANGE,
            "object_type": "privacy.retention",
            "county": county,
            "purpose": purpose,
            "details": {
                "today": today.isoformat(),
                "persons": {run.key: len(run.persons) for run in runs},
                "years": {run.key: run.years for run in runs},
            },
        }
    )
    record_events(events)
    return RetentionRun(county.slug, today, False, runs)
