from __future__ import annotations

import pytest

from ankommen.algorithms.caseload import CaseloadError, assess


def test_a_unit_at_the_key_is_not_above_it():
    load = assess(80, 1.0, 80)
    assert load.per_fte == 80
    assert not load.above
    assert load.percent == 100


def test_part_time_staff_count_as_fractions():
    load = assess(50, 0.5, 80)
    assert load.per_fte == 100
    assert load.above
    assert load.fte_needed == 0.7  # 50 / 80 = 0.625, rounded up to tenths


def test_households_without_staff_are_above_the_key():
    assert assess(3, 0, 80).above
    assert assess(3, 0, 80).per_fte is None
    assert not assess(0, 0, 80).above


@pytest.mark.parametrize(("cases", "fte", "limit"), [(-1, 1, 80), (1, -0.5, 80), (1, 1, 0)])
def test_bad_input_is_refused_in_german(cases, fte, limit):
    with pytest.raises(CaseloadError, match=r"darf|dürfen|muss"):
        assess(cases, fte, limit)
