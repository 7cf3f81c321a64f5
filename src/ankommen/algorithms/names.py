"""Name keys for search across scripts and transliteration variants.

A name is reduced, token by token, to a phonetic key: the token is first written in Latin
letters (anyascii), then common transliteration variants are folded together (kh/h, ou/u,
double letters, vowels are dropped after the first letter), and finally Metaphone is applied.
So ``Mohammed``, ``Muhammad``, ``Mohamad`` and ``محمد`` share one key, as do ``Yusuf``,
``Youssef`` and ``Jussuf``.
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish
from anyascii import anyascii

_SPLIT = re.compile(r"[^a-z]+")
_APOSTROPHES = re.compile(r"['`\u02bc\u02bf\u2019]")
# Ordered folds for spellings that transliterations from Arabic, Persian, Cyrillic and Tigrinya
# into English, French and German produce for the same sound.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("sch", "sh"),
    ("tsch", "tsh"),
    ("dsch", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("ch", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("w", "v"),
    ("z", "s"),
    ("q", "k"),
    ("c", "k"),
    ("y", "j"),
    ("j", "i"),
)
_PARTICLES = frozenset({"al", "el", "ul", "bin", "ibn", "ben", "abu", "von", "van", "de"})


def _fold(token: str) -> str:
    for source, target in _FOLDS:
        token = token.replace(source, target)
    token = re.sub(r"([aeiou])h$", r"\1", token)
    # Vowels are what transliterations disagree on most (Olena/Alena, Ali/'Ly): keep consonants.
    skeleton = re.sub(r"[aeiou]", "", token) or token
    return re.sub(r"(.)\1+", r"\1", skeleton)


def latin_tokens(name: str) -> list[str]:
    """Lower-case Latin tokens of a name in any script, without name particles."""
    normalised = unicodedata.normalize("NFKC", name)
    latin = _APOSTROPHES.sub("", anyascii(normalised).lower())
    tokens = [t for t in _SPLIT.split(latin) if t]
    meaningful = [t for t in tokens if t not in _PARTICLES]
    return meaningful or tokens


def token_key(token: str) -> str:
    folded = _fold(token)
    return jellyfish.metaphone(folded)[:12] or folded[:12]


def name_keys(*names: str) -> set[str]:
    """All keys of all tokens of the given names (family name, given names, aliases)."""
    return {key for name in names for token in latin_tokens(name) if (key := token_key(token))}


def query_keys(query: str) -> list[str]:
    """Keys of a search query, in order, without duplicates."""
    seen: dict[str, None] = {}
    for token in latin_tokens(query):
        if key := token_key(token):
            seen.setdefault(key, None)
    return list(seen)
