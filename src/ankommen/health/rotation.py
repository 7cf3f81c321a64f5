"""Re-encrypt every encrypted field with the primary key (``ankommen keys rotate``)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from ankommen.health import crypto
from ankommen.health.models import ENCRYPTED_MODELS


def rotate_all(
    *, batch_size: int = 500, on_model: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Rewrite each stored token with :func:`crypto.rotate` (decrypt with any configured key,
    encrypt with the first). The SQL works on the raw tokens, so values are never held longer
    than one row. All or nothing: one transaction. Returns rows per model."""
    counts: dict[str, int] = {}
    quote = connection.ops.quote_name
    with transaction.atomic():
        for model in ENCRYPTED_MODELS:
            fields = crypto.encrypted_columns(model)
            table = quote(model._meta.db_table)
            columns = ", ".join(quote(c) for c in fields)
            done = 0
            with connection.cursor() as cursor:
                # Table and column names come from the models, not from input.
                cursor.execute(f"SELECT id, {columns} FROM {table} ORDER BY id")  # noqa: S608
                rows = cursor.fetchall()
            assignments = ", ".join(f"{quote(c)} = %s" for c in fields)
            update = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608
            for start in range(0, len(rows), batch_size):
                params = [
                    [*(None if v is None else crypto.rotate(v) for v in values), pk]
                    for pk, *values in rows[start : start + batch_size]
                ]
                with connection.cursor() as cursor:
                    cursor.executemany(update, params)
                done += len(params)
            counts[model._meta.label] = done
            if on_model is not None:
                on_model(model._meta.label, done)
    return counts


def check_all() -> dict[str, int]:
    """Rows per model that no configured key decrypts (all zero when the keys are right)."""
    failures: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model in ENCRYPTED_MODELS:
        fields = crypto.encrypted_columns(model)
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(c) for c in fields)
        bad = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
            for values in cursor.fetchall():
                try:
                    for value in values:
                        if value is not None:
                            crypto.decrypt(value)
                except crypto.DecryptionError:
                    bad += 1
        failures[model._meta.label] = bad
    return failures
