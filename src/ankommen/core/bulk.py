"""Fast inserts of many rows: the one bulk write layer of the project.

Why it exists: ``bulk_create`` builds a model instance and prepares every value of every
field through the ORM. That cost about 0.85 ms per person on SQLite when seeding (about 11
rows per person), so 100,000 persons would miss the 60 s target of issue 3, and the
allocation import took 22–35 s for 10,000 rows (figures in docs/benchmarks.md). Here rows
are plain tuples and go to the database in large statements:

- SQLite: multi-row ``INSERT … VALUES``, chunked below the variable limit, with
  ``RETURNING`` for the ids where they are needed.
- PostgreSQL: ``COPY … FROM STDIN``; where ids are needed they are first taken from the
  table's sequence and copied with the rows.

Column names come from ``Model._meta`` (the SQL follows the models), values are always
parameters, adapted by the backend's own ``ops`` (dates, JSON), and the database still checks
every constraint; errors arrive as Django's ``IntegrityError`` and friends. Skipped: model
validation, signals, and for plain rows also ``auto_now`` (callers pass every value).
Statements are sent on the driver's cursor, so they are not kept in ``connection.queries``.

Used by the allocation import (``housing``), :func:`ankommen.audit.services.record_events`
and the seeding tools (``ankommen demo``, ``ankommen seed``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

Adapter = Callable[[Any], Any]
Row = Sequence[Any]

# Parameters per statement on SQLite. The sqlite3 module caches every compiled statement;
# with 32,000 parameters each costs megabytes (seeding 100,000 persons peaked at 372 MiB
# instead of 128 MiB) without being faster.
SQLITE_MAX_PARAMS = 4000


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``; foreign keys as ids) into
    ``model``'s table. Returns the number of rows inserted."""
    count, _ids = _insert(model, _columns(model, fields), rows, returning=False)
    return count


def insert_rows_returning_ids(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Row]
) -> list[int]:
    """:func:`insert_rows`, returning the new primary keys in the order of ``rows``."""
    _count, ids = _insert(model, _columns(model, fields), rows, returning=True)
    return ids


def insert_objects(objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances of one model and set their primary keys. Every concrete field
    is written, with ``auto_now`` applied, so a field added to the model later is included by
    itself."""
    if not objects:
        return
    model = type(objects[0])
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    stamped = {
        field.attname
        for field in columns
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    rows = [
        [
            field.pre_save(obj, True) if field.attname in stamped else getattr(obj, field.attname)
            for field in columns
        ]
        for obj in objects
    ]
    _count, ids = _insert(model, columns, rows, returning=True)
    alias = router.db_for_write(model)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = alias


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or not field.concrete:
            raise TypeError(f"{model.__name__}.{name} is not a concrete column")
        columns.append(field)
    return columns


def _adapters(
    connection: BaseDatabaseWrapper, columns: Sequence[models.Field[Any, Any]]
) -> list[Adapter | None]:
    """Per column, what turns a Python value into one the driver takes (None: as it is)."""
    ops = connection.ops
    # psycopg's COPY writes dates, times, decimals and bytes itself (the PostgreSQL ops
    # return them unchanged); only JSON needs wrapping there.
    copy = connection.vendor == "postgresql"
    adapters: list[Adapter | None] = []
    for column in columns:
        kind = column.get_internal_type()
        if kind == "JSONField":
            encoder = getattr(column, "encoder", None)

            def adapt_json(value: Any, encoder: Any = encoder) -> Any:
                return ops.adapt_json_value(value, encoder)

            adapters.append(adapt_json)
        elif copy:
            adapters.append(None)
        elif kind == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "TimeField":
            adapters.append(ops.adapt_timefield_value)
        elif kind in {"DecimalField", "BinaryField"}:

            def adapt(value: Any, field: Any = column) -> Any:
                return field.get_db_prep_save(value, connection)

            adapters.append(adapt)
        else:
            adapters.append(None)
    return adapters


def _adapted(rows: Iterable[Row], adapters: Sequence[Adapter | None]) -> Iterator[Row]:
    """The rows with their values adapted; NULL stays NULL (as in the ORM, also for JSON)."""
    width = len(adapters)
    todo = [(index, adapt) for index, adapt in enumerate(adapters) if adapt is not None]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"A row has {len(row)} values for {width} columns: {row!r}")
        if not todo:
            yield row
            continue
        values = list(row)
        for index, adapt in todo:
            if values[index] is not None:
                values[index] = adapt(values[index])
        yield values


def _insert(
    model: type[models.Model],
    columns: Sequence[models.Field[Any, Any]],
    rows: Iterable[Row],
    *,
    returning: bool,
) -> tuple[int, list[int]]:
    """Insert the rows; returns their number and, with ``returning``, their primary keys."""
    connection = connections[router.db_for_write(model)]
    if returning:
        rows = list(rows)
        if not rows:
            return 0, []
    else:
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0, []
        rows = chain([first], iterator)
    rows = _adapted(rows, _adapters(connection, columns))
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        # The driver's own cursor: no debug log of statements with thousands of parameters.
        cursor = wrapper.cursor
        if connection.vendor != "postgresql":
            return _values(connection, cursor, model, columns, rows, returning)
        ids: list[int] = []
        if returning:
            # COPY returns nothing: take the keys from the table's sequence first and copy
            # them with the rows.
            rows = list(rows)
            ids = _reserve_ids(cursor, model, len(rows))
            columns = [model._meta.pk, *columns]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        return _copy(connection, cursor, model._meta.db_table, columns, rows), ids


def _quoted_columns(
    connection: BaseDatabaseWrapper, columns: Sequence[models.Field[Any, Any]]
) -> str:
    return ", ".join(connection.ops.quote_name(str(column.column)) for column in columns)


def _values(
    connection: BaseDatabaseWrapper,
    cursor: Any,
    model: type[models.Model],
    columns: Sequence[models.Field[Any, Any]],
    rows: Iterable[Row],
    returning: bool,
) -> tuple[int, list[int]]:
    """Multi-row ``INSERT … VALUES`` (``RETURNING`` the ids), as few statements as the
    variable limit allows."""
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("The database cannot return ids from a multi-row insert.")
    meta = model._meta
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        max_params = min(SQLITE_MAX_PARAMS, limit)
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        max_params = connection.features.max_query_params or 60_000
    per_statement = max(1, max_params // len(columns))
    # Identifiers come from model metadata (quoted); values are always parameters.
    table, names = quote(meta.db_table), _quoted_columns(connection, columns)
    head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" RETURNING {quote(str(meta.pk.column))}" if returning else ""

    def statement(count: int) -> str:
        return head + ", ".join([placeholders] * count) + tail

    full = statement(per_statement)
    count = 0
    ids: list[int] = []
    iterator = iter(rows)
    while batch := list(islice(iterator, per_statement)):
        # Django's SQLite cursor translates the %s placeholders.
        cursor.execute(
            full if len(batch) == per_statement else statement(len(batch)),
            [value for row in batch for value in row],
        )
        count += len(batch)
        if returning:
            # Rows come back in VALUES order, which bulk_create relies on as well.
            ids.extend(pk for (pk,) in cursor.fetchall())
    return count, ids


def _reserve_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    """PostgreSQL: ``count`` new primary keys from the sequence of ``model``'s table."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _copy(
    connection: BaseDatabaseWrapper,
    cursor: Any,
    table: str,
    columns: Sequence[models.Field[Any, Any]],
    rows: Iterable[Row],
) -> int:
    """PostgreSQL: the rows in one ``COPY … FROM STDIN``; returns their number."""
    count = 0
    names = _quoted_columns(connection, columns)
    with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
