"""The bulk write layer (core.bulk) on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ankommen.core.bulk import (
    SQLITE_MAX_PARAMS,
    insert_objects,
    insert_rows,
    insert_rows_returning_ids,
)
from ankommen.housing.models import PlacementRun, Room
from ankommen.people.models import Household
from tests.factories import CountyFactory, SiteFactory

pytestmark = pytest.mark.django_db

HOUSEHOLD_FIELDS = ["county", "reference", "created_at"]


def test_ids_come_back_in_row_order_also_across_several_statements():
    county = CountyFactory()
    now = timezone.now()
    # Three columns: more rows than one SQLite statement takes.
    references = [f"H-{n:05d}" for n in reversed(range(SQLITE_MAX_PARAMS))]
    ids = insert_rows_returning_ids(
        Household, HOUSEHOLD_FIELDS, [(county.pk, ref, now) for ref in references]
    )
    stored = dict(Household.objects.filter(county=county).values_list("pk", "reference"))
    assert len(ids) == len(set(ids)) == len(references)
    assert [stored[pk] for pk in ids] == references


def test_insert_rows_counts_rows_from_a_generator_and_stores_decimals_and_nulls():
    site = SiteFactory()
    fields = ["county", "site", "floor", "number", "area_m2", "barrier_free", "women_only"]
    rows = (
        (site.county_id, site.pk, "EG", str(n), Decimal("12.50") if n % 2 else None, n == 1, False)
        for n in range(1, 4)
    )
    assert insert_rows(Room, fields, rows) == 3
    stored = Room.objects.filter(site=site).order_by("number")
    assert [(r.number, r.area_m2, r.barrier_free) for r in stored] == [
        ("1", Decimal("12.50"), True),
        ("2", None, False),
        ("3", Decimal("12.50"), False),
    ]


def test_insert_objects_sets_keys_and_stamps_and_stores_dates_and_json():
    county = CountyFactory()
    finished = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    runs = [
        PlacementRun(
            county=county,
            window_from=date(2026, 3, n),
            window_to=date(2026, 3, n + 7),
            instance={"Haushalte": ["Müller", "Ağa"], "n": n},
            accepted=[n],
            finished_at=finished if n == 1 else None,
        )
        for n in (1, 2)
    ]
    insert_objects(runs)
    assert all(run.pk is not None and not run._state.adding for run in runs)
    assert all(run.created_at is not None for run in runs)
    for run in runs:
        stored = PlacementRun.objects.get(pk=run.pk)
        assert (stored.window_from, stored.window_to) == (run.window_from, run.window_to)
        assert stored.instance == run.instance
        assert stored.accepted == run.accepted
        assert stored.result == {}
        assert stored.finished_at == run.finished_at
        assert stored.created_at == run.created_at


def test_a_broken_constraint_raises_djangos_integrity_error():
    county = CountyFactory()
    now = timezone.now()
    rows = [(county.pk, "H-1", now), (county.pk, "H-1", now)]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Household, HOUSEHOLD_FIELDS, rows)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows_returning_ids(Household, HOUSEHOLD_FIELDS, rows)
    assert not Household.objects.filter(county=county).exists()


def test_a_row_of_the_wrong_width_is_refused():
    county = CountyFactory()
    with pytest.raises(ValueError, match="2 values for 3 columns"), transaction.atomic():
        insert_rows(Household, HOUSEHOLD_FIELDS, [(county.pk, "H-1", timezone.now()), (1, "x")])


def test_a_reverse_relation_is_not_a_column():
    with pytest.raises(TypeError, match=r"Household\.members is not a concrete column"):
        insert_rows(Household, ["members"], [(1,)])


def test_no_rows_insert_nothing():
    assert insert_rows(Household, HOUSEHOLD_FIELDS, iter([])) == 0
    assert insert_rows_returning_ids(Household, HOUSEHOLD_FIELDS, []) == []
    insert_objects([])
    assert not Household.objects.exists()
