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
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(meta.db_table),
        ", ".join(quote(str(column.column)) for column in columns),  # type: ignore[union-attr]
        ", ".join(["%s"] * len(columns)),
    )
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(
                tuple(
                    value if adapter is None else adapter(value)
                    for value, adapter in zip(row, adapters, strict=True)
                )
            )
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
