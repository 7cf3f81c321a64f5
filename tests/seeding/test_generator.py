"""The generator alone (no database): determinism, exact counts, plausible households."""

from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest

from ankommen.algorithms.codes import language_code, nationality_code
from ankommen.algorithms.partial_dates import PartialDate
from ankommen.seeding.generator import (
    ASYLUM,
    REFERENCE_DATE,
    TEMPORARY_PROTECTION,
    Generator,
    largest_remainder,
    person_quotas,
)
from ankommen.seeding.origins import OTHER, TEMPORARY_PROTECTION_SHARE, load_origin_table


def _fingerprint(seed, persons):
    return [
        (
            p.family_name,
            p.given_names,
            p.birth_year,
            p.birth_month,
            p.birth_day,
            p.sex,
            h.arrived,
            h.allocated,
            tuple((s.kind, s.legal_basis, s.valid_from) for s in p.statuses),
        )
        for h in Generator(seed, prefix="T").households(persons)
        for p in h.persons
    ]


def test_the_same_seed_gives_the_same_persons():
    assert _fingerprint(7, 400) == _fingerprint(7, 400)


def test_another_seed_gives_other_persons():
    first, second = _fingerprint(7, 400), _fingerprint(8, 400)
    assert first != second
    # Not a shifted copy either: most names differ position by position.
    assert sum(a[:2] != b[:2] for a, b in zip(first, second, strict=True)) > 300


@pytest.mark.parametrize("persons", [1, 2, 3, 7, 100, 1501])
def test_exactly_the_requested_number_of_persons(persons):
    households = list(Generator(3, prefix="T").households(persons))
    assert sum(len(h.persons) for h in households) == persons
    assert len({h.reference for h in households}) == len(households)


def test_largest_remainder_keeps_the_total():
    split = largest_remainder(10, {"a": 1, "b": 1, "c": 1})
    assert sum(split.values()) == 10
    assert sorted(split.values()) == [3, 3, 4]


def test_quotas_follow_the_table_and_the_temporary_protection_share():
    table = load_origin_table()
    quotas = person_quotas(10_000, table)
    assert sum(quotas.values()) == 10_000
    assert quotas[(TEMPORARY_PROTECTION, "UKR")] == round(10_000 * TEMPORARY_PROTECTION_SHARE)
    asylum = 10_000 - quotas[(TEMPORARY_PROTECTION, "UKR")]
    shares = {o.code: o.share for o in table if o.group in {"top", "other"}}
    total = sum(shares.values())
    assert quotas[(ASYLUM, "SYR")] == pytest.approx(asylum * shares["SYR"] / total, abs=1)
    other = sum(
        n for (stream, code), n in quotas.items() if stream == ASYLUM and code not in shares
    )
    assert other == pytest.approx(asylum * shares[OTHER] / total, abs=2)


def test_households_are_plausible():
    for household in Generator(11, prefix="T").households(3000):
        roles = Counter(p.role for p in household.persons)
        assert roles["head"] == 1
        assert roles["partner"] <= 1
        head = household.persons[0]
        assert head.role == "head"
        assert head.age >= 16
        for person in household.persons:
            assert person.family_name.strip()
            assert person.family_name == person.family_name.strip()
            PartialDate(person.birth_year, person.birth_month, person.birth_day)
            assert nationality_code(person.nationality) == person.nationality
            assert [language_code(code) for code in person.languages] == person.languages
            assert len(set(person.languages)) == len(person.languages)
            if person.role == "child":
                parent = min(p.age for p in household.persons if p.role in {"head", "partner"})
                assert parent - person.age >= 15
        assert household.arrived <= household.allocated < REFERENCE_DATE


def test_status_histories_are_contiguous_and_fit_the_stream():
    for household in Generator(5, prefix="T").households(2000):
        for person in household.persons:
            statuses = person.statuses
            assert statuses
            assert statuses[-1].valid_to is None
            for previous, current in pairwise(statuses):
                assert previous.valid_to == current.valid_from - timedelta(days=1)
                assert previous.valid_from <= previous.valid_to
            if household.stream == TEMPORARY_PROTECTION:
                assert household.nationality == "UKR"
                assert {s.legal_basis for s in statuses} <= {"", "24"}
            else:
                assert statuses[0].kind == "ankunftsnachweis"
                assert statuses[1].kind == "gestattung"
                assert "24" not in {s.legal_basis for s in statuses}


def test_a_realistic_minority_is_vulnerable_and_some_birth_dates_are_partial():
    persons = [p for h in Generator(9, prefix="T").households(5000) for p in h.persons]
    vulnerable = sum(bool(p.vulnerabilities) for p in persons) / len(persons)
    partial = sum(p.birth_day is None for p in persons) / len(persons)
    assert 0.08 < vulnerable < 0.35
    assert 0.03 < partial < 0.2
    assert any(p.birth_month is not None and p.birth_day is None for p in persons)


def test_some_names_are_written_in_their_original_script():
    persons = [p for h in Generator(4, prefix="T").households(3000) for p in h.persons]
    scripts = {
        "arabic": any("\u0600" <= ch <= "\u06ff" for p in persons for ch in p.family_name),
        "cyrillic": any("\u0400" <= ch <= "\u04ff" for p in persons for ch in p.family_name),
    }
    assert all(scripts.values()), scripts
    latin = sum(p.family_name.isascii() for p in persons) / len(persons)
    assert latin > 0.6
