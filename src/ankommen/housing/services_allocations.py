"""Importing allocation lists (Zuweisungslisten) of the Land: one use case, three shells
(UI, API, ``ankommen import-allocations``).

Rules (issue 5, part 2):

- All or nothing: a file with any invalid row writes nothing and returns every error.
- A file imported before (same SHA-256 in the county) changes nothing and says so; so does a
  file whose rows are all present already with the same data (the fingerprint of each row).
- A row whose Zuweisungsnummer exists with other data is a conflict error; rows present with
  the same data are skipped, so a cumulative list adds only its new rows.
- Persons are grouped into households by the Haushalt key; an existing household of the same
  key (Haushaltsnummer) in the county is reused.
- Per person: nationalities, languages, name keys, residence status (from the allocation day),
  the allocation row (raw needs kept as the list wrote them) and, where a need *is* an Art. 21
  category, a vulnerability: ``schwanger`` (pregnant) and ``alleinerziehend`` (single parent).
  Other needs (wheelchair, care, chronic illness, psychosocial support) are needs, not
  findings; they go into the checklist and placement, and the assessment records categories.
- Audit: one event per created person (with its row and number); the import's own event
  lists the created households and arrivals.
- Writes are bulk operations so that 10,000 rows import in well under 10 s (bench).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.allocation_lists import (
    NUMBER,
    AllocationRow,
    ListError,
    ParsedList,
    RowError,
    parse_allocation_list,
    sha256_of,
)
from ankommen.algorithms.names import name_keys
from ankommen.audit.services import record_event, record_events
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.bulk import insert_objects, insert_rows
from ankommen.housing.models import Allocation, AllocationImport
from ankommen.housing.services_arrivals import ADULT_AGE, ArrivingHousehold, create_arrivals
from ankommen.people.models import (
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Vulnerability,
)

if TYPE_CHECKING:
    from ankommen.core.models import County, User

# Needs that are the same thing as an Art. 21 category (Directive 2013/33/EU).
NEED_VULNERABILITIES = {
    "schwanger": Vulnerability.Category.PREGNANT,
    "alleinerziehend": Vulnerability.Category.SINGLE_PARENT,
}
MAX_FILE_BYTES = 20 * 1024 * 1024
BATCH = 1000
FILE_ERROR_LINE = 0  # an error about the whole file, not one line

Progress = Callable[[str, int, int], None]
T = TypeVar("T")


class Status:
    IMPORTED = "imported"
    CHECKED = "checked"  # dry run: valid, nothing written
    ALREADY_IMPORTED = "already_imported"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


@dataclass
class ImportResult:
    status: str
    file_name: str
    message: str = ""
    format: str = ""
    rows: int = 0
    households: int = 0
    new_rows: int = 0
    unchanged_rows: int = 0
    persons_created: int = 0
    households_created: int = 0
    households_reused: int = 0
    arrivals_created: int = 0
    tasks_created: int = 0
    import_id: int | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != Status.INVALID

    @property
    def changed(self) -> bool:
        return self.status == Status.IMPORTED

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "file_name": self.file_name,
            "format": self.format,
            "rows": self.rows,
            "households": self.households,
            "new_rows": self.new_rows,
            "unchanged_rows": self.unchanged_rows,
            "persons_created": self.persons_created,
            "households_created": self.households_created,
            "households_reused": self.households_reused,
            "arrivals_created": self.arrivals_created,
            "tasks_created": self.tasks_created,
            "import_id": self.import_id,
            "errors": [error.as_dict() for error in self.errors],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportResult:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**values)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _invalid(result: ImportResult, errors: list[RowError]) -> ImportResult:
    result.status = Status.INVALID
    result.errors = sorted(errors)
    result.message = _(
        "Die Datei enthält %(n)d Fehler; es wurde nichts importiert. "
        "Bitte korrigieren und erneut hochladen."
    ) % {"n": len(errors)}
    return result


def _existing_allocations(county: County, numbers: Sequence[str]) -> dict[str, tuple[str, str]]:
    """number → (fingerprint, "file of date") for numbers already imported."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(numbers, 900):
        for number, fingerprint, file_name, imported_at in Allocation.objects.filter(
            county=county, number__in=chunk
        ).values_list("number", "fingerprint", "source__file_name", "source__imported_at"):
            day = timezone.localtime(imported_at).strftime("%d.%m.%Y")
            found[number] = (fingerprint, f"„{file_name}“ vom {day}")
    return found


def check_allocation_list(
    *, county: County, file_name: str, content: bytes, today: date | None = None
) -> tuple[ImportResult, ParsedList | None, list[AllocationRow]]:
    """Read and check a list against the county's data; writes nothing. Returns the result
    (status ``checked`` when it could be imported), the parsed list and the rows to import."""
    result = ImportResult(status=Status.CHECKED, file_name=file_name)
    if len(content) > MAX_FILE_BYTES:
        return (
            _invalid(
                result,
                [
                    RowError(
                        FILE_ERROR_LINE,
                        "",
                        _("Die Datei ist zu groß (höchstens %(mb)d MB).")
                        % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
                    )
                ],
            ),
            None,
            [],
        )
    digest = sha256_of(content)
    previous = AllocationImport.objects.filter(county=county, sha256=digest).first()
    if previous is not None:
        result.status = Status.ALREADY_IMPORTED
        result.import_id = previous.pk
        result.rows = previous.row_count
        result.message = _(
            "Diese Datei wurde bereits am %(day)s importiert (als „%(name)s“); es wurde nichts "
            "geändert."
        ) % {
            "day": timezone.localtime(previous.imported_at).strftime("%d.%m.%Y %H:%M"),
            "name": previous.file_name,
        }
        return result, None, []
    try:
        parsed = parse_allocation_list(
            content,
            today=today or timezone.localdate(),
            file_name=file_name,
            max_name_length=settings.ANKOMMEN_NAME_MAX_LENGTH,
        )
    except ListError as error:
        return _invalid(result, [RowError(FILE_ERROR_LINE, "", str(error))]), None, []
    result.format = parsed.format
    result.rows = parsed.line_count
    result.households = len(parsed.households)
    errors = list(parsed.errors)
    existing = _existing_allocations(county, [row.number for row in parsed.rows])
    new_rows: list[AllocationRow] = []
    for row in parsed.rows:
        if row.number not in existing:
            new_rows.append(row)
            continue
        fingerprint, source = existing[row.number]
        if fingerprint == row.fingerprint:
            result.unchanged_rows += 1
        else:
            errors.append(
                RowError(
                    row.line,
                    NUMBER,
                    _(
                        "Konflikt: Die Zuweisungsnummer %(number)s wurde mit anderen Angaben "
                        "importiert (%(source)s). Änderungen bitte in der Haushaltsakte erfassen."
                    )
                    % {"number": row.number, "source": source},
                )
            )
    if errors:
        return _invalid(result, errors), parsed, []
    result.new_rows = len(new_rows)
    if not new_rows:
        result.status = Status.UNCHANGED
        result.message = _(
            "Alle %(n)d Zeilen sind bereits mit denselben Angaben importiert; es wurde nichts "
            "geändert."
        ) % {"n": result.unchanged_rows}
        return result, parsed, []
    keys = sorted({row.household for row in new_rows})
    reused = 0
    for chunk in _chunks(keys, 900):
        reused += Household._base_manager.filter(county=county, reference__in=chunk).count()
    result.households_reused = reused
    result.households_created = len(keys) - reused
    result.persons_created = len(new_rows)
    result.message = _(
        "Die Datei ist gültig: %(new)d neue Personen in %(hh)d Haushalten "
        "(%(created)d neu, %(reused)d bereits vorhanden); %(same)d Zeilen sind bereits importiert."
    ) % {
        "new": len(new_rows),
        "hh": len(keys),
        "created": result.households_created,
        "reused": reused,
        "same": result.unchanged_rows,
    }
    return result, parsed, new_rows


def import_allocations(
    *,
    actor: User | None,
    county: County,
    file_name: str,
    content: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check and (unless ``dry_run``) import an allocation list. ``actor=None`` is the system
    (the command line without ``--user``). Never raises for bad files: see the result."""
    if actor is not None:
        access.require(actor, Action.CREATE_PERSON, county)
    file_name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255] or "upload"
    result, _parsed, rows = check_allocation_list(
        county=county, file_name=file_name, content=content
    )
    if dry_run or result.status != Status.CHECKED:
        return result
    try:
        with transaction.atomic():
            _write(actor, county, file_name, sha256_of(content), result, rows, progress)
    except IntegrityError:
        # The same file (or the same rows) was imported concurrently; check again.
        again, _parsed, _rows = check_allocation_list(
            county=county, file_name=file_name, content=content
        )
        return again
    return result


def _household_role(row: AllocationRow, is_first: bool) -> str:
    if is_first:
        return Person.HouseholdRole.HEAD
    if row.birth_date.age_on(row.arrival) < ADULT_AGE:
        return Person.HouseholdRole.CHILD
    return Person.HouseholdRole.OTHER  # the list does not say: partner, relative, …


def _write(
    actor: User | None,
    county: County,
    file_name: str,
    digest: str,
    result: ImportResult,
    rows: list[AllocationRow],
    progress: Progress | None,
) -> None:
    today = timezone.localdate()
    total = len(rows)
    report = progress or (lambda phase, done, total: None)
    report("write", 0, total)
    source = AllocationImport.objects.create(
        county=county, file_name=file_name, sha256=digest, imported_by=actor, row_count=result.rows
    )
    result.import_id = source.pk

    keys = sorted({row.household for row in rows})
    households: dict[str, Household] = {}
    for key_chunk in _chunks(keys, 900):
        for household in Household._base_manager.filter(county=county, reference__in=key_chunk):
            households[household.reference] = household
    with_members = set(
        Person._base_manager.filter(household__in=list(households.values()))
        .values_list("household__reference", flat=True)
        .distinct()
    )
    created_households = [
        Household(county=county, reference=key) for key in keys if key not in households
    ]
    insert_objects(created_households)
    households.update({h.reference: h for h in created_households})

    # One event per person (found by person id); households and arrivals are listed in the
    # import's own event.
    events: list[dict[str, Any]] = []
    seen_households: set[str] = set(with_members)
    done = 0
    for chunk in _chunks(rows, BATCH):
        persons: list[Person] = []
        for row in chunk:
            first = row.household not in seen_households
            seen_households.add(row.household)
            persons.append(
                Person(
                    county=county,
                    household=households[row.household],
                    household_role=_household_role(row, first),
                    family_name=row.family_name,
                    given_names=row.given_names,
                    birth_year=row.birth_date.year,
                    birth_month=row.birth_date.month,
                    birth_day=row.birth_date.day,
                    sex=row.sex,
                    allocated_on=min(today, row.arrival),
                )
            )
        insert_objects(persons)
        nationalities: list[tuple[Any, ...]] = []
        languages: list[tuple[Any, ...]] = []
        keys_rows: list[tuple[Any, ...]] = []
        statuses: list[tuple[Any, ...]] = []
        vulnerabilities: list[tuple[Any, ...]] = []
        allocations: list[tuple[Any, ...]] = []
        for row, person in zip(chunk, persons, strict=True):
            pk = person.pk
            allocated_on = min(today, row.arrival)
            nationalities += [(pk, code) for code in row.nationalities]
            languages += [(pk, code, i == 0) for i, code in enumerate(row.languages)]
            keys_rows += [(pk, key) for key in sorted(name_keys(row.family_name, row.given_names))]
            statuses.append((county.pk, pk, row.status_kind, row.legal_basis, allocated_on, None))
            vulnerabilities += [
                (county.pk, pk, NEED_VULNERABILITIES[need], today, None)
                for need in row.needs
                if need in NEED_VULNERABILITIES
            ]
            allocations.append(
                (
                    county.pk,
                    row.number,
                    source.pk,
                    person.household_id,
                    pk,
                    row.arrival,
                    list(row.needs),
                    row.fingerprint,
                    row.status_text,
                )
            )
            events.append(
                {
                    "actor": actor,
                    "action": "create",
                    "obj": person,
                    "person_id": pk,
                    "details": {
                        "import": source.pk,
                        "allocation": row.number,
                        "line": row.line,
                    },
                }
            )
        insert_rows(Nationality, ["person", "code"], nationalities)
        insert_rows(LanguageSkill, ["person", "code", "is_first_language"], languages)
        insert_rows(PersonNameKey, ["person", "key"], keys_rows)
        insert_rows(
            ResidenceStatus,
            ["county", "person", "kind", "legal_basis", "valid_from", "valid_to"],
            statuses,
        )
        insert_rows(
            Vulnerability,
            ["county", "person", "category", "valid_from", "valid_to"],
            vulnerabilities,
        )
        insert_rows(
            Allocation,
            [
                "county",
                "number",
                "source",
                "household",
                "person",
                "planned_arrival",
                "needs",
                "fingerprint",
                "status_text",
            ],
            allocations,
        )
        done += len(chunk)
        report("write", done, total)

    arrivals, result.tasks_created = create_arrivals(
        actor=actor, county=county, households=_arriving(rows, households)
    )
    result.arrivals_created = len(arrivals)
    record_events(events)
    record_event(
        actor=actor,
        action="create",
        obj=source,
        details={
            "rows": result.rows,
            "persons": result.persons_created,
            "households_created": len(created_households),
            "households_reused": result.households_reused,
            "unchanged_rows": result.unchanged_rows,
            "household_ids": [h.pk for h in created_households],
            "arrival_ids": [a.pk for a in arrivals],
        },
    )
    result.status = Status.IMPORTED
    result.message = _(
        "Importiert: %(n)d Personen in %(hh)d Haushalten (%(created)d neu angelegt); "
        "%(same)d Zeilen waren bereits vorhanden."
    ) % {
        "n": result.persons_created,
        "hh": len(keys),
        "created": len(created_households),
        "same": result.unchanged_rows,
    }
    report("done", total, total)


def _arriving(
    rows: Iterable[AllocationRow], households: dict[str, Household]
) -> list[ArrivingHousehold]:
    grouped: dict[tuple[str, date], list[AllocationRow]] = {}
    for row in rows:
        grouped.setdefault((row.household, row.arrival), []).append(row)
    arriving: list[ArrivingHousehold] = []
    for (key, day), members in grouped.items():
        languages: list[str] = []
        for row in members:
            languages += [code for code in row.languages if code not in languages]
        arriving.append(
            ArrivingHousehold(
                household=households[key],
                planned_on=day,
                languages=tuple(languages),
                needs=frozenset(need for row in members for need in row.needs),
                child_ages=tuple(
                    age for row in members if (age := row.birth_date.age_on(day)) < ADULT_AGE
                ),
            )
        )
    return arriving
