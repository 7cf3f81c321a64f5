"""Chart geometry for the intake pages, drawn as SVG with attributes only (the CSP forbids
inline styles): lines for the prior and the county's own intake per month, paired bars for the
Aufnahmesoll target and the intake per year."""

from __future__ import annotations

from dataclasses import dataclass

from ankommen.algorithms.forecast import month_label

HEIGHT = 100
STEP = 6  # width of one month
BAR = 14
GAP = 10


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    peak: float
    prior_points: str  # SVG polyline points
    own_points: str
    first: str
    last: str


def _points(values: dict[int, float], start: int, peak: float) -> str:
    return " ".join(
        f"{(month - start) * STEP},{HEIGHT - round(HEIGHT * value / peak, 1)}"
        for month, value in sorted(values.items())
    )


def line_chart(prior: dict[int, float], own: dict[int, int]) -> LineChart | None:
    """Both series on one month axis, scaled to the larger peak; ``None`` when both are empty."""
    months = [*prior, *own]
    if not months:
        return None
    start, end = min(months), max(months)
    peak = max([1.0, *prior.values(), *(float(v) for v in own.values())])
    return LineChart(
        width=max((end - start) * STEP, STEP),
        height=HEIGHT,
        peak=peak,
        prior_points=_points(prior, start, peak),
        own_points=_points({m: float(v) for m, v in own.items()}, start, peak),
        first=month_label(start),
        last=month_label(end),
    )


@dataclass(frozen=True)
class YearBars:
    year: int
    x: int
    target_y: int
    target_height: int
    intake_y: int
    intake_height: int
    target: int | None
    intake: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    peak: int
    bars: list[YearBars]


def bar_chart(years: list[tuple[int, int | None, int]]) -> BarChart:
    """(year, target, intake) as paired bars scaled to the largest figure."""
    peak = max([1, *(t or 0 for _y, t, _i in years), *(i for _y, _t, i in years)])
    bars = []
    for index, (year, target, intake) in enumerate(years):
        t = round(HEIGHT * max(target or 0, 0) / peak)
        i = round(HEIGHT * intake / peak)
        x = index * (2 * BAR + GAP)
        bars.append(YearBars(year, x, HEIGHT - t, t, HEIGHT - i, i, target, intake))
    width = max(len(years) * (2 * BAR + GAP) - GAP, BAR)
    return BarChart(width=width, height=HEIGHT, peak=peak, bars=bars)
