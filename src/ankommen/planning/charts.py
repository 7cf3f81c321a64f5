"""SVG geometry for the planning page: the forecast fan and the capacity band per scenario.

Drawn like the housing charts: the server computes coordinates and the template writes SVG
attributes only (the CSP forbids inline styles). ``viewBox`` units: 10 per month, 100 high;
every chart has a text alternative and a table on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ankommen.algorithms.capacity import MonthFigures, MonthForecast

STEP = 10
HEIGHT = 100
MINI_HEIGHT = 30


def _y(value: float, top: float) -> float:
    return round(HEIGHT - HEIGHT * max(0.0, value) / top, 1) if top > 0 else HEIGHT


def _points(xs: Sequence[float], ys: Sequence[float]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in zip(xs, ys, strict=True))


def _band(xs: Sequence[float], low: Sequence[float], high: Sequence[float]) -> str:
    return _points([*xs, *reversed(xs)], [*high, *reversed(low)])


@dataclass(frozen=True)
class FanChart:
    width: int
    top: int  # persons at full height
    history: str  # polyline points
    median: str
    band80: str  # polygon points
    band95: str
    split: int  # x where the forecast begins
    first: str
    last: str


def fan_chart(history: Sequence[tuple[str, float]], months: Sequence[MonthForecast]) -> FanChart:
    """The last 24 months of the series and the forecast with its 80 % and 95 % bands."""
    recent = list(history[-24:])
    n = len(recent)
    top = max([1.0, *(v for _m, v in recent), *(m.hi95 for m in months)]) * 1.05
    xs_hist = [i * STEP + STEP / 2 for i in range(n)]
    # The forecast line starts at the last observed month so that the two join.
    start = [xs_hist[-1]] if recent else []
    base = [recent[-1][1]] if recent else []
    xs = [*start, *((n + h) * STEP + STEP / 2 for h in range(len(months)))]

    def line(values: Sequence[float]) -> list[float]:
        return [_y(v, top) for v in [*base, *values]]

    return FanChart(
        width=(n + len(months)) * STEP,
        top=round(top),
        history=_points(xs_hist, [_y(v, top) for _m, v in recent]),
        median=_points(xs, line([m.mean for m in months])),
        band80=_band(xs, line([m.lo80 for m in months]), line([m.hi80 for m in months])),
        band95=_band(xs, line([m.lo95 for m in months]), line([m.hi95 for m in months])),
        split=n * STEP,
        first=recent[0][0] if recent else (months[0].month if months else ""),
        last=months[-1].month if months else "",
    )


@dataclass(frozen=True)
class ShortageBar:
    """Coordinates as text: a float in a template would be localised ("2,5"), which SVG
    does not read."""

    x: str
    y: str
    height: str
    month: MonthFigures
    percent: int
    high: bool


@dataclass(frozen=True)
class BandChart:
    width: int
    top: int
    band: str  # p10–p90 polygon
    expected: str
    capacity: str
    bars: tuple[ShortageBar, ...]


def band_chart(
    occupied_now: int, months: Sequence[MonthFigures], top: float | None = None
) -> BandChart:
    """Occupancy band (10–90 %), expected occupancy and capacity, month 0 being today; below it
    the shortage probability per month as bars (full height: 100 %)."""
    top = top or max([1.0, float(occupied_now), *(max(m.p90, m.capacity) for m in months)]) * 1.1
    xs = [0.0, *((h + 1) * STEP for h in range(len(months)))]
    now = _y(occupied_now, top)
    capacity = [months[0].capacity if months else 0, *(m.capacity for m in months)]
    bars = []
    for h, month in enumerate(months):
        height = round(MINI_HEIGHT * month.shortage, 1)
        bars.append(
            ShortageBar(
                x=f"{h * STEP + 2:g}",
                y=f"{MINI_HEIGHT - height:g}",
                height=f"{height:g}",
                month=month,
                percent=round(month.shortage * 100),
                high=month.shortage >= 0.05,
            )
        )
    return BandChart(
        width=len(months) * STEP,
        top=round(top),
        band=_band(
            xs, [now, *(_y(m.p10, top) for m in months)], [now, *(_y(m.p90, top) for m in months)]
        ),
        expected=_points(xs, [now, *(_y(m.expected, top) for m in months)]),
        capacity=_points(xs, [_y(c, top) for c in capacity]),
        bars=tuple(bars),
    )


def common_top(occupied_now: int, runs: Sequence[Sequence[MonthFigures]]) -> float:
    """One scale for scenarios compared side by side."""
    values = [float(occupied_now)]
    for months in runs:
        values += [max(m.p90, m.capacity) for m in months]
    return max([1.0, *values]) * 1.1
