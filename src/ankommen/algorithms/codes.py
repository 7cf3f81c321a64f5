"""Country and language codes (ISO 3166-1 alpha-3, ISO 639-3) from pycountry, with German names.

Input may be a code or a German (or English) name; output is always the code. ``XXA`` (stateless)
and ``XXX`` (unknown) follow ICAO Doc 9303, as used on German travel documents.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache

import pycountry

STATELESS = "XXA"
UNKNOWN_NATIONALITY = "XXX"
_SPECIAL_NATIONALITIES = {
    STATELESS: ("staatenlos", "stateless"),
    UNKNOWN_NATIONALITY: ("ungeklärt", "unknown"),
}


# German short names that differ from the ISO names' German translations (usage of the
# Auswärtiges Amt's "Verzeichnis der Staatennamen für den amtlichen Gebrauch").
_GERMAN_COUNTRY_ALIASES = {
    "russland": "RUS",
    "moldau": "MDA",
    "republik moldau": "MDA",
    "kongo, demokratische republik": "COD",
    "demokratische republik kongo": "COD",
    "südkorea": "KOR",
    "nordkorea": "PRK",
    "vietnam": "VNM",
    "tansania": "TZA",
    "bolivien": "BOL",
    "venezuela": "VEN",
    "palästinensische gebiete": "PSE",
}
# German language names used by caseworkers that the ISO 639-3 translation spells differently.
_GERMAN_LANGUAGE_ALIASES = {
    "paschtu": "pus",
    "paschto": "pus",
    "kurdisch": "kur",
    "kurmandschi": "kmr",
    "kurmanci": "kmr",
    "sorani": "ckb",
    "farsi": "fas",
    "persisch": "fas",
    "dari": "prs",
    "tigrinya": "tir",
    "tigrinisch": "tir",
}


class CodeError(ValueError):
    """Raised with a German message."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@cache
def _german(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["de"], fallback=True)


@cache
def _country_index() -> dict[str, str]:
    german = _german("iso3166-1")
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        for name in (
            country.name,
            getattr(country, "official_name", ""),
            getattr(country, "common_name", ""),
        ):
            if name:
                index.setdefault(_fold(name), code)
                index.setdefault(_fold(german.gettext(name)), code)
        index[_fold(code)] = code
        index[_fold(country.alpha_2)] = code
    index.update(_GERMAN_COUNTRY_ALIASES)
    for code, names in _SPECIAL_NATIONALITIES.items():
        index[_fold(code)] = code
        for name in names:
            index[_fold(name)] = code
    return index


def nationality_code(value: str) -> str:
    """Alpha-3 code for a code or a German/English country name; XXA stateless, XXX unknown."""
    code = _country_index().get(_fold(value))
    if code is None:
        raise CodeError(f"„{value[:60]}“ ist keine bekannte Staatsangehörigkeit (ISO 3166-1).")
    return code


def nationality_name(code: str) -> str:
    if code in _SPECIAL_NATIONALITIES:
        return _SPECIAL_NATIONALITIES[code][0].capitalize()
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return _german("iso3166-1").gettext(getattr(country, "common_name", country.name))


@cache
def _language_index() -> dict[str, str]:
    german = _german("iso639-3")
    index: dict[str, str] = {}
    for language in pycountry.languages:
        code = language.alpha_3
        for name in (language.name, german.gettext(language.name)):
            for part in re.split(r"[;(]", name):
                index.setdefault(_fold(part.rstrip(") ")), code)
        index[_fold(code)] = code
        if alpha_2 := getattr(language, "alpha_2", None):
            index[_fold(alpha_2)] = code
    # ISO 639-2 bibliographic codes still found in German registers.
    for language in pycountry.languages:
        if bibliographic := getattr(language, "bibliographic", None):
            index.setdefault(_fold(bibliographic), language.alpha_3)
    index.update(_GERMAN_LANGUAGE_ALIASES)
    return index


def language_code(value: str) -> str:
    """ISO 639-3 code for an ISO 639-1/-2/-3 code or a German/English language name."""
    code = _language_index().get(_fold(value))
    if code is None:
        raise CodeError(f"„{value[:60]}“ ist keine bekannte Sprache (ISO 639).")
    return code


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _german("iso639-3").gettext(language.name).split(";")[0].split(" (")[0]
