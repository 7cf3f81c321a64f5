from datetime import date

import pytest

from ankommen.algorithms.allocation_samples import sample_rows, to_csv
from ankommen.housing.services_allocations import import_allocations
from ankommen.planning.series import county_allocations, month_index
from tests.factories import CountyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_counts_persons_per_month_of_allocation_with_gaps_as_zero() -> None:
    county = CountyFactory()
    other = CountyFactory()
    for day in (date(2025, 1, 5), date(2025, 1, 20), date(2025, 3, 2)):
        PersonFactory(household__county=county, allocated_on=day)
    PersonFactory(household__county=county, allocated_on=None)  # not allocated: not counted
    PersonFactory(household__county=other, allocated_on=date(2025, 2, 1))  # other county
    series = county_allocations(county, today=date(2025, 5, 14))
    assert series.start == month_index(date(2025, 1, 1))
    # January 2, February 0, March 1, April 0; May is not complete yet.
    assert series.values == (2.0, 0.0, 1.0, 0.0)


def test_the_month_in_progress_and_future_allocations_are_left_out() -> None:
    county = CountyFactory()
    PersonFactory(household__county=county, allocated_on=date(2025, 4, 30))
    PersonFactory(household__county=county, allocated_on=date(2025, 5, 1))
    series = county_allocations(county, today=date(2025, 5, 14))
    assert series.values == (1.0,)


def test_an_imported_list_counts_in_the_month_of_the_planned_arrival() -> None:
    county = CountyFactory()
    rows = sample_rows(3, seed=4, start=date(2025, 2, 10))
    result = import_allocations(
        actor=None, county=county, file_name="liste.csv", content=to_csv(rows)
    )
    assert not result.errors
    series = county_allocations(county, today=date(2026, 1, 15))
    arrivals = [date(*reversed([int(x) for x in row["Ankunft"].split(".")])) for row in rows]
    months = {month_index(day) for day in arrivals}
    assert series.start == min(months)
    assert sum(series.values) == len(rows)


def test_no_allocations_give_an_empty_series() -> None:
    assert county_allocations(CountyFactory(), today=date(2025, 5, 1)).values == ()
