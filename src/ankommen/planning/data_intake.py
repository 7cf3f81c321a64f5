"""Loads the shipped intake-planning data (``planning/data/*.csv``): the national series, the
chain of shares and the yearly quotas, each with its source and whether it was verified.

Idempotent: a shipped series is replaced by the file's values; chain links and quotas are only
added where the county has none for that date or year, so a planner's changes stay.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import transaction

from ankommen.core.models import County
from ankommen.planning import services_intake as services
from ankommen.planning.models_intake import (
    ChainLink,
    IntakeQuota,
    NationalSeries,
    Stream,
    StreamSource,
)

DATA = Path(__file__).resolve().parent / "data"
#: The shipped series that feeds the asylum stream of every county.
ASYLUM_SERIES = "BAMF Asylerstanträge Deutschland"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def _same(series: NationalSeries, content: bytes, source: str) -> bool:
    stored = list(series.values.order_by("month").values_list("month", "value"))
    return series.source == source and stored == services.parse_upload(content)


@transaction.atomic
def load_planning_data(counties: list[County] | None = None) -> Counter[str]:
    """Load the files for ``counties`` (default: every county in the database); counts what
    was added or replaced."""
    created: Counter[str] = Counter()
    shipped = {}
    for row in _rows("series.csv"):
        content = (DATA / row["file"]).read_bytes()
        existing = NationalSeries.objects.filter(county__isnull=True, name=row["name"]).first()
        if existing is not None and _same(existing, content, row["source"]):
            shipped[row["name"]] = existing
            continue
        shipped[row["name"]] = services.upload_series(
            actor=None, county=None, name=row["name"], content=content, source=row["source"]
        )
        created["series"] += 1
    by_key = {c.official_key: c for c in counties or County.objects.all()}
    for row in _rows("chain_links.csv"):
        county = by_key.get(row["official_key"])
        valid_from = date.fromisoformat(row["valid_from"])
        if (
            county is None
            or ChainLink.objects.filter(
                county=county, stream=row["stream"], factor=row["factor"], valid_from=valid_from
            ).exists()
        ):
            continue
        services.set_chain_link(
            actor=None,
            county=county,
            stream=row["stream"],
            factor=row["factor"],
            valid_from=valid_from,
            value=row["value"],
            source=row["source"],
            verified=_flag(row["verified"]),
        )
        created["chain_links"] += 1
    for row in _rows("aufnahmesoll.csv"):
        county = by_key.get(row["official_key"])
        year = int(row["year"])
        if county is None or IntakeQuota.objects.filter(county=county, year=year).exists():
            continue
        services.set_quota(
            actor=None,
            county=county,
            year=year,
            quota=int(row["quota"]),
            source=row["source"],
            verified=_flag(row["verified"]),
        )
        created["quotas"] += 1
    for county in by_key.values():
        _, made = StreamSource.objects.get_or_create(
            county=county, stream=Stream.ASYLUM, defaults={"series": shipped[ASYLUM_SERIES]}
        )
        created["stream_sources"] += int(made)
    return created
