"""The registry of personal data sources (GDPR Art. 15 and 17).

Every app that holds data about persons registers one :class:`DataSource` from its
``AppConfig.ready()`` (``people/privacy.py``, ``housing/privacy.py``, ``audit/privacy.py``). A
source answers three questions about the persons of a county:

* what it holds about one person, for the access export (:meth:`DataSource.export`);
* until when a person is in contact with it (:meth:`DataSource.contact_ends`): the start of
  the retention period;
* how to anonymise the persons whose period in its retention category is over
  (:meth:`DataSource.anonymise`).

The registry sits low in the layers (below ``people``, above ``audit``): the apps import it,
it imports none of them. The services in :mod:`ankommen.privacy.services` only ever talk to the
sources through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from ankommen.core.models import County, User


@dataclass(frozen=True)
class Entry:
    """One fact: a German label, its readable value and, for choices, the stored code."""

    label: str
    value: str
    code: str = ""

    def as_dict(self) -> dict[str, str]:
        data = {"label": self.label, "value": self.value}
        if self.code:
            data["code"] = self.code
        return data


@dataclass(frozen=True)
class Record:
    """A group of entries that belong together (one status, one stay in a bed)."""

    entries: tuple[Entry, ...]
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "entries": [entry.as_dict() for entry in self.entries]}


@dataclass(frozen=True)
class Section:
    """A category of data, with what GDPR Art. 15(1) asks to tell about it."""

    key: str  # stable, machine-readable ("person", "occupancy", …)
    title: str
    records: tuple[Record, ...] = ()
    purpose: str = ""  # Art. 15(1)(a)
    recipients: str = ""  # Art. 15(1)(c)
    origin: str = ""  # Art. 15(1)(g)
    retention: str = ""  # Art. 15(1)(d), filled in by the export from the category
    # Data the exporting role may not read (health data for non-health staff): the section
    # says so instead of listing anything, and the data is answered by those who may.
    withheld_note: str = ""
    # Showing this section is a read of health-related facts: the export records it as an
    # audited read, as the person page does.
    audited_read: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "purpose": self.purpose,
            "recipients": self.recipients,
            "origin": self.origin,
            "retention": self.retention,
            "withheld": self.withheld_note,
            "records": [record.as_dict() for record in self.records],
        }


@dataclass(frozen=True)
class RetentionCategory:
    """A retention category: the default period after the end of contact, and its source.

    ``verified`` is false while the period is a county decision or an assumption rather than a
    rule read in a law; the setting ``ANKOMMEN_RETENTION_YEARS`` overrides ``default_years``.
    """

    key: str
    label: StrOrPromise
    default_years: int
    legal_basis: StrOrPromise
    verified: bool = False


@dataclass(frozen=True)
class AnonymisationResult:
    """What one source changed: rows anonymised (kept without identifying data) and deleted."""

    anonymised: int = 0
    deleted: int = 0
    fields: tuple[str, ...] = field(default=())


class DataSource(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def category(self) -> RetentionCategory | None:
        """The retention category of the data; ``None``: nothing to anonymise (the log)."""
        ...

    def export(self, *, person: Any, actor: User | AnonymousUser | None) -> Iterable[Section]: ...

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        """Per person of the county this source knows: the day the last contact ended, or
        ``None`` while it goes on (an open stay, an active responsibility)."""
        ...

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult: ...


_SOURCES: dict[str, DataSource] = {}


def register(source: DataSource) -> DataSource:
    """Add a source (once per key; registering the same key again replaces it)."""
    _SOURCES[source.key] = source
    return source


def sources() -> list[DataSource]:
    return list(_SOURCES.values())


def categories() -> list[RetentionCategory]:
    seen: dict[str, RetentionCategory] = {}
    for source in _SOURCES.values():
        if source.category is not None:
            seen.setdefault(source.category.key, source.category)
    return list(seen.values())
