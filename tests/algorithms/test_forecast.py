import json
import math

import numpy as np
import pytest

from ankommen.algorithms import forecast as fc
from ankommen.algorithms.forecast import (
    COMBINED,
    LEVELS,
    Series,
    SeriesError,
    backtest,
    conformal_quantile,
    forecast,
    parse_series_csv,
)


def _csv(values, start="2018-01"):
    year, month = map(int, start.split("-"))
    rows = ["month,value"]
    for i, value in enumerate(values):
        index = year * 12 + month - 1 + i
        rows.append(f"{index // 12}-{index % 12 + 1:02d},{value}")
    return "\n".join(rows) + "\n"


def _errors(text, **kwargs):
    with pytest.raises(SeriesError) as caught:
        parse_series_csv(text, **kwargs)
    return [str(e) for e in caught.value.errors]


def _naive_like(log_y, horizon):
    return np.full(horizon, log_y[-1])


# Fast stand-ins for the statsforecast models: every combined model is naive, so the combination
# is naive and the back-test arithmetic can be checked by hand.
NAIVE_ONLY = dict.fromkeys(COMBINED, _naive_like)


# --- parsing -------------------------------------------------------------------------------


def test_parses_a_valid_series_with_bom_and_blank_lines():
    text = "\ufeffmonth,value\n2020-11,5\n\n2020-12,7.5\n2021-01,0\n"
    series = parse_series_csv(text, min_months=3)
    assert series.values == (5.0, 7.5, 0.0)
    assert series.months == ["2020-11", "2020-12", "2021-01"]


def test_wrong_header_is_an_error_on_line_1():
    assert _errors("monat,wert\n2020-01,1\n", min_months=1) == [
        "Zeile 1: Kopfzeile „month,value“ erwartet, gefunden „monat,wert“."
    ]
    assert _errors("", min_months=1)[0].startswith("Zeile 1: Kopfzeile")


def test_a_gap_names_the_line_and_the_missing_months():
    text = "month,value\n2020-01,1\n2020-02,2\n2020-05,3\n2020-07,4\n"
    assert _errors(text, min_months=1) == [
        "Zeile 4: Lücke vor 2020-05: es fehlt 2020-03 bis 2020-04.",
        "Zeile 5: Lücke vor 2020-07: es fehlt 2020-06.",
    ]


def test_duplicate_and_unsorted_months_name_their_lines():
    text = "month,value\n2020-01,1\n2020-02,2\n2020-02,3\n2020-01,4\n"
    assert _errors(text, min_months=1) == [
        "Zeile 4: Monat 2020-02 kommt doppelt vor (schon in Zeile 3).",
        "Zeile 5: Monat 2020-01 kommt doppelt vor (schon in Zeile 2).",
    ]
    text = "month,value\n2020-03,1\n2020-02,2\n"
    assert _errors(text, min_months=1) == [
        "Zeile 3: Monat 2020-02 steht nach 2020-03; die Monate müssen aufsteigend sortiert sein."
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2020-02,-3", "Zeile 3: Wert -3 ist negativ."),
        ("2020-02,abc", "Zeile 3: Wert „abc“ ist keine Zahl."),
        ("2020-02,nan", "Zeile 3: Wert „nan“ ist keine Zahl."),
        ("2020-02,1_000", "Zeile 3: Wert „1_000“ ist keine Zahl."),
        ("2020-02,", "Zeile 3: Wert „“ ist keine Zahl."),
        ("2020-02,12,5", "Zeile 3: 2 Felder (Monat, Wert) erwartet, gefunden 3."),
        ("2020-13,4", "Zeile 3: Monat „2020-13“ ist nicht im Format JJJJ-MM."),
        ("02/2020,4", "Zeile 3: Monat „02/2020“ ist nicht im Format JJJJ-MM."),
    ],
)
def test_bad_rows_name_their_line(row, message):
    text = f"month,value\n2020-01,1\n{row}\n"
    assert _errors(text, min_months=1) == [message]


def test_every_bad_line_is_reported_not_only_the_first():
    text = "month,value\n2020-01,-1\n2020-02,x\n2020-03,2\n"
    assert _errors(text, min_months=1) == [
        "Zeile 2: Wert -1 ist negativ.",
        "Zeile 3: Wert „x“ ist keine Zahl.",
    ]


def test_a_too_short_series_is_rejected():
    assert _errors(_csv([1] * 35)) == [
        "Die Reihe hat 35 Monate; für Prognose und Back-Test sind mindestens 36 nötig."
    ]
    assert len(parse_series_csv(_csv([1] * 36)).values) == 36


# --- building blocks -----------------------------------------------------------------------


def test_conformal_quantile_takes_the_finite_sample_rank():
    scores = np.arange(1.0, 11.0)  # 1 … 10
    assert conformal_quantile(scores, 0.80) == 9.0  # ⌈11 · 0.8⌉ = 9th smallest
    assert conformal_quantile(scores, 0.95) == 10.0  # ⌈10.45⌉ = 11 > 10: capped at the largest
    assert conformal_quantile(np.array([]), 0.8) == math.inf
    assert conformal_quantile(np.arange(1.0, 15.0), 0.80) == 12.0  # 15 · 0.8 = 12 exactly


def test_a_failing_or_non_finite_model_falls_back_to_naive():
    def broken(log_y, horizon):
        raise RuntimeError("optimiser diverged")

    def nan(log_y, horizon):
        return np.full(horizon, np.nan)

    log_y = np.log1p(np.array([3.0, 5.0, 8.0]))
    out = fc.model_forecasts(log_y, 2, {"ses": broken, "theta": nan})
    assert out["ses"].tolist() == out["naive"].tolist() == [log_y[-1]] * 2
    assert out["theta"].tolist() == out["naive"].tolist()
    assert out["drift"] == pytest.approx(log_y[-1] + (log_y[-1] - log_y[0]) / 2 * np.arange(1, 3))


# --- back-test metrics, checked by hand ----------------------------------------------------


def test_linear_series_naive_mase_is_the_mean_horizon():
    # y = 10 + t: naive misses by exactly h at horizon h, and the naive scale is 1.
    values = [10.0 + t for t in range(48)]
    result = backtest(values, 6, fitted=NAIVE_ONLY)
    # 48 months: 48 − 24 (training) − 6 (first calibration) = 18 scored origins 30 … 47;
    # horizon h is observed at 19 − h of them.
    assert result.scored_origins == 18
    assert result.origins[result.first_scored] == 30
    expected = sum(h * (19 - h) for h in range(1, 7)) / sum(19 - h for h in range(1, 7))
    assert result.mase("naive") == pytest.approx(expected)  # 308 / 93
    assert result.mase("naive", h=4) == pytest.approx(4.0)
    assert result.mase("combined") == pytest.approx(expected)  # the combination is naive here


def test_drift_is_exact_on_a_geometric_series():
    # log1p(y) is linear, so drift on the log scale forecasts every month exactly.
    values = [float(np.expm1(1 + 0.05 * t)) for t in range(60)]
    result = backtest(values, 3, fitted=NAIVE_ONLY)
    assert result.mase("drift") == pytest.approx(0.0, abs=1e-9)
    assert result.mase("naive") > 1.0


def test_constant_series_has_exact_forecasts_and_no_mase():
    series = Series(start=2019 * 12, values=(40.0,) * 40)
    result = forecast(series, 4, fitted=NAIVE_ONLY)
    out = result.as_json()
    assert out["backtest"] == {
        "origins": 10,
        "mase": None,  # the naive scale is zero: MASE is undefined
        "mase_naive": None,
        "coverage80": 1.0,
        "coverage95": 1.0,
    }
    assert all(
        (m["lo95"], m["lo80"], m["mean"], m["hi80"], m["hi95"]) == (40.0,) * 5
        for m in out["forecast"]
    )


def test_coverage_counts_outcomes_inside_their_own_interval():
    rng = np.random.default_rng(7)
    values = np.exp(5 + np.cumsum(rng.normal(0, 0.2, 72)))
    result = backtest(values.tolist(), 6, fitted=NAIVE_ONLY)
    log_y = np.log1p(result.values)
    for level in LEVELS:
        inside = total = 0
        for i in range(result.first_scored, len(result.origins)):
            for h in range(1, 7):
                month = result.origins[i] + h - 1
                if month < len(log_y) and not np.isnan(result.half_width[level][i, h - 1]):
                    total += 1
                    error = abs(log_y[month] - result.combined[i, h - 1])
                    inside += error <= result.half_width[level][i, h - 1] + 1e-9
        assert result.coverage(level) == pytest.approx(inside / total)
    assert result.coverage(0.95) >= result.coverage(0.80)


def test_no_error_calibrates_its_own_interval():
    # The last month's outcome is only known at the end: changing it must not move any
    # back-test interval (it would, if intervals were calibrated on their own errors).
    rng = np.random.default_rng(3)
    values = np.exp(4 + np.cumsum(rng.normal(0, 0.3, 60))).tolist()
    shocked = [*values[:-1], values[-1] * 50]
    before = backtest(values, 6, fitted=NAIVE_ONLY)
    after = backtest(shocked, 6, fitted=NAIVE_ONLY)
    for level in LEVELS:
        np.testing.assert_array_equal(before.half_width[level], after.half_width[level])
    assert after.error[-1, 0] > before.error[-1, 0] + 3  # the shock did reach the back-test


# --- the real models -----------------------------------------------------------------------


def _noisy_series(seed, months=84):
    rng = np.random.default_rng(seed)
    level = 6 + np.cumsum(rng.normal(0, 0.15, months))
    seasonal = 0.2 * np.sin(2 * np.pi * np.arange(months) / 12)
    return Series(start=2015 * 12, values=tuple(float(round(v)) for v in np.exp(level + seasonal)))


@pytest.mark.parametrize("seed", [1, 2])
def test_intervals_are_nested_around_the_forecast(seed):
    result = forecast(_noisy_series(seed), 6).as_json()
    assert result["horizon"] == 6
    assert [m["month"] for m in result["forecast"]] == [
        "2022-01",
        "2022-02",
        "2022-03",
        "2022-04",
        "2022-05",
        "2022-06",
    ]
    for m in result["forecast"]:
        assert 0 <= m["lo95"] <= m["lo80"] <= m["mean"] <= m["hi80"] <= m["hi95"]
        assert m["lo80"] < m["hi80"]
    backtest_out = result["backtest"]
    assert backtest_out["origins"] == 24
    assert backtest_out["mase"] > 0
    assert backtest_out["mase_naive"] > 0
    assert 0 <= backtest_out["coverage80"] <= backtest_out["coverage95"] <= 1


def test_forecast_is_deterministic():
    series = _noisy_series(5)
    first = json.dumps(forecast(series, 3).as_json())
    assert json.dumps(forecast(series, 3).as_json()) == first


def test_horizon_must_be_within_bounds():
    series = _noisy_series(1)
    for horizon in (0, fc.MAX_HORIZON + 1):
        with pytest.raises(ValueError, match="horizon"):
            forecast(series, horizon, fitted=NAIVE_ONLY)


def test_a_long_horizon_needs_a_longer_series():
    assert fc.min_months(6) == 36
    assert fc.min_months(24) == 53  # 24 training months, 24 ahead, 6 calibration errors
    short = Series(start=2018 * 12, values=(5.0,) * 52)
    with pytest.raises(SeriesError) as caught:
        forecast(short, 24, fitted=NAIVE_ONLY)
    assert str(caught.value.errors[0]) == (
        "Die Reihe hat 52 Monate; für einen Horizont von 24 Monaten sind mindestens 53 nötig "
        "(Training, dann genug Back-Test-Fehler für die Intervalle)."
    )
    result = forecast(Series(start=2018 * 12, values=(5.0,) * 53), 24, fitted=NAIVE_ONLY)
    assert len(result.months) == 24


def test_sparse_counts_give_finite_intervals():
    values = (0.0,) * 30 + (1, 0, 0, 2, 0, 5, 0, 0, 1, 0, 0, 0, 3, 0, 0, 1, 0, 0)
    result = forecast(Series(start=2018 * 12, values=tuple(map(float, values))), 6)
    for m in result.as_json()["forecast"]:
        assert 0 <= m["lo95"] <= m["mean"] <= m["hi95"] < 100
