"""Reading and checking allocation lists (Zuweisungslisten) of the Land.

Pure: bytes in, checked rows and errors out; nothing here knows Django. The column table is
issue 5, part 2. A file is CSV (UTF-8 with or without BOM, else Windows-1252; ``;``, ``,`` or
tab as delimiter, detected from the header line) or XLSX (the first sheet). Every problem is
reported as a :class:`RowError` naming the file's own line (the header is line 1; in XLSX the
row number) and the column, in German; one pass finds all of them.

Cells are never evaluated: a text beginning with ``=``, ``+``, ``-`` or ``@`` is kept as
written (in XLSX a formula is kept as its formula text, not its cached result). Whoever exports
such values passes them through :func:`neutralise_cell` so that a spreadsheet program does not
run them as formulas.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ankommen.algorithms.codes import CodeError, language_code, nationality_code
from ankommen.algorithms.partial_dates import PartialDate, PartialDateError, parse_partial_date

MAX_ROWS = 50_000
NUMBER_MAX_LENGTH = 40
HOUSEHOLD_MAX_LENGTH = 40
STATUS_TEXT_MAX_LENGTH = 200
HEADER_LINE = 1

# Column keys and their header names as the table spells them.
NUMBER = "Zuweisungsnummer"
HOUSEHOLD = "Haushalt"
FAMILY_NAME = "Nachname"
GIVEN_NAMES = "Vorname"
BIRTH_DATE = "Geburtsdatum"
SEX = "Geschlecht"
NATIONALITY = "Staatsangehörigkeit"
LANGUAGES = "Sprachen"
STATUS = "Aufenthaltsstatus"
ARRIVAL = "Ankunft"
NEEDS = "Bedarfe"

COLUMNS: tuple[tuple[str, bool], ...] = (
    (NUMBER, True),
    (HOUSEHOLD, True),
    (FAMILY_NAME, True),
    (GIVEN_NAMES, False),
    (BIRTH_DATE, True),
    (SEX, True),
    (NATIONALITY, True),
    (LANGUAGES, False),
    (STATUS, True),
    (ARRIVAL, True),
    (NEEDS, False),
)
REQUIRED_COLUMNS = frozenset(name for name, required in COLUMNS if required)

# Needs as the Land writes them (issue 5). They are needs, not findings: only the importer
# decides what, if anything, follows from them.
NEED_CODES: dict[str, str] = {
    "rollstuhl": "Rollstuhl",
    "schwanger": "Schwangerschaft",
    "alleinerziehend": "Alleinerziehend",
    "pflege": "Pflegebedarf",
    "chronisch": "Chronische Erkrankung",
    "psychosozial": "Psychosozialer Unterstützungsbedarf",
}

# The same needs in the placement model's vocabulary (docs/placement.md): a member's
# "wheelchair" requires a barrier-free room; household needs are served by facility features.
PLACEMENT_MEMBER_NEEDS = {"rollstuhl": "wheelchair"}
PLACEMENT_HOUSEHOLD_NEEDS = {"psychosozial": "psychosocial"}

SEXES = {
    "m": "m",
    "männlich": "m",
    "w": "w",
    "weiblich": "w",
    "d": "d",
    "divers": "d",
    "x": "x",
    "ohne angabe": "x",
    "keine angabe": "x",
}

# Residence status kinds and legal bases: the values of people.ResidenceStatus.Kind and
# .LegalBasis (a test keeps the two in step).
KIND_ARRIVAL_CERTIFICATE = "ankunftsnachweis"
KIND_GESTATTUNG = "gestattung"
KIND_DULDUNG = "duldung"
KIND_RESIDENCE_PERMIT = "aufenthaltserlaubnis"
KIND_SETTLEMENT_PERMIT = "niederlassungserlaubnis"
KIND_PERMANENT_EU = "daueraufenthalt_eu"
KIND_FIKTION = "fiktionsbescheinigung"
KIND_BORDER_CROSSING = "grenzuebertritt"
KIND_NATURALISED = "eingebuergert"

# (word in the folded text, kind); the first hit wins, so longer words come first.
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("niederlassungserlaubnis", KIND_SETTLEMENT_PERMIT),
    ("daueraufenthalt", KIND_PERMANENT_EU),
    ("aufenthaltserlaubnis", KIND_RESIDENCE_PERMIT),
    ("aufenthaltsgestattung", KIND_GESTATTUNG),
    ("gestattung", KIND_GESTATTUNG),
    ("ankunftsnachweis", KIND_ARRIVAL_CERTIFICATE),
    ("fiktionsbescheinigung", KIND_FIKTION),
    ("grenzübertritt", KIND_BORDER_CROSSING),
    ("eingebürgert", KIND_NATURALISED),
    ("duldung", KIND_DULDUNG),
)
_KIND_ABBREVIATIONS = {"ae": KIND_RESIDENCE_PERMIT, "ne": KIND_SETTLEMENT_PERMIT}
KIND_LABELS = {
    KIND_ARRIVAL_CERTIFICATE: "Ankunftsnachweis",
    KIND_GESTATTUNG: "Aufenthaltsgestattung",
    KIND_DULDUNG: "Duldung",
    KIND_RESIDENCE_PERMIT: "Aufenthaltserlaubnis",
    KIND_SETTLEMENT_PERMIT: "Niederlassungserlaubnis",
    KIND_PERMANENT_EU: "Erlaubnis zum Daueraufenthalt – EU",
    KIND_FIKTION: "Fiktionsbescheinigung",
    KIND_BORDER_CROSSING: "Grenzübertrittsbescheinigung",
    KIND_NATURALISED: "Eingebürgert",
}
# Paragraphs of the AufenthG that a status names; value: legal basis per Absatz (None = the
# paragraph alone). A paragraph that needs an Absatz but has none keeps no legal basis (the
# raw text is stored with the allocation).
_PERMIT_BASES: dict[str, dict[int | None, str]] = {
    "16a": {None: "16a"},
    "22": {None: "22"},
    "23": {1: "23.1", 2: "23.2", 4: "23.4"},
    "24": {None: "24"},
    "25": {1: "25.1", 3: "25.3", 4: "25.4", 5: "25.5"},  # Abs. 2 is handled apart
    "25a": {None: "25a"},
    "25b": {None: "25b"},
    "28": {None: "28"},
    "30": {None: "30"},
    "32": {None: "32"},
    "36a": {None: "36a"},
    "104c": {None: "104c"},
}
_DULDUNG_BASES = {"60a": "60a", "60c": "60c", "60d": "60d"}
LEGAL_BASES = frozenset(
    {b for bases in _PERMIT_BASES.values() for b in bases.values()}
    | {"25.2.1", "25.2.2"}
    | set(_DULDUNG_BASES.values())
)
_KINDS_WITHOUT_BASIS = frozenset(
    {
        KIND_ARRIVAL_CERTIFICATE,
        KIND_GESTATTUNG,
        KIND_SETTLEMENT_PERMIT,
        KIND_PERMANENT_EU,
        KIND_FIKTION,
        KIND_BORDER_CROSSING,
        KIND_NATURALISED,
    }
)

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Zero-width (non-)joiners belong to correct spelling in Persian and Indic scripts.
_ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
_LIST_SPLIT = re.compile(r"[,;/]")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_PARAGRAPH = re.compile(r"§+\s*(\d+\s*[a-z]?)\b")
_BARE_PARAGRAPH = re.compile(r"\b(\d+\s*[a-z]?)\b")
_ABSATZ = re.compile(r"\babs(?:atz|\.)?\s*(\d+)")
_ALTERNATIVE = re.compile(r"\balt(?:ernative|\.)?\s*(\d)")


class ListError(ValueError):
    """The file as a whole cannot be read (German message)."""


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class AllocationRow:
    """One checked row; codes are normalised (ISO codes, status kind and basis)."""

    line: int
    number: str
    household: str
    family_name: str
    given_names: str
    birth_date: PartialDate
    sex: str
    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    status_kind: str
    legal_basis: str
    status_text: str
    arrival: date
    needs: tuple[str, ...]

    def canonical(self) -> dict[str, Any]:
        """The row's data without its line: equal for the same data in CSV or XLSX."""
        return {
            "number": self.number,
            "household": self.household,
            "family_name": self.family_name,
            "given_names": self.given_names,
            "birth_date": self.birth_date.iso(),
            "sex": self.sex,
            "nationalities": list(self.nationalities),
            "languages": list(self.languages),
            "status": [self.status_kind, self.legal_basis],
            "arrival": self.arrival.isoformat(),
            "needs": sorted(self.needs),
        }

    @property
    def fingerprint(self) -> str:
        data = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class ParsedList:
    format: str  # "csv" or "xlsx"
    rows: list[AllocationRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    line_count: int = 0  # data rows seen (blank rows not counted)

    @property
    def households(self) -> dict[str, list[AllocationRow]]:
        grouped: dict[str, list[AllocationRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.household, []).append(row)
        return grouped


def neutralise_cell(value: Any) -> Any:
    """Make a cell value safe for CSV/XLSX exports (no formula injection).

    A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe, so that spreadsheet programs show it as text; other values pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --------------------------------------------------------------------------- reading files


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\ufeff", "").strip().casefold()


def _header_key(text: str) -> str:
    folded = " ".join(_fold(text).split())
    return folded.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")


_HEADER_ALIASES = {
    "zuweisungs-nr.": NUMBER,
    "zuweisungsnr.": NUMBER,
    "haushaltsnummer": HOUSEHOLD,
    "familienname": FAMILY_NAME,
    "vornamen": GIVEN_NAMES,
    "vorname(n)": GIVEN_NAMES,
    "staatsangehörigkeiten": NATIONALITY,
    "sprache": LANGUAGES,
    "bedarf": NEEDS,
    "ankunftsdatum": ARRIVAL,
}
_HEADER_INDEX = {_header_key(name): name for name, _ in COLUMNS} | {
    _header_key(alias): name for alias, name in _HEADER_ALIASES.items()
}


def decode_text(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), tried strictly; otherwise Windows-1252."""
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise ListError(
            "Die Datei ist weder UTF-8 noch Windows-1252 kodiert "
            f"(unlesbares Byte an Position {error.start + 1})."
        ) from None


def detect_delimiter(header_line: str) -> str:
    """The delimiter of the header line: whichever of ``;``, ``,`` or tab it holds most."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_records(text: str) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ListError(f"Zeile {start}: Die CSV-Datei ist beschädigt ({error}).") from None
            yield start, record

    return delimiter, records()


MAX_XLSX_UNPACKED = 400 * 1024 * 1024


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the workbook's first sheet, read with openpyxl (read-only, streaming).

    Formulas come back as their text (``=…``), never as the value a spreadsheet computed;
    cells formatted as dates come back as ``datetime``.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
            raise ListError("Die XLSX-Datei ist entpackt zu groß.")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ListError:
        raise
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ListError(
            f"Die XLSX-Datei lässt sich nicht lesen ({type(error).__name__})."
        ) from None
    if not workbook.worksheets:
        raise ListError("Die XLSX-Datei enthält kein Tabellenblatt.")
    sheet = workbook.worksheets[0]
    try:
        # From row 1, every row is yielded (empty ones too), so the count is the row number.
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()
            if cells:
                yield number, cells
    except (KeyError, ValueError, IndexError) as error:
        raise ListError(
            f"Die XLSX-Datei lässt sich nicht lesen ({type(error).__name__})."
        ) from None
    finally:
        workbook.close()


def read_records(
    content: bytes, file_name: str = ""
) -> tuple[str, str, str, Iterator[tuple[int, list[Any]]]]:
    """Return ``(format, encoding, delimiter, records)``; records are ``(line, cells)``."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx", "", "", _xlsx_records(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ListError(
            "Alte Excel-Dateien (.xls) werden nicht unterstützt. Bitte als XLSX oder CSV speichern."
        )
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise ListError("Die Datei heißt .xlsx, ist aber keine gültige XLSX-Datei.")
    text, encoding = decode_text(content)
    if "\x00" in text:
        raise ListError("Die Datei enthält Null-Bytes; sie ist keine Text- (CSV-) Datei.")
    delimiter, records = _csv_records(text)
    return "csv", encoding, delimiter, records


# --------------------------------------------------------------------------- cell checks


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if not isinstance(value, (str, int, float, date)):
        value = getattr(value, "text", value)  # openpyxl's ArrayFormula and the like
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def _has_forbidden_characters(text: str) -> bool:
    return any(
        ch in "<>{}"
        or (unicodedata.category(ch).startswith("C") and ch not in _ALLOWED_FORMAT_CHARACTERS)
        for ch in text
    )


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_text(value: str, label: str, limit: int, *, required: bool) -> str:
    if not value:
        if required:
            raise ValueError(f"{label} fehlt.")
        return value
    if len(value) > limit:
        raise ValueError(f"{label} ist zu lang ({len(value)} Zeichen, höchstens {limit}).")
    if _has_forbidden_characters(value):
        raise ValueError(f"{label} enthält unzulässige Zeichen (< > {{ }} oder Steuerzeichen).")
    return value


def parse_full_date(value: Any, label: str) -> date:
    """A complete date: ``TT.MM.JJJJ``, ``JJJJ-MM-TT`` or a date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        raise ValueError(f"{label} fehlt.")
    if match := _GERMAN_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"„{_short(text)}“ ist kein Datum. Erwartet: TT.MM.JJJJ oder JJJJ-MM-TT.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Den Tag {text} gibt es nicht.") from None


def parse_birth_date(value: Any, today: date) -> PartialDate:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        born = PartialDate(value.year, value.month, value.day)
    else:
        text = _text(value)
        if not text:
            raise ValueError("Das Geburtsdatum fehlt.")
        try:
            born = parse_partial_date(text)
        except PartialDateError as error:
            raise ValueError(str(error)) from None
    if born.earliest() > today:
        raise ValueError("Das Geburtsdatum liegt in der Zukunft.")
    return born


def parse_sex(value: Any) -> str:
    text = _text(value)
    sex = SEXES.get(text.casefold())
    if sex is None:
        if not text:
            raise ValueError("Das Geschlecht fehlt (m, w, d oder x).")
        raise ValueError(f"„{_short(text, 20)}“ ist keine gültige Angabe (m, w, d oder x).")
    return sex


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def parse_codes(value: Any, convert: Callable[[str], str]) -> tuple[list[str], list[str]]:
    """Codes for a comma-separated list; returns ``(codes, messages)``."""
    codes: list[str] = []
    messages: list[str] = []
    for part in _split_list(_text(value)):
        try:
            code = convert(part)
        except CodeError as error:
            messages.append(str(error))
            continue
        if code not in codes:
            codes.append(code)
    return codes, messages


def parse_needs(value: Any) -> tuple[list[str], list[str]]:
    needs: list[str] = []
    messages: list[str] = []
    for part in _split_list(_text(value)):
        code = part.casefold()
        if code not in NEED_CODES:
            messages.append(
                f"„{_short(part, 30)}“ ist kein bekannter Bedarf "
                f"(erlaubt: {', '.join(NEED_CODES)})."
            )
        elif code not in needs:
            needs.append(code)
    return needs, messages


def parse_residence_status(value: Any) -> tuple[str, str]:
    """``(kind, legal basis)`` for a status as people write it.

    Accepts e.g. "Aufenthaltsgestattung", "Duldung", "Duldung § 60c", "Aufenthaltserlaubnis §24",
    "AE § 25 Abs. 2 (Flüchtling)", "§ 25 Abs. 2 S. 1 Alt. 2 AufenthG", "Aufenthaltserlaubnis 24".
    A paragraph that needs an Absatz but has none ("Aufenthaltserlaubnis §25") gives the kind
    without a legal basis. Raises ``ValueError`` with a German message.
    """
    raw = _text(value)
    if not raw:
        raise ValueError("Der Aufenthaltsstatus fehlt.")
    text = _fold(raw).replace("§§", "§")
    kind = next((k for word, k in _KIND_WORDS if word in text), None)
    if kind is None:
        first_word = re.split(r"[\s§.,(]+", text, maxsplit=1)[0]
        kind = _KIND_ABBREVIATIONS.get(first_word)
    paragraph_match = _PARAGRAPH.search(text)
    if paragraph_match is None and kind == KIND_RESIDENCE_PERMIT:
        paragraph_match = _BARE_PARAGRAPH.search(text)
    paragraph = paragraph_match.group(1).replace(" ", "") if paragraph_match else None
    if "asylg" in text and kind in (KIND_GESTATTUNG, KIND_ARRIVAL_CERTIFICATE, None):
        # § 55 / § 63a AsylG name the Gestattung and the Ankunftsnachweis themselves.
        if kind is None:
            kind = KIND_GESTATTUNG if paragraph == "55" else None
        paragraph = None
    if kind is None and paragraph is not None:
        kind = KIND_DULDUNG if paragraph in _DULDUNG_BASES else KIND_RESIDENCE_PERMIT
    if kind is None:
        raise ValueError(
            f"„{_short(raw)}“ ist kein bekannter Aufenthaltsstatus (z. B. Aufenthaltsgestattung, "
            "Duldung, Aufenthaltserlaubnis §24, Aufenthaltserlaubnis §25 Abs. 2)."
        )
    if paragraph is None or kind in _KINDS_WITHOUT_BASIS:
        return kind, ""
    if kind == KIND_DULDUNG:
        if paragraph not in _DULDUNG_BASES:
            raise ValueError(
                f"„{_short(raw)}“: § {paragraph} AufenthG ist keine Rechtsgrundlage einer Duldung "
                "(§ 60a, § 60c oder § 60d)."
            )
        return kind, _DULDUNG_BASES[paragraph]
    if paragraph in _DULDUNG_BASES:
        raise ValueError(
            f"„{_short(raw)}“: § {paragraph} AufenthG begründet eine Duldung, "
            "keine Aufenthaltserlaubnis."
        )
    bases = _PERMIT_BASES.get(paragraph)
    if bases is None and paragraph != "25":
        raise ValueError(
            f"„{_short(raw)}“: § {paragraph} AufenthG ist keine bekannte Rechtsgrundlage "
            "einer Aufenthaltserlaubnis."
        )
    absatz_match = _ABSATZ.search(text, paragraph_match.end() if paragraph_match else 0)
    absatz = int(absatz_match.group(1)) if absatz_match else None
    if paragraph == "25" and absatz == 2:
        alternative = _ALTERNATIVE.search(text)
        if (alternative and alternative.group(1) == "1") or "flüchtling" in text:
            return kind, "25.2.1"
        if (alternative and alternative.group(1) == "2") or "subsidiär" in text:
            return kind, "25.2.2"
        return kind, ""  # refugee or subsidiary protection: not said
    assert bases is not None
    if absatz is None:
        return kind, bases.get(None, "")
    if absatz in bases:
        return kind, bases[absatz]
    if None in bases:
        return kind, bases[None]  # an Absatz we do not distinguish
    raise ValueError(
        f"„{_short(raw)}“: § {paragraph} Abs. {absatz} AufenthG ist keine bekannte "
        "Rechtsgrundlage einer Aufenthaltserlaubnis."
    )


# --------------------------------------------------------------------------- the list


def _map_header(cells: Sequence[Any]) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = _HEADER_INDEX.get(_header_key(_text(cell)))
        if name is None:
            continue  # extra columns are ignored
        if name in positions:
            errors.append(
                RowError(
                    HEADER_LINE,
                    name,
                    f"Die Spalte „{name}“ kommt in der Kopfzeile mehrfach vor "
                    f"(Spalten {positions[name] + 1} und {index + 1}).",
                )
            )
        else:
            positions[name] = index
    for name, required in COLUMNS:
        if required and name not in positions:
            errors.append(
                RowError(HEADER_LINE, name, f"Die Pflichtspalte „{name}“ fehlt in der Kopfzeile.")
            )
    return positions, errors


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(_text(cell) == "" for cell in cells)


def parse_allocation_list(
    content: bytes,
    *,
    today: date,
    file_name: str = "",
    max_name_length: int = 200,
    max_rows: int = MAX_ROWS,
) -> ParsedList:
    """Read and check a whole allocation list. Raises :class:`ListError` only when the file
    cannot be read at all; every row problem becomes a :class:`RowError`."""
    fmt, encoding, delimiter, records = read_records(content, file_name)
    parsed = ParsedList(format=fmt, encoding=encoding, delimiter=delimiter)
    header: dict[str, int] | None = None
    seen_numbers: dict[str, int] = {}
    for line, cells in records:
        if _is_blank(cells):
            continue
        if header is None:
            header, header_errors = _map_header(cells)
            if header_errors:
                parsed.errors.extend(header_errors)
                return parsed
            continue
        parsed.line_count += 1
        if parsed.line_count > max_rows:
            parsed.errors.append(
                RowError(line, "", f"Die Datei hat mehr als {max_rows} Zeilen; bitte aufteilen.")
            )
            return parsed
        row = _parse_row(line, cells, header, today, max_name_length, parsed.errors)
        if row is None:
            continue
        if row.number in seen_numbers:
            parsed.errors.append(
                RowError(
                    line,
                    NUMBER,
                    f"Die Zuweisungsnummer {row.number} steht schon in Zeile "
                    f"{seen_numbers[row.number]}.",
                )
            )
            continue
        seen_numbers[row.number] = line
        parsed.rows.append(row)
    if header is None:
        parsed.errors.append(RowError(HEADER_LINE, "", "Die Datei ist leer (keine Kopfzeile)."))
    elif parsed.line_count == 0:
        parsed.errors.append(RowError(HEADER_LINE + 1, "", "Die Datei enthält keine Datenzeilen."))
    return parsed


def _parse_row(
    line: int,
    cells: Sequence[Any],
    header: dict[str, int],
    today: date,
    max_name_length: int,
    errors: list[RowError],
) -> AllocationRow | None:
    count_before = len(errors)

    def cell(name: str) -> Any:
        index = header.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def check(name: str, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(cell(name))
        except ValueError as error:
            errors.append(RowError(line, name, str(error)))
            return None

    number = check(
        NUMBER,
        lambda v: _check_text(_text(v), "Die Zuweisungsnummer", NUMBER_MAX_LENGTH, required=True),
    )
    household = check(
        HOUSEHOLD,
        lambda v: _check_text(_text(v), "Der Haushalt", HOUSEHOLD_MAX_LENGTH, required=True),
    )
    family_name = check(
        FAMILY_NAME,
        lambda v: _check_text(
            _text(v),
            "Der Nachname (bei nur einem Namen steht er hier)",
            max_name_length,
            required=True,
        ),
    )
    given_names = check(
        GIVEN_NAMES,
        lambda v: _check_text(_text(v), "Der Vorname", max_name_length, required=False),
    )
    born = check(BIRTH_DATE, lambda v: parse_birth_date(v, today))
    sex = check(SEX, parse_sex)
    status = check(STATUS, parse_residence_status)
    status_text = _text(cell(STATUS))[:STATUS_TEXT_MAX_LENGTH]
    arrival = check(ARRIVAL, lambda v: parse_full_date(v, "Das Ankunftsdatum"))
    if arrival is not None and born is not None and arrival < born.earliest():
        errors.append(RowError(line, ARRIVAL, "Die Ankunft liegt vor dem Geburtsdatum."))

    nationalities, messages = parse_codes(cell(NATIONALITY), nationality_code)
    errors.extend(RowError(line, NATIONALITY, m) for m in messages)
    if not nationalities and not messages:
        errors.append(
            RowError(
                line,
                NATIONALITY,
                "Die Staatsangehörigkeit fehlt (ISO-Code oder deutscher Name; "
                "XXA staatenlos, XXX ungeklärt).",
            )
        )
    languages, messages = parse_codes(cell(LANGUAGES), language_code)
    errors.extend(RowError(line, LANGUAGES, m) for m in messages)
    needs, messages = parse_needs(cell(NEEDS))
    errors.extend(RowError(line, NEEDS, m) for m in messages)

    if len(errors) != count_before:
        return None
    return AllocationRow(
        line=line,
        number=number,
        household=household,
        family_name=family_name,
        given_names=given_names,
        birth_date=born,
        sex=sex,
        nationalities=tuple(nationalities),
        languages=tuple(languages),
        status_kind=status[0],
        legal_basis=status[1],
        status_text=status_text,
        arrival=arrival,
        needs=tuple(needs),
    )
