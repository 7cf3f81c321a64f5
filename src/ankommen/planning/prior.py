"""The county prior: each stream's series through its dated chain of shares, and their sum.

:func:`county_prior` is the one entry point for other code (the forecast, the capacity plan):
a plain mapping month → expected persons, without access checks (callers check
``VIEW_PLANNING``). The arithmetic is :func:`ankommen.algorithms.intake.apply_chain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ankommen.algorithms.forecast import month_label
from ankommen.algorithms.intake import add_streams, apply_chain
from ankommen.core.models import County
from ankommen.planning import selectors_intake as selectors
from ankommen.planning.models_intake import NationalSeries, Stream


@dataclass(frozen=True)
class StreamPrior:
    stream: Stream
    series: NationalSeries | None
    values: dict[int, float] = field(default_factory=dict)  # month index → persons


def prior_streams(*, county: County) -> list[StreamPrior]:
    """Every stream of the county, with its series and prior (empty without a series or a
    complete chain)."""
    sources = selectors.stream_sources(county)
    links = list(selectors.chain_links(county))
    result = []
    for stream in Stream:
        series = sources.get(stream.value)
        values: dict[int, float] = {}
        if series is not None:
            chain = selectors.chain_of(links, stream.value)
            values = apply_chain(selectors.series_values(series), chain)
        result.append(StreamPrior(stream=stream, series=series, values=values))
    return result


def county_prior(*, county: County, months: Iterable[str] | None = None) -> dict[str, float]:
    """Expected persons per month (``YYYY-MM``), all streams added up. With ``months``, only
    those months (a month outside the prior's range is left out, not set to 0)."""
    total = add_streams([s.values for s in prior_streams(county=county)])
    labelled = {month_label(index): value for index, value in total.items()}
    if months is None:
        return labelled
    wanted = set(months)
    return {month: value for month, value in labelled.items() if month in wanted}
