"""The capacity plan from the database: inputs, scenarios, services and the command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role
from ankommen.housing.models import Bed, Occupancy
from ankommen.planning import inputs, plan, services
from ankommen.planning.models import CapacityChange, PlaceCost
from tests.factories import CountyFactory
from tests.housing.support import announce, beds_of, facility, household, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _occupy(person, bed: Bed, start: date, end: date | None = None, reason: str = "") -> None:  # type: ignore[no-untyped-def]
    Occupancy.objects.create(
        county=person.county,
        bed=bed,
        person=person,
        household=person.household,
        valid_from=start,
        valid_to=end,
        move_in_reason=Occupancy.MoveInReason.ALLOCATION,
        move_out_reason=reason,
    )


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    county = CountyFactory()
    gu = facility(county, rooms={"1": 4, "2": 3})
    facility(county, rooms={"B1": 2}, barrier_free=True)
    women = facility(county, rooms={"F1": 3}, women_only=True)
    family, members = household(county, ("w", 1985), ("m", 1984), ("m", 2016))
    for person, bed in zip(members, beds_of(gu, "1"), strict=False):
        _occupy(person, bed, TODAY - timedelta(days=200))
    # Two single men share room 2: not a family room.
    for index in range(2):
        _single, (man,) = household(county, ("m", 1990 + index))
        _occupy(man, beds_of(gu, "2")[index], TODAY - timedelta(days=100))
    _single, (woman,) = household(county, ("w", 1995))
    _occupy(woman, beds_of(women, "F1")[0], TODAY - timedelta(days=50))
    return county, gu, women, family


def test_places_today_counts_beds_and_scarce_kinds(world) -> None:  # type: ignore[no-untyped-def]
    county, gu, women, _family = world
    places = inputs.places_today(county, TODAY)
    assert places.total.occupied == 6
    assert places.total.usable == 4 + 3 + 2 + 3
    # Room 1 (one family) and the barrier-free double count as family rooms; room 2 does not.
    assert places.kinds["family"].usable == 4 + 2
    assert places.kinds["family"].occupied == 3
    assert places.kinds["barrier_free"].usable == 2
    assert places.kinds["women_only"].usable == 3
    assert places.kinds["women_only"].occupied == 1
    assert places.sites[gu.pk].usable == 7
    assert places.sites[women.pk].kinds["women_only"] == 3


def test_a_move_between_facilities_is_not_an_exit_but_a_flat_is(world) -> None:  # type: ignore[no-untyped-def]
    county, _gu, _women, _family = world
    other = facility(county, rooms={"9": 2})
    _home, (mover,) = household(county, ("m", 1980))
    middle = TODAY - timedelta(days=90)
    _occupy(mover, beds_of(other, "9")[0], TODAY - timedelta(days=300), middle, "transfer")
    _occupy(mover, beds_of(other, "9")[1], middle, TODAY - timedelta(days=10), "flat")
    _home, (leaver,) = household(county, ("w", 1970))
    _occupy(leaver, beds_of(other, "9")[0], middle, TODAY - timedelta(days=30), "departure")
    rates = inputs.exit_rates(county, TODAY)
    assert rates.exits == {"flat": 1, "transfer": 0, "departure": 1, "other": 0}
    assert 0 < rates.total < 1
    assert rates.by_reason["flat"] == pytest.approx(rates.by_reason["departure"])


def test_demand_shares_come_from_recent_allocations(world) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    _home, (woman,) = household(county, ("w", 1990))
    announce(woman, TODAY - timedelta(days=40))
    _home, kids = household(county, ("w", 1988), ("m", 2018))
    for person in kids:
        announce(
            person, TODAY - timedelta(days=60), ["rollstuhl"] if person.birth_year == 2018 else []
        )
    shares, persons = inputs.demand_history(county, TODAY)
    assert persons == 3
    assert shares == {"family": 2 / 3, "barrier_free": 1 / 3, "women_only": 1 / 3}


def test_scenario_changes_shape_capacity_and_arrivals(world) -> None:  # type: ignore[no-untyped-def]
    county, gu, _women, _family = world
    base = plan.baseline(county, today=TODAY)
    months = base.months
    assert len(months) == plan.HORIZON
    third = date.fromisoformat(months[3] + "-01")
    scenario = services.create_scenario(actor=None, county=county, name="Mehr")
    for data in (
        {"kind": "open_site", "month": third, "places": 50, "women_only_places": 10},
        {"kind": "close_site", "month": months[6], "site": gu.pk},
        {"kind": "arrivals_factor", "month": months[2], "factor": "2"},
        {"kind": "extra_stream", "month": months[1], "persons": 30, "spread_months": 3},
    ):
        services.add_change(actor=None, county=county, scenario=scenario, data=data)
    changes = plan.scenario_changes(base, scenario)
    assert len(changes) == 4
    inp = plan.plan_input(base, changes)
    usable = base.places.total.usable
    assert list(inp.total.capacity[:3]) == [usable] * 3
    assert inp.total.capacity[3] == usable + 50
    assert inp.total.capacity[6] == usable + 50 - 7
    assert inp.kinds["women_only"].capacity[3] == 3 + 10
    assert inp.arrival_factor == [1.0, 1.0] + [2.0] * 10
    assert inp.extra_arrivals == [0.0, 10.0, 10.0, 10.0] + [0.0] * 8
    # The baseline is untouched by the scenario.
    assert (
        list(plan.plan_input(base, plan.scenario_changes(base, None)).total.capacity)
        == [usable] * 12
    )


def test_planned_changes_are_part_of_the_baseline(world) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    base = plan.baseline(county, today=TODAY)
    services.add_change(
        actor=None,
        county=county,
        scenario=None,
        data={"kind": "open_site", "month": base.months[0], "places": 20},
    )
    base = plan.baseline(county, today=TODAY)
    result = plan.run_plan(base, runs=200)
    assert result.simulation.total[0].capacity == base.places.total.usable + 20


def test_a_short_series_falls_back_and_the_plan_still_runs(world) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    base = plan.baseline(county, today=TODAY)
    assert not base.forecast.backtested
    PlaceCost.objects.create(
        county=county, monthly_per_place=Decimal("600"), valid_from=date(2020, 1, 1), source="x"
    )
    result = plan.run_plan(plan.baseline(county, today=TODAY), runs=300, risk=0.05)
    data = result.as_json()
    assert data["forecast"]["backtested"] is False
    assert len(data["simulation"]["months"]) == 12
    assert data["reserve"]["cost_per_place"] == "600.00"
    assert set(data["simulation"]["kinds"]) == {"family", "barrier_free", "women_only"}
    # Occupancy only: no person is named anywhere.
    assert "Familie" not in json.dumps(data)


def test_services_check_access_validate_in_german_and_audit(world) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    planner = staff(county, Role.PLANNER).user
    caseworker = staff(county, Role.COUNTY_CASEWORKER).user
    with pytest.raises(PermissionDenied):
        services.create_scenario(actor=caseworker, county=county, name="Nein")
    before = AuditEvent.objects.count()
    scenario = services.create_scenario(actor=planner, county=county, name="Ja")
    assert AuditEvent.objects.count() == before + 1
    with pytest.raises(ValidationError) as caught:
        services.create_scenario(actor=planner, county=county, name="Ja")
    assert "gibt es schon" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        services.add_change(
            actor=planner,
            county=county,
            scenario=scenario,
            data={"kind": "open_site", "month": "2027-13", "places": "viele"},
        )
    assert set(caught.value.message_dict) == {"month", "places"}
    other_site = facility(CountyFactory(), rooms={"1": 1})
    with pytest.raises(ValidationError) as caught:
        services.add_change(
            actor=planner,
            county=county,
            scenario=scenario,
            data={"kind": "close_site", "month": "2027-01", "site": other_site.pk},
        )
    assert "Unterkunft dieses Landkreises" in str(caught.value)
    assert CapacityChange.objects.count() == 0
    with pytest.raises(ValidationError) as caught:
        services.set_place_cost(
            actor=planner, county=county, monthly_per_place="-1", valid_from=TODAY, source=""
        )
    assert set(caught.value.message_dict) == {"monthly_per_place", "source"}


def _command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("capacity-plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_json_only_on_stdout_and_is_reproducible(world) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    out, err = _command("--county", county.slug, "--runs", "300", "--format", "json")
    data = json.loads(out)
    assert data["county"] == county.slug
    assert "Simulation" in err
    again, _err = _command("--county", county.slug, "--runs", "300", "--format", "json")
    assert json.loads(again)["simulation"] == data["simulation"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--county", "gibt-es-nicht"], "gibt es nicht"),
        (["--runs", "0"], "--runs"),
        (["--risk", "2"], "--risk"),
        (["--scenario", "999999"], "Szenario"),
    ],
)
def test_command_refuses_bad_arguments_with_exit_2(world, args, message) -> None:  # type: ignore[no-untyped-def]
    county, *_rest = world
    full = ["--county", county.slug, *args] if args[0] != "--county" else args
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("capacity-plan", *full, stdout=StringIO(), stderr=err)
    assert caught.value.code == 2
    assert message in err.getvalue()
