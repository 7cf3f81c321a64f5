"""The published reimbursement amounts shipped with the code (``data/rules_brandenburg.csv``,
one source per row), loaded by the data migration; idempotent."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

PUBLISHED_RULES = Path(__file__).resolve().parent / "data" / "rules_brandenburg.csv"


def published_rows() -> list[dict[str, Any]]:
    with PUBLISHED_RULES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "state": row["state"],
            "county_key": row["county_key"],
            "kind": row["kind"],
            "housing": row["housing"],
            "valid_from": date.fromisoformat(row["valid_from"]),
            "amount": Decimal(row["amount"]) if row["amount"] else None,
            "paragraph": row["paragraph"],
            "source": row["source"],
            "note": row["note"],
        }
        for row in rows
    ]


def load_published_rules(model: Any) -> int:
    """Create the published rules that are missing; returns how many were created."""
    created = 0
    for row in published_rows():
        key = {k: row[k] for k in ("state", "county_key", "kind", "housing", "valid_from")}
        _rule, made = model.objects.get_or_create(**key, defaults=row)
        created += made
    return created
