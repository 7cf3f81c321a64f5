"""The chain from a national series to a county prior, and the Aufnahmesoll carry-over."""

from __future__ import annotations

import pytest

from ankommen.algorithms.intake import (
    Chain,
    ChainError,
    Link,
    add_streams,
    apply_chain,
    carry_over,
    value_on,
)


def m(year: int, month: int) -> int:
    return year * 12 + month - 1


def test_value_on_takes_the_latest_link_in_force() -> None:
    links = (Link(m(2016, 1), 0.03), Link(m(2015, 1), 0.02))
    assert value_on(links, m(2014, 12)) is None
    assert value_on(links, m(2015, 6)) == 0.02
    assert value_on(links, m(2016, 1)) == 0.03


def test_chain_multiplies_shares_and_shifts_by_the_lag() -> None:
    chain = Chain(
        land_share=(Link(m(2015, 1), 0.03),),
        county_share=(Link(m(2015, 1), 0.1),),
        lag=(Link(m(2015, 1), 2),),
    )
    prior = apply_chain({m(2015, 1): 1000.0, m(2015, 2): 2000.0}, chain)
    assert prior == pytest.approx({m(2015, 3): 3.0, m(2015, 4): 6.0})


def test_land_share_at_registration_county_share_at_arrival() -> None:
    chain = Chain(
        land_share=(Link(m(2015, 1), 0.5), Link(m(2016, 1), 0.25)),
        county_share=(Link(m(2015, 1), 0.1), Link(m(2016, 2), 0.2)),
        lag=(Link(m(2015, 1), 1),),
    )
    prior = apply_chain({m(2015, 12): 100.0, m(2016, 1): 100.0}, chain)
    # December: Land share 0.5, arrives January (county share still 0.1).
    # January: Land share 0.25, arrives February (county share 0.2).
    assert prior == pytest.approx({m(2016, 1): 5.0, m(2016, 2): 5.0})


def test_months_before_any_share_give_nothing_and_changed_lags_add_up() -> None:
    chain = Chain(
        land_share=(Link(m(2015, 2), 1.0),),
        county_share=(Link(m(2015, 1), 1.0),),
        lag=(Link(m(2015, 1), 2), Link(m(2015, 3), 1)),
    )
    prior = apply_chain({m(2015, 1): 7.0, m(2015, 2): 1.0, m(2015, 3): 2.0}, chain)
    assert prior == pytest.approx({m(2015, 4): 3.0})


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        (Chain((Link(0, 1.5),), (Link(0, 0.1),), (Link(0, 0),)), "Landesanteil 150 %"),
        (Chain((Link(0, 0.1),), (Link(0, -0.1),), (Link(0, 0),)), "Kreisanteil -10 %"),
        (Chain((Link(0, 0.1),), (Link(0, 0.1),), (Link(0, 1.5),)), "Verzögerung 1.5"),
        (Chain((Link(0, 0.1),), (Link(0, 0.1),), (Link(0, 25),)), "Verzögerung 25"),
    ],
)
def test_bad_chains_are_refused_in_german(chain: Chain, message: str) -> None:
    with pytest.raises(ChainError, match=message):
        apply_chain({0: 1.0}, chain)


def test_streams_add_up_over_all_months() -> None:
    assert add_streams([{2: 1.0, 1: 2.0}, {2: 3.0, 5: 1.0}]) == {1: 2.0, 2: 4.0, 5: 1.0}


def test_carry_over_nets_over_and_under_fulfilment_in_the_next_year() -> None:
    quotas = {2022: 1000, 2023: 1200, 2024: 1100}
    intake = {2022: 900, 2023: 1353, 2024: 200}
    rows = carry_over(quotas, intake, [2023, 2024], current_year=2024)
    assert [r.year for r in rows] == [2023, 2024]
    first, second = rows
    # 2022 fell 100 short: 2023's target is 1,300; 1,353 taken in: 53 over.
    assert (first.carried_in, first.target, first.balance) == (100, 1300, -53)
    assert (second.carried_in, second.target, second.balance) == (-53, 1047, 847)
    assert second.so_far
    assert not first.so_far
    assert first.fulfilment == pytest.approx(1353 / 1300)


def test_a_year_without_quota_breaks_the_carry() -> None:
    rows = carry_over({2022: 100, 2024: 100}, {2022: 50, 2023: 10, 2024: 20}, [2022, 2023, 2024])
    assert [(r.target, r.balance, r.carried_in) for r in rows] == [
        (100, 50, 0),
        (None, None, 0),
        (100, 80, 0),
    ]
    assert rows[1].fulfilment is None


def test_years_must_follow_each_other() -> None:
    assert carry_over({}, {}, []) == []
    with pytest.raises(ChainError):
        carry_over({}, {}, [2022, 2024])
