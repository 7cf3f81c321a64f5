"""The Refugee Health Screener (RHS-15 and its 13-item short form): structure, scoring,
cut-offs, and the validation of a county's item file. Pure: no Django.

Facts and their sources:

* Hollifield M, Verbillis-Kolp S, Farmer B, et al. The Refugee Health Screener-15 (RHS-15):
  development and validation of an instrument for anxiety, depression, and PTSD in refugees.
  Gen Hosp Psychiatry 2013;35(2):202-209. doi:10.1016/j.genhosppsych.2012.12.002 – 15 items:
  items 1-14 rated on a five-point scale (0 "not at all" to 4 "extremely"), item 15 a distress
  thermometer from 0 to 10.
* Pathways to Wellness, "Refugee Health Screener-15 (RHS-15) Packet" (2013; distributed by
  Switchboard, switchboardta.org): the RHS-15 screens positive when items 1-14 add up to 12
  or more, or the distress thermometer is 5 or more; the RHS-13 is items 1-13 of the RHS-15
  and screens positive from a total of 11.
* Hollifield M, Toolson EC, Verbillis-Kolp S, et al. Effective screening for emotional
  distress in refugees: the Refugee Health Screener. J Nerv Ment Dis 2016;204(4):247-253 –
  the 13-item short form.
* Kaltenbach E, Härdtner E, Hermenau K, Schauer M, Elbert T. Efficient identification of
  mental health problems in refugees in Germany: the Refugee Health Screener. Eur J
  Psychotraumatol 2017;8(sup2):1389205 – validation with refugees in Germany. Other cut-offs
  it may suggest were not verified here: a county that wants them sets
  ``ANKOMMEN_RHS_CUTOFFS`` (unverified, see docs/health.md); the defaults are the published
  ones above.

The item texts are licensed by their authors; this module never contains them. A county loads
them per language from its licensed copy (:func:`parse_instrument_file`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FILE_FORMAT = "ankommen-rhs/1"
RHS15 = "RHS-15"
RHS13 = "RHS-13"
SCALE_VALUES = (0, 1, 2, 3, 4)  # Hollifield et al. 2013
THERMOMETER_VALUES = tuple(range(11))  # item 15, 0-10
THERMOMETER_ITEM = 15
DIRECTIONS = ("ltr", "rtl")
PLACEHOLDER_MARK = "[PLATZHALTER"


@dataclass(frozen=True)
class Instrument:
    code: str
    scale_items: tuple[int, ...]  # items on the 0-4 scale that are added up
    thermometer: bool  # item 15, the distress thermometer
    total_cutoff: int  # positive from this total
    thermometer_cutoff: int | None  # positive from this thermometer value
    source: str

    @property
    def item_numbers(self) -> tuple[int, ...]:
        return self.scale_items + ((THERMOMETER_ITEM,) if self.thermometer else ())


INSTRUMENTS: dict[str, Instrument] = {
    RHS15: Instrument(
        RHS15,
        tuple(range(1, 15)),
        True,
        12,
        5,
        "Hollifield et al. 2013; Pathways to Wellness RHS-15 Packet 2013",
    ),
    RHS13: Instrument(
        RHS13,
        tuple(range(1, 14)),
        False,
        11,
        None,
        "Hollifield et al. 2016; Pathways to Wellness RHS-15 Packet 2013",
    ),
}
# An RHS-15 file also serves the RHS-13 (its items 1-13); an RHS-13 file only the RHS-13.
SERVES = {RHS15: (RHS15, RHS13), RHS13: (RHS13,)}


class RhsError(ValueError):
    """A German message naming the field (and line) at fault."""


class AnswerError(RhsError):
    pass


class FileError(RhsError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Result:
    instrument: str
    total: int
    thermometer: int | None
    positive: bool
    cutoffs: tuple[int, int | None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "total": self.total,
            "thermometer": self.thermometer,
            "positive": self.positive,
            "total_cutoff": self.cutoffs[0],
            "thermometer_cutoff": self.cutoffs[1],
        }


def score(
    code: str,
    answers: Mapping[int, int],
    *,
    cutoffs: Mapping[str, tuple[int, int | None]] | None = None,
) -> Result:
    """Score complete answers (item number → value). ``cutoffs`` overrides the published ones
    (a county setting, flagged unverified)."""
    if code not in INSTRUMENTS:
        raise AnswerError(f"Unbekanntes Instrument {code!r}; erlaubt: {', '.join(INSTRUMENTS)}.")
    instrument = INSTRUMENTS[code]
    for number in instrument.item_numbers:
        if number not in answers:
            raise AnswerError(f"Item {number}: Antwort fehlt.")
        allowed = THERMOMETER_VALUES if number == THERMOMETER_ITEM else SCALE_VALUES
        if answers[number] not in allowed:
            raise AnswerError(
                f"Item {number}: {answers[number]!r} liegt nicht auf der Skala "
                f"{allowed[0]}–{allowed[-1]}."
            )
    extra = sorted(set(answers) - set(instrument.item_numbers))
    if extra:
        raise AnswerError(f"Item {extra[0]}: gehört nicht zum {code}.")
    total_cutoff, thermometer_cutoff = (cutoffs or {}).get(
        code, (instrument.total_cutoff, instrument.thermometer_cutoff)
    )
    total = sum(answers[n] for n in instrument.scale_items)
    thermometer = answers[THERMOMETER_ITEM] if instrument.thermometer else None
    positive = total >= total_cutoff or (
        thermometer is not None
        and thermometer_cutoff is not None
        and thermometer >= thermometer_cutoff
    )
    return Result(code, total, thermometer, positive, (total_cutoff, thermometer_cutoff))


# The item file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    number: int
    text: str


@dataclass(frozen=True)
class InstrumentFile:
    instrument: str
    language: str
    direction: str
    source: str
    licence: str
    instructions: str
    scale: tuple[tuple[int, str], ...]  # value, label (0-4)
    thermometer: tuple[tuple[int, str], ...]  # anchor labels of item 15 (may be empty)
    items: tuple[Item, ...]

    @property
    def is_placeholder(self) -> bool:
        return any(PLACEHOLDER_MARK in item.text for item in self.items)

    def content(self) -> dict[str, Any]:
        return {
            "instructions": self.instructions,
            "scale": [[value, label] for value, label in self.scale],
            "thermometer": [[value, label] for value, label in self.thermometer],
            "items": [[item.number, item.text] for item in self.items],
        }


def _line_of(text: str, needle: str, start: int = 0) -> int:
    index = text.find(needle, start)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _text(data: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}Feld {key!r}: fehlt oder ist leer.")
        return ""
    return value.strip()


def parse_instrument_file(raw: str | bytes) -> InstrumentFile:
    """Validate a county's item file (JSON, format in docs/health.md). Every problem is
    reported at once, in German, with the line and field; nothing is loaded on error."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileError([f"Die Datei ist nicht UTF-8-kodiert (Byte {error.start})."]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise FileError(
            [f"Zeile {error.lineno}, Spalte {error.colno}: kein gültiges JSON ({error.msg})."]
        ) from None
    if not isinstance(data, dict):
        raise FileError(["Zeile 1: Die Datei muss ein JSON-Objekt enthalten."])
    problems: list[str] = []
    if data.get("format") != FILE_FORMAT:
        problems.append(f"Feld 'format': muss {FILE_FORMAT!r} sein.")
    code = data.get("instrument")
    instrument = INSTRUMENTS.get(code) if isinstance(code, str) else None
    if instrument is None:
        problems.append(f"Feld 'instrument': muss einer von {', '.join(INSTRUMENTS)} sein.")
    language = _text(data, "language", "", problems)
    if language and not (2 <= len(language) <= 16 and language.replace("-", "").isalnum()):
        problems.append(f"Feld 'language': {language!r} ist kein Sprachcode (z. B. 'ar', 'fa').")
    direction = data.get("direction")
    if direction not in DIRECTIONS:
        problems.append("Feld 'direction': muss 'ltr' oder 'rtl' sein.")
    source = _text(data, "source", "", problems)
    licence = _text(data, "licence", "", problems)
    instructions = data.get("instructions", "")
    if not isinstance(instructions, str):
        problems.append("Feld 'instructions': muss Text sein.")
        instructions = ""

    scale: list[tuple[int, str]] = []
    raw_scale = data.get("scale")
    if not isinstance(raw_scale, list):
        problems.append("Feld 'scale': fehlt (Liste der Antwortstufen 0–4 mit Beschriftung).")
    else:
        scale_line = _line_of(raw, '"scale"')
        for index, step in enumerate(raw_scale):
            where = f"Zeile {scale_line}, scale[{index}]: "
            if not isinstance(step, dict) or not isinstance(step.get("value"), int):
                problems.append(f"{where}braucht 'value' (Zahl) und 'label'.")
                continue
            scale.append((step["value"], _text(step, "label", where, problems)))
        if sorted(v for v, _ in scale) != list(SCALE_VALUES):
            problems.append(
                "Feld 'scale': braucht genau die Stufen 0, 1, 2, 3, 4 (Hollifield et al. 2013)."
            )

    thermometer: list[tuple[int, str]] = []
    raw_thermo = data.get("thermometer", [])
    if isinstance(raw_thermo, list):
        for index, step in enumerate(raw_thermo):
            if (
                not isinstance(step, dict)
                or step.get("value") not in THERMOMETER_VALUES
                or not isinstance(step.get("label"), str)
            ):
                problems.append(f"thermometer[{index}]: braucht 'value' (0–10) und 'label'.")
                continue
            thermometer.append((step["value"], step["label"]))
    else:
        problems.append("Feld 'thermometer': muss eine Liste sein.")

    items: list[Item] = []
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        problems.append("Feld 'items': fehlt (Liste der Items mit 'number' und 'text').")
        raw_items = []
    search_from = raw.find('"items"')
    for index, entry in enumerate(raw_items):
        number = entry.get("number") if isinstance(entry, dict) else None
        line = _line_of(raw, f'"number": {number}', max(search_from, 0)) if number else 0
        where = f"Zeile {line}, items[{index}]: " if line else f"items[{index}]: "
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(f"{where}Feld 'number' fehlt oder ist keine Zahl.")
            continue
        assert isinstance(entry, dict)
        text = _text(entry, "text", where, problems)
        items.append(Item(number, text))
    if instrument is not None:
        numbers = [item.number for item in items]
        wanted = list(instrument.item_numbers)
        missing = [n for n in wanted if n not in numbers]
        extra = [n for n in numbers if n not in wanted]
        duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
        if missing:
            problems.append(
                f"Feld 'items': es fehlen Item(s) {', '.join(map(str, missing))} "
                f"(das {instrument.code} hat {len(wanted)} Items)."
            )
        if extra:
            problems.append(f"Feld 'items': Item(s) {', '.join(map(str, extra))} gibt es nicht.")
        if duplicates:
            problems.append(f"Feld 'items': Item(s) {', '.join(map(str, duplicates))} doppelt.")
        if instrument.thermometer and len(thermometer) < 2:
            problems.append(
                "Feld 'thermometer': braucht mindestens die Beschriftung der Enden 0 und 10."
            )
    if problems:
        raise FileError(problems)
    assert instrument is not None
    assert isinstance(direction, str)
    return InstrumentFile(
        instrument=instrument.code,
        language=language,
        direction=direction,
        source=source,
        licence=licence,
        instructions=instructions.strip(),
        scale=tuple(sorted(scale)),
        thermometer=tuple(sorted(thermometer)),
        items=tuple(sorted(items, key=lambda item: item.number)),
    )


def placeholder_file(code: str = RHS15, *, language: str = "de", direction: str = "ltr") -> str:
    """A complete file with clearly marked placeholder texts, for tests and the demo. Never
    real items: a county loads those from its licensed copy."""
    instrument = INSTRUMENTS[code]
    data = {
        "format": FILE_FORMAT,
        "instrument": code,
        "language": language,
        "direction": direction,
        "source": "[PLATZHALTER] keine echten Items – Testdaten von Ankommen",
        "licence": "[PLATZHALTER] keine Lizenz nötig: enthält keine Items des Instruments",
        "instructions": "[PLATZHALTER Anleitung]",
        "scale": [{"value": v, "label": f"[PLATZHALTER Stufe {v}]"} for v in SCALE_VALUES],
        "thermometer": [
            {"value": 0, "label": "[PLATZHALTER 0]"},
            {"value": 10, "label": "[PLATZHALTER 10]"},
        ]
        if instrument.thermometer
        else [],
        "items": [
            {"number": n, "text": f"{PLACEHOLDER_MARK} Item {n}]"} for n in instrument.item_numbers
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
