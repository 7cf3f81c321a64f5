"""The dashboard reads each table once (base before the window, then the window's days); its
figures must equal the direct computations for every day, series point and week."""

import random
from datetime import date, timedelta

import pytest

from ankommen.housing import selectors
from ankommen.housing.models import Bed, BedStatus, Occupancy
from tests.housing.support import county, facility, household

pytestmark = pytest.mark.django_db

START = date(2024, 1, 1)


def _history(rng: random.Random) -> list[int]:
    """Two facilities, beds held and closed at times, stays (some ended by transfers inside
    the pair, some by a move into the other facility the same day) over two years."""
    place = county()
    sites = [facility(place, rooms={"1": 3, "2": 3}, since=START) for _ in range(2)]
    beds = list(Bed.objects.filter(room__site__in=sites).select_related("room"))
    for bed in beds[::3]:
        change = START + timedelta(days=rng.randint(30, 600))
        BedStatus.objects.filter(bed=bed).update(valid_to=change)
        BedStatus.objects.create(
            county=place, bed=bed, state=rng.choice(["reserved", "closed"]), valid_from=change,
            valid_to=change + timedelta(days=rng.randint(1, 90)) if rng.random() < 0.5 else None,
        )  # fmt: skip
    for bed in beds:
        day = START + timedelta(days=rng.randint(0, 40))
        while day < START + timedelta(days=700):
            home, (person,) = household(place, (rng.choice("mw"), 1990))
            end = day + timedelta(days=rng.randint(1, 120))
            transfer = rng.random() < 0.3
            Occupancy.objects.create(
                county=place, bed=bed, person=person, household=home, valid_from=day,
                valid_to=end, move_in_reason="allocation",
                move_out_reason="transfer" if transfer else "flat",
            )  # fmt: skip
            if transfer:
                other = rng.choice(beds)
                if not Occupancy.objects.filter(bed=other, valid_to__gt=end).exists():
                    Occupancy.objects.create(
                        county=place, bed=other, person=person, household=home, valid_from=end,
                        valid_to=end + timedelta(days=rng.randint(1, 60)),
                        move_in_reason="transfer", move_out_reason="flat",
                    )  # fmt: skip
            day = end + timedelta(days=rng.randint(0, 20))
    return [site.pk for site in sites]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_dashboard_equals_the_figures_computed_day_by_day(seed):
    rng = random.Random(seed)
    site_ids = _history(rng)
    for ids in (site_ids, site_ids[:1]):
        for _ in range(4):
            day = START + timedelta(days=rng.randint(0, 760))
            weeks = rng.choice([1, 4, 26, 104])
            board = selectors.dashboard(ids, day=day, weeks=weeks)
            days = selectors.series_days(day, weeks)
            direct = selectors.figures_on(ids, day)
            assert {k: v.as_dict() for k, v in board.per_site.items()} == {
                k: v.as_dict() for k, v in direct.items()
            }
            assert board.figures.as_dict() == selectors.total(direct.values()).as_dict()
            assert [(p.day, p.in_use, p.occupied) for p in board.series] == [
                (p.day, p.in_use, p.occupied) for p in selectors.fill_series(ids, days)
            ]
            for point in board.series:  # and each point is the day's own figure
                on_day = selectors.total(selectors.figures_on(ids, point.day).values())
                assert (point.in_use, point.occupied) == (on_day.in_use, on_day.occupied)
            assert [(f.week, f.arrivals, f.departures) for f in board.flows] == [
                (f.week, f.arrivals, f.departures)
                for f in selectors.weekly_flows(ids, days[0], day)
            ]


def test_the_dashboard_reads_each_table_a_fixed_number_of_times(django_assert_num_queries):
    site_ids = _history(random.Random(3))
    for weeks in (4, 104):
        with django_assert_num_queries(9):
            selectors.dashboard(site_ids, day=START + timedelta(days=500), weeks=weeks)
