"""The access matrix as data: role × scope × object relation × action → granted or denied.

The tables below are written by hand on purpose. They restate ``core.access`` so that any change
to a role, a scope rule or an action shows up here as a failing test that must be edited
deliberately. ``x`` grants, ``.`` denies.

Three tables together give the expected answer for every row of the matrix:

* ``ROLE_GRANTS`` – which actions a role grants at all;
* ``SCOPE_REACH`` – which households a scope reaches with a household action (see
  ``tests/access/world.py`` for how each relation is built);
* ``SCOPE_COUNTY_ACTIONS`` – which county-wide actions (not about one household) a scope allows.

A fourth, ``SITE_REACH``, says which facilities (sites) a scope reaches with an action the role
grants: the facility pages, rooms, beds and occupancy figures follow it.

Besides the roles, ``NOBODY_SUBJECTS`` are accounts that must get nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ankommen.core.access import HOUSEHOLD_ACTIONS, Action
from ankommen.core.models import Role, Scope

COLUMNS = {
    "VP": Action.VIEW_PERSON,
    "VS": Action.VIEW_SENSITIVE,
    "CP": Action.CHANGE_PERSON,
    "NP": Action.CREATE_PERSON,
    "EX": Action.EXPORT_PERSONS,
    "VH": Action.VIEW_HEALTH,
    "AG": Action.VIEW_AGGREGATES,
    "AU": Action.VIEW_AUDIT,
    "MS": Action.MANAGE_STAFF,
    "MA": Action.MANAGE_ACCOMMODATION,
    "PA": Action.PREPARE_ARRIVAL,
    "PC": Action.PLAN_CAPACITY,
    "SE": Action.EXPORT_SUBJECT_DATA,
    "RR": Action.RUN_RETENTION,
    "VL": Action.VIEW_PLANNING,
    "ML": Action.MANAGE_PLANNING,
    "RH": Action.RECORD_HEALTH,
    "VF": Action.VIEW_FINANCE,
    "MF": Action.MANAGE_FINANCE,
    "VC": Action.VIEW_CASEWORK,
    "CC": Action.CHANGE_CASEWORK,
}

ROLE_GRANTS_TABLE = """
role                    VP VS CP NP EX VH AG AU MS MA PA PC SE RR VL ML RH VF MF VC CC
county_admin            x  x  x  x  x  .  x  x  x  x  x  x  x  x  x  x  .  x  x  x  x
county_caseworker       x  x  x  x  x  .  x  .  .  x  x  .  .  .  .  .  .  .  .  x  x
shelter_manager         x  x  .  .  .  .  x  .  .  x  x  .  .  .  .  .  .  .  .  .  .
provider_caseworker     x  x  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  x
health_staff            x  x  .  .  .  x  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .
education_coordinator   x  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .
job_coach               x  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
volunteer_coordinator   x  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .
volunteer               x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
planner                 .  .  .  .  .  .  x  .  .  .  .  x  .  .  x  x  .  .  .  .  .
auditor                 .  .  .  .  .  .  x  x  .  .  .  .  .  .  .  .  .  x  .  .  .
"""

# Casework (VC, CC) outside county scope needs a member's consent to sharing with the provider;
# every household of the world has one, so the reach below holds for them too (consent and its
# withdrawal: tests/casework/test_consent.py).
#
# Relations of a household to the subject (all but other_county lie in the subject's county):
#   in_scope         linked to the subject's scope target only (county scope: no link at all)
#   provider_site    accommodated at another site of the subject's provider
#   other_in_county  linked to another provider, another site and another caseworker
#   other_county     in another county, yet forged links to the subject's provider, site and user
#   ended            linked like in_scope, but the responsibility ended yesterday
#   future           linked like in_scope, but the responsibility starts tomorrow
SCOPE_REACH_TABLE = """
scope     in_scope provider_site other_in_county other_county ended future
county    x        x             x               .            x     x
provider  x        x             .               .            .     .
facility  x        .             .               .            .     .
caseload  x        .             .               .            .     .
"""

# Facilities (sites) a scope reaches with an action its role grants (``access.site_condition``):
#   site             the subject's site (facility scope), a site of its provider (provider scope)
#   provider_site    another site of the subject's provider
#   other_in_county  a site of another provider in the county
#   other_county     a site in another county, run by a provider of that county
# A caseload reaches households, never a whole facility.
SITE_REACH_TABLE = """
scope     site provider_site other_in_county other_county
county    x    x             x               .
provider  x    x             .               .
facility  x    .             .               .
caseload  .    .             .               .
"""

# County-wide actions: creating records, statistics, the audit log and staff administration.
# Those that show the whole county's records need county scope.
SCOPE_COUNTY_ACTIONS_TABLE = """
scope     NP AG AU MS PC RR VL ML VF MF
county    x  x  x  x  x  x  x  x  x  x
provider  x  x  .  .  .  .  .  .  .  .
facility  x  x  .  .  .  .  .  .  .  .
caseload  x  x  .  .  .  .  .  .  .  .
"""

OWN_COUNTY = "own_county"
OTHER_COUNTY = "other_county"


def _parse(table: str) -> tuple[list[str], dict[str, dict[str, bool]]]:
    lines = [line.split() for line in table.strip().splitlines()]
    header = lines[0][1:]
    rows: dict[str, dict[str, bool]] = {}
    for cells in lines[1:]:
        assert len(cells) == len(header) + 1, f"malformed matrix row: {cells}"
        assert all(cell in {"x", "."} for cell in cells[1:]), f"only x or . allowed: {cells}"
        rows[cells[0]] = {
            column: cell == "x" for column, cell in zip(header, cells[1:], strict=True)
        }
    return header, rows


_, _ROLE_ROWS = _parse(ROLE_GRANTS_TABLE)
ROLE_GRANTS: dict[Role, frozenset[Action]] = {
    Role(role): frozenset(COLUMNS[c] for c, granted in row.items() if granted)
    for role, row in _ROLE_ROWS.items()
}
RELATIONS, _REACH_ROWS = _parse(SCOPE_REACH_TABLE)
SCOPE_REACH: dict[Scope, frozenset[str]] = {
    Scope(scope): frozenset(rel for rel, reached in row.items() if reached)
    for scope, row in _REACH_ROWS.items()
}
SITE_RELATIONS, _SITE_ROWS = _parse(SITE_REACH_TABLE)
SITE_REACH: dict[Scope, frozenset[str]] = {
    Scope(scope): frozenset(rel for rel, reached in row.items() if reached)
    for scope, row in _SITE_ROWS.items()
}
_, _COUNTY_ROWS = _parse(SCOPE_COUNTY_ACTIONS_TABLE)
SCOPE_COUNTY_ACTIONS: dict[Scope, frozenset[Action]] = {
    Scope(scope): frozenset(COLUMNS[c] for c, allowed in row.items() if allowed)
    for scope, row in _COUNTY_ROWS.items()
}
COUNTY_ACTIONS = frozenset(Action) - HOUSEHOLD_ACTIONS

# Accounts that reach nothing: no membership; a county administrator whose membership ended
# yesterday or starts tomorrow.
NOBODY_SUBJECTS = ("no_membership", "ended_membership", "future_membership")


@dataclass(frozen=True)
class Subject:
    """Who asks: a role with a scope, or one of ``NOBODY_SUBJECTS`` (role and scope None)."""

    key: str
    role: Role | None = None
    scope: Scope | None = None

    def __str__(self) -> str:
        return self.key


SUBJECTS: tuple[Subject, ...] = (
    *(Subject(f"{role.value}@{scope.value}", role, scope) for role in Role for scope in Scope),
    *(Subject(key) for key in NOBODY_SUBJECTS),
)


def grants(subject: Subject, action: Action) -> bool:
    """Does the subject's role grant ``action`` somewhere (in its own county, at its scope)?"""
    if subject.role is None or subject.scope is None:
        return False
    if action not in ROLE_GRANTS[subject.role]:
        return False
    return action in HOUSEHOLD_ACTIONS or action in SCOPE_COUNTY_ACTIONS[subject.scope]


def expected(subject: Subject, relation: str, action: Action) -> bool:
    """The expected answer of one matrix row.

    For household actions ``relation`` is one of ``RELATIONS``; for county-wide actions it is
    ``OWN_COUNTY`` or ``OTHER_COUNTY``.
    """
    if not grants(subject, action):
        return False
    assert subject.scope is not None
    if action in HOUSEHOLD_ACTIONS:
        assert relation in RELATIONS, relation
        return relation in SCOPE_REACH[subject.scope]
    assert relation in {OWN_COUNTY, OTHER_COUNTY}, relation
    return relation == OWN_COUNTY


def reaches_site(subject: Subject, action: Action, site: str) -> bool:
    """May the subject do ``action`` on the facility of relation ``site``?"""
    assert site in SITE_RELATIONS, site
    if not grants(subject, action):
        return False
    assert subject.scope is not None
    return site in SITE_REACH[subject.scope]


def county_wide(subject: Subject, action: Action) -> bool:
    """Does the subject hold ``action`` for the whole of its county (county scope)? Totals over
    the county or a municipality, placement and planning a facility need this."""
    return grants(subject, action) and subject.scope == Scope.COUNTY


@dataclass(frozen=True)
class Row:
    subject: Subject
    relation: str
    action: Action
    granted: bool


def rows_for(subject: Subject) -> Iterator[Row]:
    for action in Action:
        relations = RELATIONS if action in HOUSEHOLD_ACTIONS else [OWN_COUNTY, OTHER_COUNTY]
        for relation in relations:
            yield Row(subject, relation, action, expected(subject, relation, action))


def all_rows() -> Iterator[Row]:
    for subject in SUBJECTS:
        yield from rows_for(subject)
