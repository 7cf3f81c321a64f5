"""Writes generated households to the database in bulk.

The people services write one person per transaction with an audit event each; for 100,000
persons that is too slow, so the seeding tools insert plain rows in batches here (with
:mod:`ankommen.core.bulk`) and record one audit event per load instead (``seeding.load``, with
the counts). Name keys are computed with the same
function the services use (:func:`ankommen.algorithms.names.name_keys`), cached per name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db.models import Model
from django.utils import timezone

from ankommen.algorithms.names import name_keys
from ankommen.audit.services import record_event
from ankommen.core.bulk import insert_rows, insert_rows_returning_ids
from ankommen.core.models import County
from ankommen.people.models import (
    Consent,
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
    Vulnerability,
)
from ankommen.seeding.generator import HouseholdPlan

CHUNK_HOUSEHOLDS = 2000
Row = tuple[Any, ...]

PERSON_FIELDS = [
    "county",
    "household",
    "household_role",
    "family_name",
    "given_names",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "azr_number",
    "arrived_in_germany_on",
    "allocated_on",
    "created_at",
    "updated_at",
]
# Tables below a person or household: (model, fields in the order of the row tuples).
CHILD_TABLES: dict[str, tuple[type[Model], list[str]]] = {
    "name_keys": (PersonNameKey, ["person", "key"]),
    "nationalities": (Nationality, ["person", "code"]),
    "languages": (LanguageSkill, ["person", "code", "is_first_language"]),
    "residence_statuses": (
        ResidenceStatus,
        ["county", "person", "kind", "legal_basis", "valid_from", "valid_to"],
    ),
    "vulnerabilities": (
        Vulnerability,
        ["county", "person", "category", "valid_from", "valid_to"],
    ),
    "consents": (Consent, ["county", "person", "purpose", "given_on", "withdrawn_on"]),
    "responsibilities": (
        Responsibility,
        ["county", "household", "kind", "provider", "site", "caseworker", "valid_from", "valid_to"],
    ),
}

COUNTED = (
    "households",
    "persons",
    "name_keys",
    "nationalities",
    "languages",
    "residence_statuses",
    "vulnerabilities",
    "consents",
    "responsibilities",
)


@lru_cache(maxsize=65536)
def _keys(name: str) -> frozenset[str]:
    return frozenset(name_keys(name))


def person_keys(family_name: str, given_names: str) -> set[str]:
    """The keys :func:`people.services.refresh_name_keys` would store for this name."""
    return set(_keys(family_name) | _keys(given_names))


def _chunks(items: Iterable[HouseholdPlan], size: int) -> Iterator[list[HouseholdPlan]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_households(
    county: County,
    households: Iterable[HouseholdPlan],
    *,
    on_chunk: Callable[[int], Any] | None = None,
    chunk_size: int = CHUNK_HOUSEHOLDS,
) -> Counter[str]:
    """Insert the households with everything that belongs to them; returns counts per table.

    Call inside a transaction: a failure leaves nothing half-written. ``on_chunk`` gets the
    number of persons written after each chunk (for a progress bar)."""
    counts: Counter[str] = Counter()
    cid = county.pk
    for chunk in _chunks(households, chunk_size):
        now = timezone.now()
        household_ids = insert_rows_returning_ids(
            Household,
            ["county", "reference", "created_at"],
            [(cid, plan.reference, now) for plan in chunk],
        )
        members = [
            (household_id, plan, member)
            for household_id, plan in zip(household_ids, chunk, strict=True)
            for member in plan.persons
        ]
        person_ids = insert_rows_returning_ids(
            Person,
            PERSON_FIELDS,
            [
                (
                    cid,
                    household_id,
                    m.role,
                    m.family_name,
                    m.given_names,
                    m.birth_year,
                    m.birth_month,
                    m.birth_day,
                    m.sex,
                    "",
                    plan.arrived,
                    plan.allocated,
                    now,
                    now,
                )
                for household_id, plan, m in members
            ],
        )
        tables: dict[str, list[Row]] = {name: [] for name in CHILD_TABLES}
        for pid, (_household_id, _plan, m) in zip(person_ids, members, strict=True):
            tables["name_keys"] += [
                (pid, key) for key in sorted(person_keys(m.family_name, m.given_names))
            ]
            tables["nationalities"].append((pid, m.nationality))
            tables["languages"] += [
                (pid, code, index == 0) for index, code in enumerate(m.languages)
            ]
            tables["residence_statuses"] += [
                (cid, pid, s.kind, s.legal_basis, s.valid_from, s.valid_to) for s in m.statuses
            ]
            tables["vulnerabilities"] += [
                (cid, pid, category, start, end) for category, start, end in m.vulnerabilities
            ]
            tables["consents"] += [
                (cid, pid, purpose, given, end) for purpose, given, end in m.consents
            ]
        tables["responsibilities"] = [
            (
                cid,
                household_id,
                r.kind,
                r.provider_id,
                r.site_id,
                r.caseworker_id,
                r.valid_from,
                r.valid_to,
            )
            for household_id, plan in zip(household_ids, chunk, strict=True)
            for r in plan.responsibilities
        ]
        for name, (model, fields) in CHILD_TABLES.items():
            counts[name] += insert_rows(model, fields, tables[name])
        counts["households"] += len(household_ids)
        counts["persons"] += len(person_ids)
        if on_chunk is not None:
            on_chunk(len(person_ids))
    return counts


def record_load(county: County, *, source: str, counts: Counter[str], **details: Any) -> None:
    """One audit event for a bulk load (instead of one per row)."""
    record_event(
        actor=None,
        action="create",
        object_type="seeding.load",
        county=county,
        details={"source": source, **{key: counts.get(key, 0) for key in COUNTED}, **details},
    )
