"""Runs the access matrix through every URL of ``endpoints.ENDPOINTS``: HTML pages with a
session, the API with token authentication. A denial shows no personal data, writes no audit
event and changes nothing; an allowed response shows sensitive facts only with VIEW_SENSITIVE
and audits reads of health-related needs; an allowed write records its audit events.

One world per subject serves every row: the rows that read run first, then those that write
(each write leaves the world valid for the next). Housing pages follow the facility rules
(``matrix.SITE_REACH``): figures for all who may see figures, names only for those who may see
the persons.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, models
from django.test import Client
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.casework.models import Assignment, Case, Contact, Goal
from ankommen.casework.models import Referral as CaseworkReferral
from ankommen.core.access import Action
from ankommen.finance.models import ClaimRun, ReimbursementRule, StatePayment
from ankommen.health.models import (
    Booking,
    CareRoute,
    ChronicCondition,
    ConsultationHour,
    Examination,
    HealthNeed,
    Referral,
    Screening,
    Vaccination,
)
from ankommen.housing.models import (
    Allocation,
    AllocationImport,
    AllocationUpload,
    Arrival,
    ArrivalTask,
    BedStatus,
    FacilityFeature,
    FlatReadiness,
    Move,
    Occupancy,
    PlacementRun,
    Room,
)
from ankommen.people.models import (
    Consent,
    Household,
    LanguageSkill,
    Nationality,
    Person,
    ResidenceStatus,
    Responsibility,
    Vulnerability,
)
from ankommen.planning.models import CapacityChange, PlaceCost, Scenario
from ankommen.planning.models_intake import ChainLink, IntakeQuota, NationalSeries, SeriesValue
from tests.access.endpoints import ENDPOINTS, Endpoint, Rule, Shows
from tests.access.matrix import (
    OTHER_COUNTY,
    RELATIONS,
    SITE_RELATIONS,
    SUBJECTS,
    Subject,
    county_wide,
    expected,
    grants,
    reaches_site,
)
from tests.access.world import (
    FAMILY_NAMES,
    PLACED,
    RESIDENTS,
    SITE_NAMES,
    UNPLACED,
    Fact,
    World,
    build_world,
    sensitive_markers,
)

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail"}
# Reads before writes; the sort is stable, so the table's order holds within each group.
RUN_ORDER = sorted(ENDPOINTS, key=lambda endpoint: endpoint.method != "get")

# What a request may change: rows and last changes of every table the people pages and API
# write, and the audit log (all events, reads).
_STATE_COLUMNS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Household, ("COUNT(*)",)),
    (Person, ("COUNT(*)", "MAX(updated_at)")),
    (Nationality, ("COUNT(*)",)),
    (LanguageSkill, ("COUNT(*)",)),
    (ResidenceStatus, ("COUNT(*)", "COUNT(valid_to)", "MAX(valid_to)")),
    (Vulnerability, ("COUNT(*)", "COUNT(valid_to)")),
    (Consent, ("COUNT(*)", "COUNT(withdrawn_on)")),
    (Responsibility, ("COUNT(*)", "COUNT(valid_to)")),
    (Room, ("COUNT(*)",)),
    (FacilityFeature, ("COUNT(*)",)),
    (BedStatus, ("COUNT(*)", "COUNT(valid_to)")),
    (Occupancy, ("COUNT(*)", "COUNT(valid_to)", "MAX(id)")),
    (Move, ("COUNT(*)",)),
    (FlatReadiness, ("COUNT(*)", "COUNT(valid_to)")),
    (PlacementRun, ("COUNT(*)",)),
    (Arrival, ("COUNT(*)", "COUNT(site_id)", "COUNT(assessed_at)")),
    (ArrivalTask, ("COUNT(done_at)",)),
    (AllocationUpload, ("COUNT(*)", "COUNT(finished_at)")),
    (AllocationImport, ("COUNT(*)",)),
    (Allocation, ("COUNT(*)",)),
    (Scenario, ("COUNT(*)", "MAX(updated_at)")),
    (CapacityChange, ("COUNT(*)",)),
    (PlaceCost, ("COUNT(*)",)),
    (NationalSeries, ("COUNT(*)",)),
    (SeriesValue, ("COUNT(*)",)),
    (ChainLink, ("COUNT(*)", "MAX(changed_at)")),
    (IntakeQuota, ("COUNT(*)", "MAX(changed_at)")),
    *((model, ("COUNT(*)",)) for model in (Examination, Vaccination, ChronicCondition)),
    *((model, ("COUNT(*)",)) for model in (Screening, CareRoute, HealthNeed)),
    (Referral, ("COUNT(*)", "COUNT(CASE WHEN status = 'done' THEN 1 END)")),
    (ConsultationHour, ("COUNT(*)",)),
    (Booking, ("COUNT(*)", "COUNT(CASE WHEN attendance = 'attended' THEN 1 END)")),
    (ReimbursementRule, ("COUNT(*)",)),
    (StatePayment, ("COUNT(*)",)),
    (Case, ("COUNT(*)",)),
    (Assignment, ("COUNT(*)", "COUNT(valid_to)")),
    (Contact, ("COUNT(*)",)),
    (CaseworkReferral, ("COUNT(*)", "COUNT(follow_up_on)")),
    (Goal, ("COUNT(*)", "COUNT(target_on)")),
    (ClaimRun, ("COUNT(*)",)),
)


@dataclass(frozen=True)
class State:
    events: int
    reads: int
    data: tuple[Any, ...]


def _state() -> State:
    """Read in one query: the matrix takes it once per request."""
    # The SQL is built from the models' table and column names only (no input): S608 is moot.
    quote = connection.ops.quote_name
    audit = quote(AuditEvent._meta.db_table)
    parts = [
        f"(SELECT COUNT(*) FROM {audit})",  # noqa: S608
        f"(SELECT COUNT(*) FROM {audit} WHERE action = %s)",  # noqa: S608
    ]
    for model, columns in _STATE_COLUMNS:
        table = quote(model._meta.db_table)
        parts += [f"(SELECT {column} FROM {table})" for column in columns]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [AuditEvent.Action.READ.value])
        events, reads, *data = cursor.fetchone()
    return State(events, reads, tuple(data))


@pytest.fixture(autouse=True)
def _no_warning_per_denial(caplog: pytest.LogCaptureFixture) -> None:
    """The matrix provokes thousands of 403 and 404 answers on purpose; logging a warning with
    a traceback for each took a fifth of the run time and tells nothing the checks do not."""
    caplog.set_level(logging.ERROR, logger="django.request")


@pytest.fixture(autouse=True)
def _work_in_the_request(settings) -> None:  # type: ignore[no-untyped-def]
    """Imports and placement runs in the request, not in a thread after the commit."""
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False
    settings.ANKOMMEN_PLACEMENT_IN_BACKGROUND = False


def _allowed(subject: Subject, endpoint: Endpoint, relation: str) -> bool:
    if endpoint.rule == Rule.AUTHENTICATED:
        return True
    action = endpoint.action
    assert action is not None
    if endpoint.rule == Rule.ACTION:
        allowed = grants(subject, action)
    elif endpoint.rule == Rule.SITES:
        allowed = any(reaches_site(subject, action, site) for site in SITE_RELATIONS)
    elif endpoint.rule == Rule.SITE:
        allowed = reaches_site(subject, action, relation)
    elif endpoint.rule == Rule.COUNTY_WIDE:
        allowed = county_wide(subject, action) and relation != OTHER_COUNTY
    elif endpoint.rule == Rule.OWN_UPLOAD:
        allowed = grants(subject, action) and relation == "own"
    else:
        allowed = any(expected(subject, relation, a) for a in endpoint.actions)
        if endpoint.county_wide:
            allowed = allowed and county_wide(subject, action)
    return allowed and (endpoint.also is None or grants(subject, endpoint.also))


def _denial_status(subject: Subject, endpoint: Endpoint, relation: str) -> int:
    """403 when the role lacks a needed action everywhere (or the scope a row needs), else 404
    (out of reach)."""
    action = endpoint.action
    assert action is not None
    if endpoint.rule in {Rule.ACTION, Rule.SITES}:
        return 403
    if endpoint.rule == Rule.COUNTY_WIDE:
        return 404 if county_wide(subject, action) else 403
    if endpoint.rule in {Rule.SITE, Rule.OWN_UPLOAD}:
        return 404 if grants(subject, action) else 403
    if not any(grants(subject, a) for a in endpoint.actions):
        return 403
    if endpoint.also is not None and not grants(subject, endpoint.also):
        return 403
    if not any(expected(subject, relation, a) for a in endpoint.actions):
        return 404
    return 403  # reached, but not with the county scope the row needs


def _wanted(subject: Subject, endpoint: Endpoint, relation: str, world: World) -> dict[str, str]:
    """What an allowed response must show of each household it shows (its person's name or
    its reference); it must show nothing of the others."""

    def name(rel: str) -> str:
        return world.household_secrets(rel)[0]

    def reference(rel: str) -> str:
        return world.household_secrets(rel)[1]

    if endpoint.shows == Shows.VISIBLE:
        assert endpoint.action is not None
        show = reference if endpoint.by_reference else name
        return {rel: show(rel) for rel in endpoint.among if expected(subject, rel, endpoint.action)}
    if endpoint.shows == Shows.ONE:
        return {relation: name(relation)}
    if endpoint.shows == Shows.REFERENCE:
        return {relation: reference(relation)}
    if endpoint.shows == Shows.RESIDENTS:
        resident = RESIDENTS[relation]
        may_see = reaches_site(subject, Action.VIEW_PERSON, relation) and expected(
            subject, resident, Action.VIEW_PERSON
        )
        return {resident: name(resident)} if may_see else {}
    if endpoint.shows == Shows.PLACEMENT:
        return {PLACED: name(PLACED), UNPLACED: reference(UNPLACED)}
    if endpoint.shows == Shows.UNPLACED:
        return {UNPLACED: reference(UNPLACED)}
    return {}


def _send(clients: dict[str, Client], endpoint: Endpoint, path: str, data: Any, token: str):
    send = getattr(clients["api" if endpoint.api else "web"], endpoint.method)
    if not endpoint.api:
        response = send(path, data) if data is not None else send(path)
        # A write's success message would show on the next page the client loads (the test
        # follows no redirect): drop it, so that every response shows only its own data.
        clients["web"].cookies.pop("messages", None)
        return response
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}  # token only, no session cookie
    if data is None:
        return send(path, **auth)
    if endpoint.content_type is not None:
        return send(path, data, content_type=endpoint.content_type, **auth)
    return send(path, json.dumps(data), content_type="application/json", **auth)


def _check_body(
    errors: list[str],
    label: str,
    body: str,
    *,
    wanted: dict[str, str],
    revealed: frozenset[Fact],
    api: bool,
    vocabulary: str,
    world: World,
    sites: set[str] | None = None,
) -> None:
    for relation in RELATIONS:
        if relation in wanted:
            if wanted[relation] not in body:
                errors.append(f"{label}: {relation} ({wanted[relation]}) missing")
        elif leaked := [s for s in world.household_secrets(relation) if s in body]:
            errors.append(f"{label}: data of {relation} leaked: {leaked}")
    # A fact counts as shown when its label (code) occurs more often than in the vocabulary.
    for fact, texts in sensitive_markers(api=api).items():
        found = [t for t in texts if body.count(t) > vocabulary.count(t)]
        if bool(found) != (fact in revealed):
            errors.append(f"{label}: {fact} shown={found}, expected {fact in revealed}")
    # Facilities: exactly ``sites`` by name, where the response lists facilities.
    if sites is not None:
        for site, site_name in SITE_NAMES.items():
            if (site_name in body) != (site in sites):
                errors.append(f"{label}: facility {site} shown={site_name in body}")


def _check_denial(
    errors: list[str], label: str, response, status: int, endpoint: Endpoint, world: World
) -> None:
    if response.status_code != status:
        errors.append(f"{label}: status {response.status_code}, expected {status}")
        return
    body = response.content.decode(errors="replace")
    _check_body(
        errors,
        label,
        body,
        wanted={},
        revealed=frozenset(),
        api=endpoint.api,
        vocabulary="",
        world=world,
        sites=set(),
    )
    if not endpoint.api:
        title = {403: "Keine Berechtigung", 404: "Nicht gefunden"}[status]
        if title not in body:
            errors.append(f"{label}: German page {title!r} missing")
    else:
        if response["Content-Type"] != "application/problem+json":
            errors.append(f"{label}: content type {response['Content-Type']}")
        problem = response.json()
        if set(problem) != PROBLEM_KEYS or problem["status"] != status:
            errors.append(f"{label}: not a bare problem document: {problem}")


def _run(
    subject: Subject,
    endpoint: Endpoint,
    relation: str,
    world: World,
    clients: dict[str, Client],
    token: str,
    vocabularies: dict[tuple[str, str], str],
    before: State,
    errors: list[str],
) -> State:
    """One request; ``before`` is the state before it, the state after it is returned."""
    label = f"{endpoint}[{relation}]" if relation != "-" else str(endpoint)
    path = endpoint.path(world, relation)
    data = endpoint.body(world, relation) if endpoint.body else None
    response = _send(clients, endpoint, path, data, token)
    # Files (a claim as XLSX or PDF) are not text: look for names in what decodes.
    body = response.content.decode(errors="replace")
    vocabulary = vocabularies.get(endpoint.key, "")

    audited_reads = 0
    writes: int | None = 0
    changes = False
    if _allowed(subject, endpoint, relation):
        if response.status_code != endpoint.ok_status:
            errors.append(f"{label}: status {response.status_code}, expected allowed")
        sensitive = endpoint.rule == Rule.HOUSEHOLD and expected(
            subject, relation, Action.VIEW_SENSITIVE
        )
        revealed = endpoint.reveals if sensitive else frozenset()
        if endpoint.shows == Shows.DESCRIPTION and body != vocabulary:
            errors.append(f"{label}: differs from the schema generated without a caller")
        sites = None
        if endpoint.shows == Shows.SITES:
            assert endpoint.action is not None
            sites = {s for s in SITE_RELATIONS if reaches_site(subject, endpoint.action, s)}
        _check_body(
            errors,
            label,
            body,
            wanted=_wanted(subject, endpoint, relation, world),
            revealed=revealed,
            api=endpoint.api,
            vocabulary=vocabulary,
            world=world,
            sites=sites,
        )
        # One person with such a need.
        audited_reads = 1 if sensitive and (Fact.HEALTH_NEED in revealed or endpoint.audited) else 0
        writes = endpoint.writes
        changes = endpoint.changes_data
    else:
        status = _denial_status(subject, endpoint, relation)
        _check_denial(errors, label, response, status, endpoint, world)

    after = _state()
    if after.reads - before.reads != audited_reads:
        errors.append(f"{label}: {after.reads - before.reads} audited reads, not {audited_reads}")
    events = after.events - before.events - audited_reads
    if events != writes and (writes is not None or events < 1):
        errors.append(f"{label}: {events} audit events, expected {writes or 'some'}")
    if (after.data != before.data) != changes:
        errors.append(f"{label}: data {'unchanged' if changes else 'changed'}")
    return after


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_every_url_follows_the_matrix(subject):
    world = build_world(subject)
    clients = {"web": Client(), "api": Client()}
    clients["web"].force_login(world.user)
    token = Token.objects.create(user=world.user).key
    vocabularies = {e.key: e.vocabulary() for e in ENDPOINTS if e.vocabulary is not None}
    errors: list[str] = []
    state = _state()
    for endpoint in RUN_ORDER:
        if endpoint.rule == Rule.PUBLIC:
            continue
        if endpoint.subjects is not None and subject.key not in endpoint.subjects:
            continue
        for relation in endpoint.relations:
            state = _run(
                subject, endpoint, relation, world, clients, token, vocabularies, state, errors
            )
    assert not errors, "\n".join(errors)


@pytest.mark.django_db(False)
def test_every_row_is_tried_granted_and_denied():
    """Also with fewer subjects (``Endpoint.subjects``) each row meets a grant and a denial;
    rows about one object also a 404 (out of reach) besides the 403 (no right anywhere)."""
    keys = {subject.key for subject in SUBJECTS}
    for endpoint in ENDPOINTS:
        if endpoint.rule == Rule.PUBLIC:
            continue
        assert endpoint.subjects is None or endpoint.subjects <= keys, endpoint
        tried = [
            (subject, relation)
            for subject in SUBJECTS
            if endpoint.subjects is None or subject.key in endpoint.subjects
            for relation in endpoint.relations
        ]
        outcomes = {_allowed(subject, endpoint, relation) for subject, relation in tried}
        if endpoint.rule == Rule.AUTHENTICATED:
            assert outcomes == {True}, endpoint
            continue
        assert outcomes == {True, False}, endpoint
        denials = {
            _denial_status(subject, endpoint, relation)
            for subject, relation in tried
            if not _allowed(subject, endpoint, relation)
        }
        assert denials == ({403, 404} if len(endpoint.relations) > 1 else {403}), endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_callers_get_only_public_urls(endpoint, client):
    world = build_world(Subject("no_membership"))
    before = _state()
    relation = endpoint.relations[0]
    path = endpoint.path(world, relation)
    data = endpoint.body(world, relation) if endpoint.body else None
    send = getattr(client, endpoint.method)
    if endpoint.api and data is not None:
        content_type = endpoint.content_type or "application/json"
        raw = data if endpoint.content_type else json.dumps(data)
        response = send(path, raw, content_type=content_type)
    else:
        response = send(path, data or {})
    if endpoint.rule == Rule.PUBLIC:
        assert response.status_code == endpoint.ok_status
    elif endpoint.api:
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()) == PROBLEM_KEYS
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/?next=")
    body = response.content.decode(errors="replace")
    assert not any(name in body for name in FAMILY_NAMES.values())
    assert _state().data == before.data


def test_the_api_with_a_session_follows_the_same_rules(client):
    """Session authentication reaches the same rows as a token (spot check, provider scope)."""
    from ankommen.core.models import Role, Scope

    subject = Subject("provider_caseworker@provider", Role.PROVIDER_CASEWORKER, Scope.PROVIDER)
    world = build_world(subject)
    client.force_login(world.user)
    listed = client.get("/api/v1/persons/").json()["results"]
    visible = {r for r in RELATIONS if expected(subject, r, Action.VIEW_PERSON)}
    assert {p["family_name"] for p in listed} == {FAMILY_NAMES[r] for r in visible}
    household = world.households["in_scope"]
    members = client.get(f"/api/v1/households/{household.pk}/").json()["members"]
    assert [m["family_name"] for m in members] == [FAMILY_NAMES["in_scope"]]
    assert (
        client.get(f"/api/v1/households/{world.households['other_in_county'].pk}/").status_code
        == 404
    )
