"""Demo data and synthetic load data: the demo county ``oder-spree`` (``ankommen demo``) and
deterministic synthetic persons for benchmarks (``ankommen seed``)."""
