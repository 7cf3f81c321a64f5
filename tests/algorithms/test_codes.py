import pytest

from ankommen.algorithms.codes import (
    CodeError,
    language_code,
    language_name,
    nationality_code,
    nationality_name,
)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("SYR", "SYR"),
        ("Syrien", "SYR"),
        ("af", "AFG"),
        ("Türkei", "TUR"),
        ("Russland", "RUS"),
        ("staatenlos", "XXA"),
        ("XXX", "XXX"),
        ("Eritrea", "ERI"),
    ],
)
def test_nationality_codes_from_codes_and_german_names(value, code):
    assert nationality_code(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ar", "ara"),
        ("Arabisch", "ara"),
        ("Dari", "prs"),
        ("Paschtu", "pus"),
        ("Tigrinya", "tir"),
        ("uk", "ukr"),
        ("Spanisch", "spa"),
        ("kmr", "kmr"),
    ],
)
def test_language_codes_from_codes_and_german_names(value, code):
    assert language_code(value) == code


def test_unknown_values_are_rejected_in_german():
    with pytest.raises(CodeError, match="keine bekannte Staatsangehörigkeit"):
        nationality_code("Atlantis")
    with pytest.raises(CodeError, match="keine bekannte Sprache"):
        language_code("Klingonisch-Plus")


def test_names_are_german():
    assert nationality_name("SYR") == "Syrien"
    assert nationality_name("XXA") == "Staatenlos"
    assert language_name("ara") == "Arabisch"
