"""The reimbursement claim computation: proration by day, rule changes, rounding once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from ankommen.algorithms.claims import (
    Booking,
    ClaimError,
    History,
    Housing,
    HousingSpan,
    Kind,
    Line,
    Period,
    Rule,
    apportion,
    compute_claim,
    quarter_bounds,
)

D = Decimal
SHARED_2019 = Rule("gu19", Kind.RECIPIENT, date(2019, 1, 1), D("6825"), Housing.SHARED)
SHARED_2021 = Rule("gu21", Kind.RECIPIENT, date(2021, 1, 1), D("7039.47"), Housing.SHARED)
FLAT_2019 = Rule("wo19", Kind.RECIPIENT, date(2019, 1, 1), D("6966"), Housing.FLAT)
FLAT_2021 = Rule("wo21", Kind.RECIPIENT, date(2021, 1, 1), D("7137"), Housing.FLAT)
ONE_OFF = Rule("e21", Kind.ONE_OFF, date(2021, 1, 1), D("2461"))
MSA = Rule("m21", Kind.MSA, date(2021, 1, 1), D("901"))
HEALTH = Rule("h", Kind.HEALTH, date(2016, 4, 1), None)
NETTING = Rule("n", Kind.NETTING, date(2016, 4, 1), None)
RULES = (SHARED_2019, SHARED_2021, FLAT_2019, FLAT_2021, ONE_OFF, MSA, HEALTH, NETTING)


def year(y: int) -> tuple[date, date]:
    return quarter_bounds(y, None)


def test_a_full_year_in_shared_accommodation_earns_exactly_the_yearly_amount() -> None:
    history = History(
        benefits=[Period("p", date(2020, 6, 1), None, "b1")],
        housing=[HousingSpan("p", date(2020, 6, 1), None, Housing.SHARED)],
    )
    claim = compute_claim(RULES, history, *year(2022))
    assert claim.total == D("7039.47")
    assert [(ln.rule, ln.days) for ln in claim.lines] == [("gu21", 365)]


def test_a_leap_year_divides_by_366_so_the_full_year_is_still_the_yearly_amount() -> None:
    history = History(
        benefits=[Period("p", date(2024, 1, 1), None, "b1")],
        housing=[HousingSpan("p", date(2024, 1, 1), None, Housing.SHARED)],
    )
    assert compute_claim(RULES, history, *year(2024)).total == D("7039.47")
    # February of a leap year: 29 of 366 days.
    feb = compute_claim(RULES, history, date(2024, 2, 1), date(2024, 2, 29))
    assert feb.lines[0].days == 29
    assert feb.total == D("557.77")  # 7039.47 × 29 / 366 = 557.772…


def test_moving_from_a_shelter_to_a_flat_mid_month_splits_the_days() -> None:
    # Shelter until 14 March (moves out on the 15th), flat from the 15th.
    history = History(
        benefits=[Period("p", date(2022, 1, 1), None, "b1")],
        housing=[
            HousingSpan("p", date(2021, 5, 1), date(2022, 3, 14), Housing.SHARED),
            HousingSpan("p", date(2022, 3, 15), None, Housing.FLAT),
        ],
    )
    claim = compute_claim(RULES, history, date(2022, 3, 1), date(2022, 3, 31))
    assert [(ln.housing, ln.first.day, ln.last.day, ln.days) for ln in claim.lines] == [
        (Housing.SHARED, 1, 14, 14),
        (Housing.FLAT, 15, 31, 17),
    ]
    exact = Fraction(D("7039.47")) * 14 / 365 + Fraction(D("7137")) * 17 / 365
    assert claim.total == D(str(round(float(exact), 2)))
    assert sum(ln.amount for ln in claim.lines) == claim.total


def test_a_status_change_ends_the_asylblg_benefits() -> None:
    # Recognised on 10 May: AsylbLG benefits end on 9 May (SGB II from then on).
    history = History(
        benefits=[Period("p", date(2021, 1, 1), date(2022, 5, 9), "b1")],
        housing=[HousingSpan("p", date(2021, 1, 1), None, Housing.SHARED)],
    )
    claim = compute_claim(RULES, history, *year(2022))
    assert [(ln.first, ln.last, ln.days) for ln in claim.lines] == [
        (date(2022, 1, 1), date(2022, 5, 9), 129)
    ]
    assert claim.total == D("2487.92")  # 7039.47 × 129 / 365 = 2487.921…


def test_a_rule_changing_mid_year_applies_from_its_day() -> None:
    mid = Rule("gu22", Kind.RECIPIENT, date(2022, 7, 1), D("7300"), Housing.SHARED)
    history = History(
        benefits=[Period("p", date(2022, 1, 1), None, "b1")],
        housing=[HousingSpan("p", date(2022, 1, 1), None, Housing.SHARED)],
    )
    claim = compute_claim((*RULES, mid), history, *year(2022))
    assert [(ln.rule, ln.days) for ln in claim.lines] == [("gu21", 181), ("gu22", 184)]
    exact = Fraction(D("7039.47")) * 181 / 365 + Fraction(7300) * 184 / 365
    assert claim.total == D("7170.81")
    assert abs(Fraction(claim.total) - exact) < Fraction(1, 200)


def test_income_is_netted_and_health_invoices_count_at_actual_cost() -> None:
    history = History(
        benefits=[Period("p", date(2022, 1, 1), None, "b1")],
        housing=[HousingSpan("p", date(2022, 1, 1), None, Housing.SHARED)],
        income=[
            Booking("p", date(2022, 3, 1), "fee:1", D("210.50")),
            Booking("p", date(2023, 1, 2), "fee:2", D("99")),  # next year: not in this claim
        ],
        health=[Booking("p", date(2022, 4, 3), "inv:7", D("1234.56"))],
    )
    claim = compute_claim(RULES, history, *year(2022))
    kinds = claim.by_kind()
    assert kinds[Kind.RECIPIENT] == D("7039.47")
    assert kinds[Kind.NETTING] == D("-210.50")
    assert kinds[Kind.HEALTH] == D("1234.56")
    assert claim.total == D("8063.53")
    assert {ln.source for ln in claim.lines} == {"b1", "fee:1", "inv:7"}


def test_a_person_not_using_accommodation_earns_the_none_rule_or_nothing() -> None:
    history = History(
        benefits=[Period("p", date(2022, 1, 1), None, "b1")],
        housing=[HousingSpan("p", date(2022, 1, 1), date(2022, 6, 30), Housing.SHARED)],
    )
    without = compute_claim(RULES, history, *year(2022))
    assert [ln.housing for ln in without.lines] == [Housing.SHARED]
    assert without.warnings == [
        "Keine Regel für recipient/none: 184 Tag(e) bzw. Buchung(en) nicht abgerechnet."
    ]
    reduced = Rule("none21", Kind.RECIPIENT, date(2021, 1, 1), D("3650"), Housing.NONE)
    claim = compute_claim((*RULES, reduced), history, *year(2022))
    assert [(ln.housing, ln.days) for ln in claim.lines] == [
        (Housing.SHARED, 181),
        (Housing.NONE, 184),
    ]
    assert claim.lines[1].amount == D("1840.00")  # 3650 × 184 / 365
    assert not claim.warnings


def test_one_off_per_person_taken_in_and_msa_per_case() -> None:
    history = History(
        intakes=[Booking("p", date(2022, 2, 3), "in:1"), Booking("q", date(2021, 12, 31), "in:2")],
        msa=[Period("p", date(2022, 2, 3), date(2022, 12, 31), "msa:1")],
    )
    claim = compute_claim(RULES, history, *year(2022))
    assert claim.by_kind()[Kind.ONE_OFF] == D("2461.00")
    assert claim.by_person().keys() == {"p"}
    # 332 days of 365 of 901 €.
    assert claim.by_kind()[Kind.MSA] == D("819.54")


def test_lines_add_up_exactly_to_the_total_rounded_once() -> None:
    # Three persons with one day each: 7039.47 / 365 = 19.2862… each; rounding every line
    # would give 57.87, the exact sum 57.8586… rounds once to 57.86.
    history = History(
        benefits=[Period(p, date(2022, 5, 1), date(2022, 5, 1), p) for p in "abc"],
        housing=[HousingSpan(p, date(2022, 1, 1), None, Housing.SHARED) for p in "abc"],
    )
    claim = compute_claim(RULES, history, *year(2022))
    assert claim.total == D("57.86")
    assert sorted(ln.amount for ln in claim.lines) == [D("19.28"), D("19.29"), D("19.29")]
    assert sum(ln.amount for ln in claim.lines) == claim.total


def test_apportion_handles_negative_lines() -> None:
    day = date(2022, 1, 1)
    # −1/3 € and +2/3 € as units of cents × 3 (a "year" of three days).
    lines = [
        Line("a", Kind.NETTING, "x", "n", None, day, day, 1, -100, 3),
        Line("a", Kind.RECIPIENT, "y", "r", None, day, day, 1, 200, 3),
    ]
    total = apportion(lines)
    assert total == D("0.33")
    assert [ln.amount for ln in lines] == [D("-0.33"), D("0.66")]
    assert sum(ln.amount for ln in lines) == total


def test_amounts_must_be_whole_cents() -> None:
    odd = Rule("x", Kind.ONE_OFF, date(2022, 1, 1), D("1.005"))
    history = History(intakes=[Booking("p", date(2022, 3, 1), "in")])
    with pytest.raises(ClaimError, match="ganzen Cent"):
        compute_claim((odd,), history, *year(2022))


def test_days_before_the_first_rule_are_reported_not_claimed() -> None:
    history = History(
        benefits=[Period("p", date(2018, 1, 1), None, "b1")],
        housing=[HousingSpan("p", date(2018, 1, 1), None, Housing.FLAT)],
    )
    claim = compute_claim(RULES, history, *year(2018))
    assert claim.total == D("0.00")
    assert claim.warnings == [
        "Keine Regel für recipient/flat: 365 Tag(e) bzw. Buchung(en) nicht abgerechnet."
    ]


def test_quarters_and_bad_input_are_checked() -> None:
    assert quarter_bounds(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarter_bounds(2023, 4) == (date(2023, 10, 1), date(2023, 12, 31))
    with pytest.raises(ClaimError, match="Quartal 5"):
        quarter_bounds(2023, 5)
    with pytest.raises(ClaimError, match="Kalenderjahres"):
        compute_claim(RULES, History(), date(2022, 12, 1), date(2023, 1, 31))
    with pytest.raises(ClaimError, match="endet vor"):
        compute_claim(
            RULES,
            History(benefits=[Period("p", date(2022, 2, 1), date(2022, 1, 1), "b")]),
            *year(2022),
        )
    with pytest.raises(ClaimError, match="demselben Tag"):
        compute_claim((*RULES, SHARED_2021), History(), *year(2022))
    with pytest.raises(ClaimError, match="Kosten"):
        compute_claim((Rule("h", Kind.HEALTH, date(2020, 1, 1), D(1)),), History(), *year(2022))
