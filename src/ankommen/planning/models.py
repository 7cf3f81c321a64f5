"""Models of the planning app."""

from ankommen.planning.models_intake import (  # noqa: F401  (intake planning)
    ChainLink,
    Factor,
    IntakeQuota,
    NationalSeries,
    SeriesValue,
    Stream,
    StreamSource,
)
