from datetime import date, datetime

import pytest

from ankommen.algorithms.allocation_lists import (
    LEGAL_BASES,
    ListError,
    PartialDate,
    neutralise_cell,
    parse_allocation_list,
    parse_residence_status,
)
from ankommen.algorithms.allocation_samples import HEADER, sample_rows, to_csv, to_xlsx

TODAY = date(2026, 11, 20)


def row(**changes):
    base = {
        "Zuweisungsnummer": "Z-1",
        "Haushalt": "H-1",
        "Nachname": "Müller",
        "Vorname": "Jörg",
        "Geburtsdatum": "17.05.1990",
        "Geschlecht": "m",
        "Staatsangehörigkeit": "SYR",
        "Sprachen": "ara, Kurdisch",
        "Aufenthaltsstatus": "Aufenthaltsgestattung",
        "Ankunft": "01.12.2026",
        "Bedarfe": "",
    }
    return base | changes


def parse(content, **kwargs):
    return parse_allocation_list(content, today=TODAY, **kwargs)


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", False, ";"),
        ("utf-8", True, ";"),
        ("utf-8", True, ","),
        ("cp1252", False, ";"),
        ("cp1252", False, ","),
        ("utf-8", False, "\t"),
    ],
)
def test_reads_csv_in_each_encoding_and_delimiter(encoding, bom, delimiter):
    content = to_csv(
        [row(), row(Zuweisungsnummer="Z-2", Vorname="Ärzte Ößü")],
        encoding=encoding,
        bom=bom,
        delimiter=delimiter,
    )
    parsed = parse(content)
    assert parsed.errors == []
    assert parsed.format == "csv"
    assert parsed.delimiter == delimiter
    assert parsed.encoding == ("utf-8" if encoding == "utf-8" else "cp1252")
    first, second = parsed.rows
    assert first.family_name == "Müller"
    assert first.given_names == "Jörg"
    assert second.given_names == "Ärzte Ößü"
    assert first.languages == ("ara", "kur")
    assert first.nationalities == ("SYR",)


def test_header_names_are_case_insensitive_trimmed_and_extra_columns_ignored():
    header = [f"  {name.upper()} " for name in HEADER] + ["Bemerkung"]
    header[6] = "staatsangehoerigkeit"
    data = [row() | {"Bemerkung": "egal"}]
    content = to_csv(
        [{h: r[n] for h, n in zip(header, [*HEADER, "Bemerkung"], strict=True)} for r in data],
        header=header,
    )
    parsed = parse(content)
    assert parsed.errors == []
    assert parsed.rows[0].number == "Z-1"


def test_missing_required_columns_are_reported_on_line_one():
    header = [name for name in HEADER if name not in ("Geschlecht", "Ankunft")]
    parsed = parse(to_csv([row()], header=header))
    assert parsed.rows == []
    assert [(e.line, e.column) for e in parsed.errors] == [(1, "Geschlecht"), (1, "Ankunft")]
    assert "Pflichtspalte „Geschlecht“ fehlt" in parsed.errors[0].message


def test_optional_columns_may_be_missing():
    header = [name for name in HEADER if name not in ("Vorname", "Sprachen", "Bedarfe")]
    parsed = parse(to_csv([row()], header=header))
    assert parsed.errors == []
    assert parsed.rows[0].given_names == ""
    assert parsed.rows[0].needs == ()


def test_every_bad_row_is_reported_with_its_own_line_and_column():
    rows = [
        row(),
        row(Zuweisungsnummer="Z-2", Geschlecht="q", Geburtsdatum="31.02.1990"),
        row(),  # duplicate number Z-1
        row(Zuweisungsnummer="Z-4", Staatsangehörigkeit="Atlantis", Ankunft="morgen"),
        row(Zuweisungsnummer="Z-5", Bedarfe="rollstuhl, fliegen", Nachname=" "),
    ]
    parsed = parse(to_csv(rows))
    found = {(e.line, e.column) for e in parsed.errors}
    assert found == {
        (3, "Geschlecht"),
        (3, "Geburtsdatum"),
        (4, "Zuweisungsnummer"),
        (5, "Staatsangehörigkeit"),
        (5, "Ankunft"),
        (6, "Bedarfe"),
        (6, "Nachname"),
    }
    messages = {(e.line, e.column): e.message for e in parsed.errors}
    assert "steht schon in Zeile 2" in messages[(4, "Zuweisungsnummer")]
    assert "„q“ ist keine gültige Angabe (m, w, d oder x)" in messages[(3, "Geschlecht")]
    assert "„fliegen“ ist kein bekannter Bedarf" in messages[(6, "Bedarfe")]
    assert (
        "„Atlantis“ ist keine bekannte Staatsangehörigkeit" in messages[(5, "Staatsangehörigkeit")]
    )
    assert [r.line for r in parsed.rows] == [2]


def test_lines_count_physical_lines_of_multiline_cells_and_blank_lines():
    content = (
        "Zuweisungsnummer;Haushalt;Nachname;Vorname;Geburtsdatum;Geschlecht;"
        "Staatsangehörigkeit;Aufenthaltsstatus;Ankunft\r\n"
        'Z-1;H-1;"Al-\r\nHassan";Ali;00.00.1990;m;SYR;Duldung;01.12.2026\r\n'
        "\r\n"
        "Z-2;H-1;Al-Hassan;Ali;00.00.1990;z;SYR;Duldung;01.12.2026\r\n"
    ).encode()
    parsed = parse(content)
    assert [(e.line, e.column) for e in parsed.errors] == [(5, "Geschlecht")]


def test_xlsx_reads_the_first_sheet_with_row_numbers_and_date_cells():
    rows = [
        row(),
        row(Zuweisungsnummer="Z-2", Ankunft=datetime(2026, 12, 3)),
        row(Zuweisungsnummer=3, Geschlecht="?"),
    ]
    parsed = parse(to_xlsx(rows, blank_rows_after=[0]))
    assert parsed.format == "xlsx"
    # header row 1, Z-1 row 2, blank row 3, Z-2 row 4, number 3 row 5
    assert [(e.line, e.column) for e in parsed.errors] == [(5, "Geschlecht")]
    assert parsed.rows[1].arrival == date(2026, 12, 3)
    assert parsed.rows[1].line == 4


def test_xlsx_integer_cells_become_text_and_date_cells_full_birth_dates():
    parsed = parse(to_xlsx([row(Zuweisungsnummer=4711, Geburtsdatum=datetime(1990, 5, 17))]))
    assert parsed.errors == []
    assert parsed.rows[0].number == "4711"
    assert parsed.rows[0].birth_date == PartialDate(1990, 5, 17)


def test_formula_like_cells_are_kept_as_text_never_evaluated():
    rows = [
        row(Nachname='=HYPERLINK("http://x")', Vorname="@SUM(A1)"),
        row(Zuweisungsnummer="Z-2", Haushalt="+49", Nachname="-Ali"),
    ]
    for content in (to_csv(rows), to_xlsx(rows)):
        parsed = parse(content)
        assert parsed.errors == []
        assert parsed.rows[0].family_name == '=HYPERLINK("http://x")'
        assert parsed.rows[0].given_names == "@SUM(A1)"
        assert parsed.rows[1].household == "+49"
        assert parsed.rows[1].family_name == "-Ali"


def test_a_formula_in_a_date_column_is_an_error_not_a_value():
    parsed = parse(to_xlsx([row(Ankunft="=TODAY()")]))
    assert [(e.line, e.column) for e in parsed.errors] == [(2, "Ankunft")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+49 123", "'+49 123"),
        ("-Ali", "'-Ali"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ali", "Ali"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00.00.1990", PartialDate(1990)),
        ("00.05.1990", PartialDate(1990, 5)),
        ("1990-00-00", PartialDate(1990)),
        ("1990-05-17", PartialDate(1990, 5, 17)),
    ],
)
def test_partial_birth_dates(text, expected):
    parsed = parse(to_csv([row(Geburtsdatum=text)]))
    assert parsed.errors == []
    assert parsed.rows[0].birth_date == expected


def test_birth_date_in_the_future_and_arrival_before_birth_are_errors():
    parsed = parse(
        to_csv(
            [
                row(Geburtsdatum="01.01.2030"),
                row(Zuweisungsnummer="Z-2", Geburtsdatum="00.00.2025", Ankunft="2024-12-01"),
            ]
        )
    )
    messages = {(e.line, e.column): e.message for e in parsed.errors}
    assert messages[(2, "Geburtsdatum")] == "Das Geburtsdatum liegt in der Zukunft."
    assert messages[(3, "Ankunft")] == "Die Ankunft liegt vor dem Geburtsdatum."


def test_one_name_persons_and_arabic_and_cyrillic_names():
    parsed = parse(
        to_csv(
            [
                row(Nachname="Mahmoud", Vorname=""),
                row(Zuweisungsnummer="Z-2", Nachname="الحسن", Vorname="محمد"),
                row(Zuweisungsnummer="Z-3", Nachname="Коваленко", Vorname="Олена"),
            ]
        )
    )
    assert parsed.errors == []
    assert [(r.family_name, r.given_names) for r in parsed.rows] == [
        ("Mahmoud", ""),
        ("الحسن", "محمد"),
        ("Коваленко", "Олена"),
    ]


def test_names_with_markup_or_control_characters_are_rejected():
    parsed = parse(to_csv([row(Nachname="<script>", Vorname="A\u202eB")]))
    assert {e.column for e in parsed.errors} == {"Nachname", "Vorname"}


def test_german_country_and_language_names_and_special_nationalities():
    parsed = parse(
        to_csv(
            [
                row(Staatsangehörigkeit="Syrien", Sprachen="Arabisch, Dari, Englisch"),
                row(Zuweisungsnummer="Z-2", Staatsangehörigkeit="XXA"),
                row(Zuweisungsnummer="Z-3", Staatsangehörigkeit="staatenlos"),
                row(Zuweisungsnummer="Z-4", Staatsangehörigkeit="xxx"),
            ]
        )
    )
    assert parsed.errors == []
    assert parsed.rows[0].nationalities == ("SYR",)
    assert parsed.rows[0].languages == ("ara", "prs", "eng")
    assert [r.nationalities for r in parsed.rows[1:]] == [("XXA",), ("XXA",), ("XXX",)]


def test_needs_are_codes_in_any_case():
    parsed = parse(to_csv([row(Bedarfe="Rollstuhl, SCHWANGER,psychosozial")]))
    assert parsed.rows[0].needs == ("rollstuhl", "schwanger", "psychosozial")


@pytest.mark.parametrize(
    ("text", "kind", "basis"),
    [
        ("Aufenthaltsgestattung", "gestattung", ""),
        ("Gestattung (§ 55 AsylG)", "gestattung", ""),
        ("Ankunftsnachweis", "ankunftsnachweis", ""),
        ("Duldung", "duldung", ""),
        ("Duldung § 60c", "duldung", "60c"),
        ("Aufenthaltserlaubnis §24", "aufenthaltserlaubnis", "24"),
        ("Aufenthaltserlaubnis nach § 24 AufenthG", "aufenthaltserlaubnis", "24"),
        ("AE §24", "aufenthaltserlaubnis", "24"),
        ("Aufenthaltserlaubnis 24", "aufenthaltserlaubnis", "24"),
        ("Aufenthaltserlaubnis §25", "aufenthaltserlaubnis", ""),
        ("§25 Abs. 2", "aufenthaltserlaubnis", ""),
        ("§ 25 Abs. 2 S. 1 Alt. 1 AufenthG", "aufenthaltserlaubnis", "25.2.1"),
        ("Aufenthaltserlaubnis § 25 Abs. 2 (subsidiärer Schutz)", "aufenthaltserlaubnis", "25.2.2"),
        ("AE § 25 Absatz 2 Flüchtlingseigenschaft", "aufenthaltserlaubnis", "25.2.1"),
        ("Aufenthaltserlaubnis § 25 Abs. 1", "aufenthaltserlaubnis", "25.1"),
        ("Aufenthaltserlaubnis §25 Abs. 3", "aufenthaltserlaubnis", "25.3"),
        ("Aufenthaltserlaubnis § 25a", "aufenthaltserlaubnis", "25a"),
        ("§ 23 Abs. 4", "aufenthaltserlaubnis", "23.4"),
        ("§ 60a", "duldung", "60a"),
        ("Niederlassungserlaubnis", "niederlassungserlaubnis", ""),
        ("Fiktionsbescheinigung", "fiktionsbescheinigung", ""),
    ],
)
def test_residence_status_texts(text, kind, basis):
    assert parse_residence_status(text) == (kind, basis)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Touristenvisum", "kein bekannter Aufenthaltsstatus"),
        ("Aufenthaltserlaubnis §99", "§ 99 AufenthG ist keine bekannte Rechtsgrundlage"),
        ("Duldung § 24", "keine Rechtsgrundlage einer Duldung"),
        ("Aufenthaltserlaubnis § 60a", "begründet eine Duldung"),
        ("§ 25 Abs. 9", "§ 25 Abs. 9 AufenthG ist keine bekannte"),
        ("", "fehlt"),
    ],
)
def test_residence_status_errors_are_precise(text, message):
    with pytest.raises(ValueError, match=message):
        parse_residence_status(text)


def test_every_legal_basis_is_a_people_legal_basis():
    from ankommen.algorithms import allocation_lists as lists

    kinds = {v for n, v in vars(lists).items() if n.startswith("KIND_") and isinstance(v, str)}
    assert kinds == set(lists.KIND_LABELS)
    assert LEGAL_BASES  # compared with the Django model in tests/housing


def test_fingerprint_is_the_same_for_the_same_data_in_csv_and_xlsx():
    rows = [row(Aufenthaltsstatus="AE §24", Ankunft="2026-12-01")]
    same = [row(Aufenthaltsstatus="Aufenthaltserlaubnis § 24")]
    other = [row(Vorname="Jörn")]
    csv_rows = parse(to_csv(rows)).rows
    xlsx_rows = parse(to_xlsx(same)).rows
    assert csv_rows[0].fingerprint == xlsx_rows[0].fingerprint
    assert parse(to_csv(other)).rows[0].fingerprint != csv_rows[0].fingerprint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0rest", "Alte Excel-Dateien"),
        (b"PK\x03\x04not really a zip", "XLSX-Datei lässt sich nicht lesen"),
        (b"a;b\x00c", "Null-Bytes"),
        (b"\x81\x8d\x8f", "weder UTF-8 noch Windows-1252"),
    ],
)
def test_unreadable_files(content, message):
    with pytest.raises(ListError, match=message):
        parse(content)


def test_empty_file_and_header_only():
    assert parse(b"").errors[0].message == "Die Datei ist leer (keine Kopfzeile)."
    only_header = parse(to_csv([]))
    assert only_header.errors[0].message == "Die Datei enthält keine Datenzeilen."


def test_too_many_rows_stops_with_an_error():
    parsed = parse(to_csv(sample_rows(5)), max_rows=3)
    assert parsed.errors[-1].line == 5
    assert "mehr als 3 Zeilen" in parsed.errors[-1].message


def test_sample_rows_are_valid_in_both_formats():
    rows = sample_rows(200, seed=3)
    for content in (to_csv(rows), to_xlsx(rows)):
        parsed = parse(content)
        assert parsed.errors == []
        assert len(parsed.rows) == 200


def _openpyxl_rows(content):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = {}
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows[number] = values
    return rows


def test_xlsx_reader_reads_what_openpyxl_reads():
    import io

    from openpyxl import Workbook

    from ankommen.algorithms.allocation_lists import _xlsx_records

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Erstes"
    sheet["A1"] = "Text"
    sheet["B1"] = 4711
    sheet["C1"] = 2.5
    sheet["D1"] = True
    sheet["E1"] = datetime(2026, 12, 1)
    sheet["F1"] = date(1990, 5, 17)
    sheet["G1"] = "=SUM(B1:C1)"
    sheet["C3"] = "Lücke davor"  # row 2 missing, columns A and B empty
    sheet["E3"] = datetime(2026, 12, 1, 14, 30)
    sheet["E3"].number_format = "DD.MM.YYYY HH:MM"
    sheet["A4"] = "محمد"
    workbook.create_sheet("Zweites")["A1"] = "nicht gelesen"
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    mine = {}
    for number, values in _xlsx_records(content):
        while values and values[-1] is None:
            values.pop()
        if values:
            mine[number] = values
    assert mine == _openpyxl_rows(content)
    assert mine[1][6] == "=SUM(B1:C1)"
    assert mine[3] == [None, None, "Lücke davor", None, datetime(2026, 12, 1, 14, 30)]


def test_xlsx_with_a_dtd_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>',
        )
    with pytest.raises(ListError, match="XLSX-Datei lässt sich nicht lesen"):
        parse(buffer.getvalue())
