"""Fast inserts of many plain rows, for bulk imports.

``bulk_create`` builds a model instance and prepares every value of every field through the
ORM, which costs about 0.1 ms per row; an import of 10,000 persons writes over 100,000 rows.
:func:`insert_rows` sends parameterised ``INSERT`` statements with ``executemany`` instead. It
skips model validation, signals and ``auto_now`` (callers pass every value), and returns no ids:
use ``bulk_create`` where the ids are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router

# Field types whose Python values the database driver cannot take as they are.
_ADAPTED = frozenset({"JSONField", "DateTimeField", "DateField", "DecimalField", "BinaryField"})


def _adapters(connection: Any, columns: Sequence[Any]) -> list[Callable[[Any], Any] | None]:
    """Per column, how to turn a Python value into what the driver takes (None: as it is)."""
    adapters: list[Callable[[Any], Any] | None] = []
    for column in columns:
        kind = column.get_internal_type()
        if kind == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        elif kind == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif kind == "JSONField":
            encoder = getattr(column, "encoder", None)

            def adapt_json(value: Any, encoder: Any = encoder) -> Any:
                return connection.ops.adapt_json_value(value, encoder)

            adapters.append(adapt_json)
        elif kind in _ADAPTED:

            def adapt(value: Any, field: Any = column) -> Any:
                return field.get_db_prep_save(value, connection)

            adapters.append(adapt)
        else:
            adapters.append(None)
    return adapters


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``; foreign keys as ids) into
    ``model``'s table. Returns the number of rows inserted."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    adapters = _adapters(connection, columns)
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - names from model metadata
        quote(meta.db_table),
        ", ".join(quote(str(column.column)) for column in columns),  # type: ignore[union-attr]
    )
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # PostgreSQL runs executemany as one statement per row; COPY is many times faster there.
    # SQLite reuses one prepared statement, which is fast.
    use_copy = connection.vendor == "postgresql"
    copy_sql = "COPY {} ({}) FROM STDIN".format(
        quote(meta.db_table),
        ", ".join(quote(str(column.column)) for column in columns),  # type: ignore[union-attr]
    )
    count = 0
    batch: list[Any] = []
    with connection.cursor() as cursor:

        def flush() -> None:
            if use_copy:
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(head + placeholder, batch)

        for row in rows:
            batch.append(
                tuple(
                    value if adapter is None else adapter(value)
                    for value, adapter in zip(row, adapters, strict=True)
                )
            )
            if len(batch) >= batch_size:
                flush()
                count += len(batch)
                batch = []
        if batch:
            flush()
            count += len(batch)
    return count


def insert_objects(objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances of one model and set their primary keys (multi-row
    ``INSERT … RETURNING``, as ``bulk_create`` does on PostgreSQL and SQLite, without its
    per-value compiler work). Every concrete field is written, with ``auto_now`` applied, so
    a field added to the model later is included by itself."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        raise NotImplementedError("The database cannot return ids from a multi-row insert.")
    meta = model._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = {
        f.attname
        for f in columns
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    adapters = _adapters(connection, columns)
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - names from model metadata
        quote(meta.db_table), ", ".join(quote(str(column.column)) for column in columns)
    )
    tail = f" RETURNING {quote(str(meta.pk.column))}"
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_batch = max(1, min(1000, (connection.features.max_query_params or 999) // len(columns)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Take the ids from the table's sequence, then COPY the rows with them.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(meta.db_table),
                ", ".join(quote(str(c.column)) for c in [meta.pk, *columns]),
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for obj in objects:
                    copy.write_row([obj.pk, *_values(obj, columns, adapters, stamped)])
            for obj in objects:
                obj._state.adding = False
                obj._state.db = connection.alias
            return
        for start in range(0, len(objects), per_batch):
            batch = objects[start : start + per_batch]
            params: list[Any] = []
            for obj in batch:
                params.extend(_values(obj, columns, adapters, stamped))
            cursor.execute(head + ", ".join([placeholder] * len(batch)) + tail, params)
            for obj, row in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = row[0]
                obj._state.adding = False
                obj._state.db = connection.alias


def _values(
    obj: models.Model,
    columns: Sequence[Any],
    adapters: Sequence[Callable[[Any], Any] | None],
    stamped: set[str],
) -> list[Any]:
    values: list[Any] = []
    for column, adapter in zip(columns, adapters, strict=True):
        if column.attname in stamped:
            value = column.pre_save(obj, True)
        else:
            value = getattr(obj, column.attname)
        values.append(value if adapter is None else adapter(value))
    return values
