"""Hashing of audit events: the canonical form of an event and the chain check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def event_hash(previous_hash: str, fields: Mapping[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def find_breaks(events: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> list[ChainBreak]:
    """Check ``(sequence, previous_hash, hash, fields)`` tuples in order of sequence."""
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for sequence, previous_hash, stored_hash, fields in events:
        if sequence != expected_sequence:
            breaks.append(ChainBreak(sequence, f"Lücke: Eintrag {expected_sequence} fehlt"))
        if previous_hash != expected_previous:
            breaks.append(ChainBreak(sequence, "Verweis auf den Vorgänger stimmt nicht"))
        if event_hash(previous_hash, fields) != stored_hash:
            breaks.append(ChainBreak(sequence, "Inhalt wurde nachträglich verändert"))
        expected_previous = stored_hash
        expected_sequence = sequence + 1
    return breaks
