from __future__ import annotations

import json

import pytest

from ankommen.algorithms import rhs


def _answers(value: int, thermometer: int = 0, *, items: int = 14) -> dict[int, int]:
    return dict.fromkeys(range(1, items + 1), value) | ({15: thermometer} if items == 14 else {})


def test_rhs15_cutoffs_total_twelve_or_thermometer_five():
    below = dict.fromkeys(range(1, 15), 0) | {1: 4, 2: 4, 3: 3, 15: 4}  # total 11, thermometer 4
    assert not rhs.score(rhs.RHS15, below).positive
    assert rhs.score(rhs.RHS15, below | {4: 1}).positive  # total 12
    assert rhs.score(rhs.RHS15, below | {15: 5}).positive  # thermometer 5
    result = rhs.score(rhs.RHS15, below | {15: 5})
    assert (result.total, result.thermometer, result.cutoffs) == (11, 5, (12, 5))


def test_rhs13_uses_items_one_to_thirteen_and_cutoff_eleven():
    answers = dict.fromkeys(range(1, 14), 0) | {1: 4, 2: 4, 3: 2}
    assert not rhs.score(rhs.RHS13, answers).positive
    assert rhs.score(rhs.RHS13, answers | {4: 1}).positive
    with pytest.raises(rhs.AnswerError, match="Item 14"):
        rhs.score(rhs.RHS13, answers | {14: 1})


def test_configured_cutoffs_override_the_published_ones():
    answers = _answers(0, 6)
    assert rhs.score(rhs.RHS15, answers).positive
    assert not rhs.score(rhs.RHS15, answers, cutoffs={rhs.RHS15: (12, 7)}).positive


def test_incomplete_or_off_scale_answers_are_refused_in_german():
    with pytest.raises(rhs.AnswerError, match="Item 7: Antwort fehlt"):
        rhs.score(rhs.RHS15, {n: 1 for n in range(1, 16) if n != 7})
    with pytest.raises(rhs.AnswerError, match="Item 3: 5 liegt nicht auf der Skala 0–4"):
        rhs.score(rhs.RHS15, _answers(1, 2) | {3: 5})
    with pytest.raises(rhs.AnswerError, match="Item 15: 11"):
        rhs.score(rhs.RHS15, _answers(1, 11))


def test_the_placeholder_file_loads_and_is_marked():
    parsed = rhs.parse_instrument_file(rhs.placeholder_file(language="fa", direction="rtl"))
    assert parsed.is_placeholder
    assert (parsed.instrument, parsed.language, parsed.direction) == ("RHS-15", "fa", "rtl")
    assert [item.number for item in parsed.items] == list(range(1, 16))
    assert all("[PLATZHALTER" in item.text for item in parsed.items)


def test_a_file_with_gaps_reports_every_problem_with_line_and_field():
    data = json.loads(rhs.placeholder_file())
    data["items"] = [i for i in data["items"] if i["number"] != 9]
    data["items"][2]["text"] = ""
    data["scale"] = data["scale"][:4]
    data["direction"] = "up"
    del data["source"]
    raw = json.dumps(data, indent=2, ensure_ascii=False)
    with pytest.raises(rhs.FileError) as error:
        rhs.parse_instrument_file(raw)
    problems = error.value.problems
    assert "Feld 'direction': muss 'ltr' oder 'rtl' sein." in problems
    assert "Feld 'source': fehlt oder ist leer." in problems
    assert any("es fehlen Item(s) 9" in p for p in problems)
    assert any(p.startswith("Zeile ") and "items[2]: Feld 'text'" in p for p in problems)
    assert any("genau die Stufen 0, 1, 2, 3, 4" in p for p in problems)


def test_broken_json_names_the_line():
    with pytest.raises(rhs.FileError, match="Zeile 3, Spalte"):
        rhs.parse_instrument_file('{\n"format": "ankommen-rhs/1",\n"instrument": }')
