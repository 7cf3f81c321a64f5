"""Monthly allocation forecast: a combination of simple models with back-test intervals.

The method (for planners: ``docs/planning.md``, with the evidence behind each choice):

* every model is fitted on ``log1p`` of the monthly counts, so no forecast goes below zero and a
  change by a third weighs alike at 50 and at 50,000 a month;
* the single models are naive (last value: the benchmark), drift (random walk with the average
  past change), simple exponential smoothing (the exponential-smoothing form of ARIMA(0,1,1),
  fitted several times faster), damped-trend exponential smoothing, Theta (dynamic optimised
  Theta) and ARIMA(1,0,1) with a mean (statsforecast's implementations);
* the combined forecast is the mean, on the log scale, of SES, damped ETS, Theta and ARIMA
  (naive and drift are shown but left out: on the data they made the combination worse);
* a rolling-origin back-test refits every model at each of the last origins; the combination's
  MASE and naive's are computed over the last ``EVAL_ORIGINS`` origins;
* intervals are split-conformal: at horizon h the score is the absolute log error divided by the
  recent volatility (mean absolute monthly log change over the 3 months before the origin); the
  80 % / 95 % quantile of the last ``CAL_WINDOW`` scores, times the volatility at the forecast
  origin (at most 1.5 times the largest of those errors), is laid symmetrically around the
  combined forecast on the log scale;
* coverage is measured sequentially: a back-test forecast gets an interval calibrated only on
  scores whose outcome was already known at its origin, so no error calibrates its own interval.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Every single model the back-test evaluates, in display order.
MODELS: tuple[str, ...] = ("naive", "drift", "ses", "ets_damped", "theta", "arima")
#: The models whose log forecasts are averaged into the combined forecast.
COMBINED: tuple[str, ...] = ("ses", "ets_damped", "theta", "arima")
METHOD = (
    "Mittel auf log1p-Skala aus einfacher und gedämpfter exponentieller Glättung, Theta (DOTM) "
    "und ARIMA(1,0,1) mit Mittelwert; Intervalle 80/95 % konform aus dem Back-Test"
)
#: Months a model is fitted on at the earliest back-test origin.
MIN_TRAIN = 24
#: Back-test origins whose forecasts are scored (MASE, coverage).
EVAL_ORIGINS = 24
#: Most recent scores per horizon that calibrate an interval.
CAL_WINDOW = 36
#: Scores a back-test forecast needs before its interval counts towards coverage.
MIN_CAL = 6
#: Months of log changes that measure the recent volatility the scores are divided by.
VOL_MONTHS = 3
#: Bounds of the volatility as shares of the series' long-run mean absolute monthly log change.
VOL_FLOOR, VOL_CAP = 0.25, 4.0
#: An interval is never wider than this multiple of the largest back-test error it was
#: calibrated on (bounds the normalisation where the volatility was near zero).
WIDTH_CAP = 1.5
#: Shortest series accepted: training, then calibration, then scored origins.
MIN_MONTHS = 36
MAX_HORIZON = 24
LEVELS: tuple[float, float] = (0.80, 0.95)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineError:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.message}" if self.line is not None else self.message


class SeriesError(ValueError):
    """The CSV cannot be used; ``errors`` name the lines (the header is line 1)."""

    def __init__(self, errors: Sequence[LineError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Series:
    """A gap-free monthly series; ``start`` is the first month as ``year * 12 + month - 1``."""

    start: int
    values: tuple[float, ...]

    @property
    def months(self) -> list[str]:
        return [month_label(self.start + i) for i in range(len(self.values))]


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_index(text: str) -> int | None:
    match = _MONTH.match(text)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    return year * 12 + month - 1


def parse_series_csv(text: str, *, min_months: int = MIN_MONTHS) -> Series:
    """Parse ``month,value`` CSV text; raise :class:`SeriesError` listing every bad line."""
    errors: list[LineError] = []
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or [c.strip() for c in _fields(lines[0])] != ["month", "value"]:
        found = lines[0] if lines else ""
        raise SeriesError(
            [LineError(1, f"Kopfzeile „month,value“ erwartet, gefunden „{found:.60}“.")]
        )
    seen: dict[int, int] = {}
    rows: list[tuple[int, int, float]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = [c.strip() for c in _fields(line)]
        if len(fields) != 2:
            errors.append(
                LineError(number, f"2 Felder (Monat, Wert) erwartet, gefunden {len(fields)}.")
            )
            continue
        month_text, value_text = fields
        month = _month_index(month_text)
        if month is None:
            errors.append(
                LineError(number, f"Monat „{month_text:.20}“ ist nicht im Format JJJJ-MM.")
            )
        value = _number(value_text)
        if value is None:
            errors.append(LineError(number, f"Wert „{value_text:.20}“ ist keine Zahl."))
        elif value < 0:
            errors.append(LineError(number, f"Wert {value_text} ist negativ."))
        if month is None or value is None or value < 0:
            continue
        if month in seen:
            errors.append(
                LineError(
                    number, f"Monat {month_text} kommt doppelt vor (schon in Zeile {seen[month]})."
                )
            )
            continue
        if rows and month < rows[-1][1]:
            errors.append(
                LineError(
                    number,
                    f"Monat {month_text} steht nach {month_label(rows[-1][1])}; "
                    "die Monate müssen aufsteigend sortiert sein.",
                )
            )
            continue
        if rows and month > rows[-1][1] + 1:
            missing = month - rows[-1][1] - 1
            first_missing = month_label(rows[-1][1] + 1)
            gap = first_missing if missing == 1 else f"{first_missing} bis {month_label(month - 1)}"
            errors.append(LineError(number, f"Lücke vor {month_text}: es fehlt {gap}."))
        seen[month] = number
        rows.append((number, month, value))
    if errors:
        raise SeriesError(errors)
    if len(rows) < min_months:
        raise SeriesError(
            [
                LineError(
                    None,
                    f"Die Reihe hat {len(rows)} Monate; für Prognose und Back-Test sind "
                    f"mindestens {min_months} nötig.",
                )
            ]
        )
    return Series(start=rows[0][1], values=tuple(value for _, _, value in rows))


def _fields(line: str) -> list[str]:
    return next(csv.reader([line]), [])


def _number(text: str) -> float | None:
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


# --- models ------------------------------------------------------------------------------------


def _naive(log_y: FloatArray, horizon: int) -> FloatArray:
    return np.full(horizon, log_y[-1])


def _drift(log_y: FloatArray, horizon: int) -> FloatArray:
    slope = (log_y[-1] - log_y[0]) / (len(log_y) - 1)
    return np.asarray(log_y[-1] + slope * np.arange(1, horizon + 1), dtype=np.float64)


def _fitted_models() -> dict[str, Callable[[FloatArray, int], FloatArray]]:
    # Imported here: statsforecast takes about a second to import, which a CSV with errors
    # (or ``ankommen help``) should not wait for.
    from statsforecast.models import ARIMA, AutoETS, DynamicOptimizedTheta

    def run(model: Any) -> Callable[[FloatArray, int], FloatArray]:
        def forecast(log_y: FloatArray, horizon: int) -> FloatArray:
            result = model().forecast(y=log_y, h=horizon)
            return np.asarray(result["mean"], dtype=np.float64)

        return forecast

    return {
        "ses": run(lambda: AutoETS(model="ANN")),
        "ets_damped": run(lambda: AutoETS(model="AAN", damped=True)),
        "theta": run(DynamicOptimizedTheta),
        "arima": run(lambda: ARIMA(order=(1, 0, 1), include_mean=True)),
    }


def model_forecasts(
    log_y: FloatArray,
    horizon: int,
    fitted: Mapping[str, Callable[[FloatArray, int], FloatArray]] | None = None,
) -> dict[str, FloatArray]:
    """Log-scale forecasts of every model in :data:`MODELS` from the end of ``log_y``.

    A fitted model that fails or returns a non-finite value (optimisers can, on flat or tiny
    series) falls back to the naive forecast, so one bad fit cannot break the combination."""
    fitted = _fitted_models() if fitted is None else fitted
    naive = _naive(log_y, horizon)
    out = {"naive": naive, "drift": _drift(log_y, horizon)}
    for name, forecast in fitted.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values = forecast(log_y, horizon)
        except Exception:  # any failure of a library fit means "use naive"
            values = naive
        out[name] = values if values.shape == (horizon,) and np.isfinite(values).all() else naive
    return out


def combine(forecasts: Mapping[str, FloatArray]) -> FloatArray:
    """The combined forecast: mean of the :data:`COMBINED` models' log forecasts."""
    return np.asarray(np.mean([forecasts[name] for name in COMBINED], axis=0), dtype=np.float64)


def volatility(log_y: FloatArray, origin: int) -> float:
    """Recent volatility at an origin: mean absolute monthly log change over the last
    :data:`VOL_MONTHS` months before it, kept within :data:`VOL_FLOOR` and :data:`VOL_CAP`
    times the long-run value (so a few flat months, or a few wild ones, in a sparse series do
    not blow a score or an interval up by orders of magnitude)."""
    changes = np.abs(np.diff(log_y[:origin]))
    if len(changes) == 0:
        return 1e-6
    recent = float(np.mean(changes[-VOL_MONTHS:]))
    long_run = float(np.mean(changes))
    return max(min(recent, VOL_CAP * long_run), VOL_FLOOR * long_run, 1e-6)


def conformal_quantile(scores: FloatArray, level: float) -> float:
    """The split-conformal quantile: the ⌈(m+1)·level⌉-th smallest of m scores, capped at the
    largest (with fewer than 1/(1−level) − 1 scores the interval cannot be finite otherwise)."""
    m = len(scores)
    if m == 0:
        return math.inf
    # The epsilon keeps float noise from bumping an exact product up a rank (15 · 0.8 = 12.000…2).
    rank = min(math.ceil((m + 1) * level - 1e-9), m)
    return float(np.sort(scores)[rank - 1])


# --- back-test ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin back-test of one series.

    ``origins[i]`` is the number of months the models were fitted on for row ``i``; rows from
    ``first_scored`` on are scored. ``forecasts[model][i, h-1]`` and ``combined[i, h-1]`` are log
    forecasts for month ``origins[i] + h - 1`` (0-based), NaN where that month is not observed.
    ``half_width[level][i, h-1]`` is the log half-width of the sequential conformal interval,
    NaN where fewer than :data:`MIN_CAL` scores were known at that origin."""

    values: FloatArray
    horizon: int
    origins: tuple[int, ...]
    first_scored: int
    forecasts: dict[str, FloatArray]
    combined: FloatArray
    half_width: dict[float, FloatArray]
    scale: float
    #: ``error[i, h-1]``: absolute log error of the combination (NaN where not observed).
    error: FloatArray
    #: ``score[i, h-1]``: that error divided by the volatility at the origin.
    score: FloatArray

    @property
    def scored_origins(self) -> int:
        return len(self.origins) - self.first_scored

    def scored_cells(self, h: int | None = None) -> list[tuple[int, int]]:
        """(row, horizon) pairs of the scored origins whose outcome is observed."""
        horizons = range(1, self.horizon + 1) if h is None else [h]
        n = len(self.values)
        return [
            (i, k)
            for i in range(self.first_scored, len(self.origins))
            for k in horizons
            if self.origins[i] + k <= n
        ]

    def mase(self, model: str = "combined", h: int | None = None) -> float | None:
        """MASE of a model (or the combination) over the scored origins, at horizon ``h`` or
        pooled over all horizons; None for a constant series (the naive scale is zero)."""
        return self.mase_of(self.combined if model == "combined" else self.forecasts[model], h)

    def mase_of(self, logs: FloatArray, h: int | None = None) -> float | None:
        """MASE of any log forecasts laid out like :attr:`combined`."""
        cells = self.scored_cells(h)
        if not cells or self.scale == 0:
            return None
        errors = [
            abs(self.values[self.origins[i] + k - 1] - np.expm1(logs[i, k - 1])) for i, k in cells
        ]
        return float(np.mean(errors)) / self.scale

    def coverage(self, level: float, h: int | None = None) -> float | None:
        """Share of scored outcomes inside their sequentially calibrated interval."""
        log_y = np.log1p(self.values)
        hits = [
            abs(log_y[self.origins[i] + k - 1] - self.combined[i, k - 1])
            <= self.half_width[level][i, k - 1] + 1e-9
            for i, k in self.scored_cells(h)
            if not math.isnan(self.half_width[level][i, k - 1])
        ]
        return float(sum(hits)) / len(hits) if hits else None

    def half_widths(self, h: int, known_at: int) -> dict[float, float] | None:
        """Log half-widths of the intervals at horizon ``h`` for a forecast made after the first
        ``known_at`` months, calibrated on the last :data:`CAL_WINDOW` back-test rows whose
        outcome at ``h`` is among those months; None with fewer than :data:`MIN_CAL`."""
        known = [i for i, origin in enumerate(self.origins) if origin + h <= known_at]
        rows = known[-CAL_WINDOW:]
        if len(rows) < MIN_CAL:
            return None
        scores = self.score[rows, h - 1]
        cap = WIDTH_CAP * float(np.max(self.error[rows, h - 1]))
        sigma = volatility(np.log1p(self.values), known_at)
        return {level: min(conformal_quantile(scores, level) * sigma, cap) for level in LEVELS}


def backtest(
    values: Sequence[float],
    horizon: int,
    *,
    fitted: Mapping[str, Callable[[FloatArray, int], FloatArray]] | None = None,
) -> Backtest:
    """Refit every model at the last origins of ``values`` and calibrate intervals sequentially."""
    y = np.asarray(values, dtype=np.float64)
    log_y = np.log1p(y)
    n = len(y)
    if n < MIN_MONTHS:
        raise ValueError(f"at least {MIN_MONTHS} months are needed, got {n}")
    fitted = _fitted_models() if fitted is None else fitted
    scored = min(EVAL_ORIGINS, n - MIN_TRAIN - MIN_CAL)
    first = max(MIN_TRAIN, n - scored - CAL_WINDOW)
    origins = tuple(range(first, n))
    forecasts = {name: np.full((len(origins), horizon), np.nan) for name in MODELS}
    for i, origin in enumerate(origins):
        steps = min(horizon, n - origin)
        for name, row in model_forecasts(log_y[:origin], steps, fitted).items():
            forecasts[name][i, :steps] = row
    combined = np.asarray(np.mean([forecasts[name] for name in COMBINED], axis=0), dtype=np.float64)
    error = np.full((len(origins), horizon), np.nan)
    score = np.full((len(origins), horizon), np.nan)
    for i, origin in enumerate(origins):
        steps = min(horizon, n - origin)
        error[i, :steps] = np.abs(log_y[origin : origin + steps] - combined[i, :steps])
        score[i, :steps] = error[i, :steps] / volatility(log_y, origin)
    result = Backtest(
        values=y,
        horizon=horizon,
        origins=origins,
        first_scored=len(origins) - scored,
        forecasts=forecasts,
        combined=combined,
        half_width={level: np.full((len(origins), horizon), np.nan) for level in LEVELS},
        scale=float(np.mean(np.abs(np.diff(y)))),
        error=error,
        score=score,
    )
    for i in range(result.first_scored, len(origins)):
        origin = origins[i]
        for h in range(1, min(horizon, n - origin) + 1):
            widths = result.half_widths(h, known_at=origin)
            for level, width in (widths or {}).items():
                result.half_width[level][i, h - 1] = width
    return result


# --- forecast ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastMonth:
    month: str
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float


@dataclass(frozen=True)
class ForecastResult:
    horizon: int
    months: tuple[ForecastMonth, ...]
    naive: tuple[float, ...]
    backtest: Backtest

    def as_json(self) -> dict[str, Any]:
        """The output of ``ankommen forecast --format json`` (issue 6)."""

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 3)

        return {
            "horizon": self.horizon,
            "method": METHOD,
            "forecast": [
                {
                    "month": m.month,
                    "mean": m.mean,
                    "lo80": m.lo80,
                    "hi80": m.hi80,
                    "lo95": m.lo95,
                    "hi95": m.hi95,
                }
                for m in self.months
            ],
            "backtest": {
                "origins": self.backtest.scored_origins,
                "mase": rounded(self.backtest.mase("combined")),
                "mase_naive": rounded(self.backtest.mase("naive")),
                "coverage80": rounded(self.backtest.coverage(0.80)),
                "coverage95": rounded(self.backtest.coverage(0.95)),
            },
        }


def min_months(horizon: int) -> int:
    """Shortest series that leaves :data:`MIN_CAL` back-test errors at the longest horizon."""
    return max(MIN_MONTHS, MIN_TRAIN + horizon + MIN_CAL - 1)


def forecast(
    series: Series,
    horizon: int,
    *,
    fitted: Mapping[str, Callable[[FloatArray, int], FloatArray]] | None = None,
) -> ForecastResult:
    """Combined forecast for the ``horizon`` months after the series, with its back-test."""
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon must be 1..{MAX_HORIZON}")
    needed = min_months(horizon)
    if len(series.values) < needed:
        raise SeriesError(
            [
                LineError(
                    None,
                    f"Die Reihe hat {len(series.values)} Monate; für einen Horizont von "
                    f"{horizon} Monaten sind mindestens {needed} nötig (Training, dann genug "
                    "Back-Test-Fehler für die Intervalle).",
                )
            ]
        )
    fitted = _fitted_models() if fitted is None else fitted
    result = backtest(series.values, horizon, fitted=fitted)
    log_y = np.log1p(result.values)
    n = len(log_y)
    models = model_forecasts(log_y, horizon, fitted)
    point = combine(models)
    months = []
    for h in range(1, horizon + 1):
        width = result.half_widths(h, known_at=n)
        if width is None:  # unreachable for series of min_months(horizon) or more
            raise ValueError("too few back-test errors to calibrate an interval")

        def back(log_value: float) -> float:
            # The cap only keeps expm1 finite for absurd widths; counts stay within float range.
            return round(max(0.0, math.expm1(min(log_value, 700.0))), 1)

        months.append(
            ForecastMonth(
                month=month_label(series.start + n + h - 1),
                mean=back(point[h - 1]),
                lo80=back(point[h - 1] - width[0.80]),
                hi80=back(point[h - 1] + width[0.80]),
                lo95=back(point[h - 1] - width[0.95]),
                hi95=back(point[h - 1] + width[0.95]),
            )
        )
    naive = tuple(round(math.expm1(v), 1) for v in models["naive"])
    return ForecastResult(horizon=horizon, months=tuple(months), naive=naive, backtest=result)
