"""A tqdm progress bar on stderr for the seeding commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress(total: int, *, enabled: bool, label: str) -> Iterator[Callable[[int], object]]:
    bar = tqdm(
        total=total,
        unit=" Pers.",
        desc=label,
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
    )
    try:
        yield bar.update
    finally:
        bar.close()
