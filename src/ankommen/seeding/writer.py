"""Writes generated households to the database in bulk.

The people services write one person per transaction with an audit event each; for 100,000
persons that is too slow, so the seeding tools insert in batches here and record one audit
event per load instead (``seeding.load``, with the counts). Name keys are computed with the same
function the services use (:func:`ankommen.algorithms.names.name_keys`), cached per name.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, Model
from django.utils import timezone

from ankommen.algorithms.names import name_keys
from ankommen.audit.services import record_event
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


class BulkInserter:
    """Multi-row INSERTs built from the models' metadata, without a model instance per row.

    ``bulk_create`` spends most of its time creating instances and preparing each field
    (about 70 µs a row here); rows of plain tuples go in at a fraction of that. Column names
    come from ``Model._meta``, so the SQL follows the models; the database still checks every
    constraint. SQLite gets multi-row INSERTs (dates adapted by the backend's own ``ops``),
    PostgreSQL gets COPY.
    """

    def __init__(self) -> None:
        self.ops = connection.ops
        self.quote = connection.ops.quote_name
        if connection.vendor == "sqlite":
            # Moderate statements: the sqlite3 module caches each compiled statement, and
            # statements with 32,000 parameters cost megabytes each (372 MiB peak vs 128 MiB
            # for 100,000 persons), without being faster.
            self.max_params = 4_000 if sqlite3.sqlite_version_info >= (3, 32) else 999
        else:
            self.max_params = 60_000

    def _adapters(
        self, model: type[Model], fields: Sequence[str]
    ) -> list[Callable[[Any], Any] | None]:
        adapters: list[Callable[[Any], Any] | None] = []
        for name in fields:
            field = model._meta.get_field(name)
            if isinstance(field, DateTimeField):
                adapters.append(self.ops.adapt_datetimefield_value)
            elif isinstance(field, DateField):
                adapters.append(self.ops.adapt_datefield_value)
            else:
                adapters.append(None)
        return adapters

    def _adapt(self, adapters: list[Callable[[Any], Any] | None], rows: list[Row]) -> list[Row]:
        if not any(adapters):
            return rows
        return [
            tuple(
                value if adapt is None or value is None else adapt(value)
                for adapt, value in zip(adapters, row, strict=True)
            )
            for row in rows
        ]

    def _column(self, model: type[Model], name: str) -> str:
        field = model._meta.get_field(name)
        column = getattr(field, "column", None)
        if not isinstance(column, str):
            raise TypeError(f"{model.__name__}.{name} is not a concrete column")
        return self.quote(column)

    def _sql(self, model: type[Model], fields: Sequence[str], count: int, returning: bool) -> str:
        columns = ", ".join(self._column(model, name) for name in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # Identifiers come from model metadata (quoted); values are always parameters.
        sql = f"INSERT INTO {self.quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        sql += ", ".join([row] * count)
        if returning:
            sql += f" RETURNING {self._column(model, model._meta.pk.name)}"
        return sql

    def insert(
        self,
        model: type[Model],
        fields: Sequence[str],
        rows: list[Row],
        *,
        returning: bool = False,
    ) -> list[int]:
        """Insert ``rows`` (tuples in the order of ``fields``); with ``returning``, the new
        primary keys in row order."""
        if not rows:
            return []
        with connection.cursor() as wrapper:
            # The driver's own cursor: no per-query debug logging of these large statements.
            cursor = wrapper.cursor
            if connection.vendor == "postgresql":
                return self._copy(cursor, model, fields, rows, returning)
            rows = self._adapt(self._adapters(model, fields), rows)
            size = max(1, self.max_params // len(fields))
            ids: list[int] = []
            full_sql = self._sql(model, fields, size, returning)
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                sql = (
                    full_sql
                    if len(batch) == size
                    else self._sql(model, fields, len(batch), returning)
                )
                # Django's SQLite cursor wrapper translates the %s placeholders.
                cursor.execute(sql, [value for row in batch for value in row])
                if returning:
                    # Rows come back in VALUES order, as bulk_create also relies on.
                    ids.extend(pk for (pk,) in cursor.fetchall())
            return ids

    def _copy(
        self,
        cursor: Any,
        model: type[Model],
        fields: Sequence[str],
        rows: list[Row],
        returning: bool,
    ) -> list[int]:
        """PostgreSQL: COPY … FROM STDIN, with keys reserved from the table's sequence first."""
        ids: list[int] = []
        if returning:
            pk = model._meta.pk
            assert pk is not None
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(rows)],
            )
            ids = [value for (value,) in cursor.fetchall()]
            fields = [pk.name, *fields]
            rows = [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
        columns = ", ".join(self._column(model, name) for name in fields)
        with cursor.copy(f"COPY {self.quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return ids


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
    inserter = BulkInserter()
    cid = county.pk
    for chunk in _chunks(households, chunk_size):
        now = timezone.now()
        household_ids = inserter.insert(
            Household,
            ["county", "reference", "created_at"],
            [(cid, plan.reference, now) for plan in chunk],
            returning=True,
        )
        members = [
            (household_id, plan, member)
            for household_id, plan in zip(household_ids, chunk, strict=True)
            for member in plan.persons
        ]
        person_ids = inserter.insert(
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
            returning=True,
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
            inserter.insert(model, fields, tables[name])
            counts[name] += len(tables[name])
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
