from datetime import date

import numpy as np
import pytest

from ankommen.algorithms.capacity import (
    Arrived,
    CapacityError,
    MonthForecast,
    PlanInput,
    Stay,
    Stock,
    correlated_normals,
    demand_shares,
    error_correlation,
    estimate_exit_rates,
    reserve,
    sample_arrivals,
    simulate,
)

MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]


def _forecast(mean: float, spread: float = 1.3) -> list[MonthForecast]:
    return [
        MonthForecast(m, mean, mean / spread, mean * spread, mean / spread**2, mean * spread**2)
        for m in MONTHS
    ]


def _plan(
    *, arrivals: float = 40.0, occupancy: int = 500, capacity: int = 600, **kwargs: object
) -> PlanInput:
    return PlanInput(
        forecasts=_forecast(arrivals)
        if arrivals
        else [MonthForecast(m, 0, 0, 0, 0, 0) for m in MONTHS],
        total=Stock(occupancy, [capacity] * 12),
        exit_rate=kwargs.pop("exit_rate", 0.05),  # type: ignore[arg-type]
        housed_share=kwargs.pop("housed_share", 0.8),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def test_without_arrivals_occupancy_declines_by_the_exit_rate() -> None:
    result = simulate(
        _plan(arrivals=0, occupancy=1000, capacity=1000, exit_rate=0.05), runs=4000, seed=1
    )
    for h, month in enumerate(result.total, start=1):
        assert month.expected == pytest.approx(1000 * 0.95**h, rel=0.01)
        assert month.shortage == 0.0


def test_capacity_far_above_gives_no_shortage() -> None:
    result = simulate(_plan(capacity=100_000), runs=2000, seed=2)
    assert all(month.shortage == 0.0 for month in result.total)


def test_doubling_arrivals_raises_the_shortage_probability() -> None:
    base = simulate(_plan(), runs=3000, seed=3)
    double = simulate(_plan(arrival_factor=[2.0] * 12), runs=3000, seed=3)
    assert double.total[-1].shortage > base.total[-1].shortage
    assert double.total[-1].expected > base.total[-1].expected
    assert double.peak_shortage > base.peak_shortage


def test_extra_persons_from_a_month_on_add_occupancy_only_from_then() -> None:
    extra = [0.0] * 5 + [100.0] * 7
    base = simulate(_plan(), runs=2000, seed=4)
    more = simulate(_plan(extra_arrivals=extra), runs=2000, seed=4)
    assert more.total[3].expected == pytest.approx(base.total[3].expected, rel=0.02)
    assert more.total[6].expected > base.total[6].expected + 100


def test_the_same_seed_gives_the_same_result_and_another_seed_another() -> None:
    a = simulate(_plan(), runs=500, seed=7)
    b = simulate(_plan(), runs=500, seed=7)
    c = simulate(_plan(), runs=500, seed=8)
    assert a.as_json() == b.as_json()
    assert a.as_json() != c.as_json()


def test_band_is_ordered_and_widens_with_the_horizon() -> None:
    result = simulate(_plan(), runs=2000, seed=5)
    for month in result.total:
        assert month.p10 <= month.p50 <= month.p90
    assert result.total[-1].p90 - result.total[-1].p10 > result.total[0].p90 - result.total[0].p10


def test_scarce_kinds_run_their_own_stock_and_share() -> None:
    kinds = {
        "women_only": Stock(30, [32] * 12, share=0.1),
        "barrier_free": Stock(5, [500] * 12, share=0.02),
    }
    result = simulate(_plan(kinds=kinds), runs=2000, seed=6)
    assert result.kinds["women_only"][-1].shortage > 0.5
    assert result.kinds["barrier_free"][-1].shortage == 0.0
    # Of about 32 housed persons a month, 10 % are single women.
    gained = result.kinds["women_only"][0].expected - 30 * 0.95
    assert gained == pytest.approx(40 * 0.8 * 0.1, rel=0.25)


def test_arrival_draws_follow_the_forecast_quantiles() -> None:
    forecasts = _forecast(100.0, spread=1.5)
    z = np.random.default_rng(0).standard_normal((20000, 12))
    draws = sample_arrivals(forecasts, z)
    assert np.median(draws[:, 0]) == pytest.approx(100.0, rel=0.03)
    assert np.mean(draws[:, 0] <= forecasts[0].hi80) == pytest.approx(0.9, abs=0.01)
    assert np.mean(draws[:, 0] <= forecasts[0].lo95) == pytest.approx(0.025, abs=0.005)


def test_correlated_normals_keep_unit_variance_and_the_correlation() -> None:
    z = correlated_normals(np.random.default_rng(1), 20000, 6, 0.8)
    assert np.std(z[:, 5]) == pytest.approx(1.0, abs=0.03)
    assert np.corrcoef(z[:, 2], z[:, 3])[0, 1] == pytest.approx(0.8, abs=0.02)


def test_error_correlation_of_persistent_errors_is_high_and_of_noise_low() -> None:
    rng = np.random.default_rng(2)
    level = rng.normal(size=(40, 1))
    persistent = level + 0.1 * rng.normal(size=(40, 6))
    assert error_correlation(persistent) is not None
    assert error_correlation(persistent) > 0.9  # type: ignore[operator]
    noise = rng.normal(size=(40, 6))
    assert error_correlation(noise) < 0.3  # type: ignore[operator]
    assert error_correlation(np.full((3, 6), np.nan)) is None


def test_exit_rates_are_exits_per_person_month() -> None:
    since, until = date(2025, 1, 1), date(2026, 1, 1)
    stays = [Stay(date(2024, 6, 1), None)] * 10  # 10 persons all year: 120 person-months
    stays += [Stay(date(2024, 6, 1), date(2025, 7, 2), "flat")] * 6  # 6 × 6 months, then flats
    stays += [Stay(date(2024, 6, 1), date(2025, 7, 2), "departure")] * 2
    stays += [Stay(date(2023, 1, 1), date(2024, 12, 1), "flat")] * 50  # left before the window
    rates = estimate_exit_rates(stays, since=since, until=until)
    assert rates.exits == {"flat": 6, "transfer": 0, "departure": 2, "other": 0}
    assert rates.person_months == pytest.approx((3650 + 8 * 182) / 30.4375)
    hazard = 8 / rates.person_months
    assert rates.total == pytest.approx(1 - np.exp(-hazard))
    assert rates.by_reason["flat"] == pytest.approx(rates.total * 6 / 8)


def test_no_history_gives_zero_rates_and_an_empty_window_is_an_error() -> None:
    rates = estimate_exit_rates([], since=date(2025, 1, 1), until=date(2026, 1, 1))
    assert rates.total == 0.0
    with pytest.raises(CapacityError, match="leer"):
        estimate_exit_rates([], since=date(2025, 1, 1), until=date(2025, 1, 1))


def test_demand_shares_count_persons_by_household_composition_and_needs() -> None:
    shares = demand_shares(
        [
            Arrived(persons=4, children=2),  # family room for 4
            Arrived(persons=1, single_woman=True),  # women-only place
            Arrived(persons=1),  # single man
            Arrived(persons=2, barrier_free=1),  # couple, one wheelchair user
            Arrived(persons=2, children=1, single_woman=False),  # single parent
        ]
    )
    assert shares == {"family": 6 / 10, "barrier_free": 1 / 10, "women_only": 1 / 10}
    assert demand_shares([]) == {"family": 0.0, "barrier_free": 0.0, "women_only": 0.0}


def test_reserve_meets_the_risk_and_grows_as_the_risk_falls() -> None:
    result = simulate(_plan(occupancy=580, capacity=600), runs=4000, seed=9)
    five = reserve(result, 0.05)
    one = reserve(result, 0.01)
    assert five.places > 0
    assert one.places >= five.places
    covered = result.samples <= np.asarray(result.capacity)[None, :] + five.places
    assert covered.mean(axis=0).min() >= 0.95
    assert all(0 <= empty <= five.places for empty in five.empty_expected)
    roomy = simulate(_plan(capacity=100_000), runs=500, seed=9)
    assert reserve(roomy, 0.05).places == 0


def test_bad_input_is_refused_in_german() -> None:
    with pytest.raises(CapacityError, match="Läufe"):
        simulate(_plan(), runs=0)
    with pytest.raises(CapacityError, match="Kapazität"):
        simulate(PlanInput(_forecast(10), Stock(1, [1]), exit_rate=0.1, housed_share=1.0))
    bad = [MonthForecast("2027-01", 10, 20, 5, 1, 30)]
    with pytest.raises(CapacityError, match="Grenzen"):
        simulate(PlanInput(bad, Stock(1, [1]), exit_rate=0.1, housed_share=1.0))
    with pytest.raises(CapacityError, match="Risiko"):
        reserve(simulate(_plan(), runs=10), 1.5)
