from datetime import date

import pytest

from ankommen.algorithms.partial_dates import PartialDate, PartialDateError, parse_partial_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17.05.1990", PartialDate(1990, 5, 17)),
        ("1990-05-17", PartialDate(1990, 5, 17)),
        ("00.00.1990", PartialDate(1990)),
        ("00.05.1990", PartialDate(1990, 5)),
        ("1990-00-00", PartialDate(1990)),
        ("1990", PartialDate(1990)),
        (" 7.5.1990 ", PartialDate(1990, 5, 7)),
    ],
)
def test_parses_complete_and_partial_dates(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.1990", "Den Tag 31"),
        ("12.13.1990", "Den Monat 13"),
        ("05.00.1990", "Ein Tag ohne Monat"),
        ("1850-01-01", "außerhalb"),
        ("gestern", "kein Datum"),
        ("", "kein Datum"),
    ],
)
def test_rejects_impossible_dates_with_a_german_reason(text, message):
    with pytest.raises(PartialDateError, match=message):
        parse_partial_date(text)


def test_age_with_unknown_parts_is_the_lowest_possible_age():
    assert PartialDate(2000).age_on(date(2018, 6, 1)) == 17
    assert PartialDate(2000).age_on(date(2018, 12, 31)) == 18
    assert PartialDate(2000, 6).age_on(date(2018, 6, 29)) == 17
    assert PartialDate(2000, 6, 15).age_on(date(2018, 6, 15)) == 18


def test_formats_unknown_parts_as_zero():
    assert PartialDate(1990).german() == "00.00.1990"
    assert PartialDate(1990, 5).iso() == "1990-05-00"
