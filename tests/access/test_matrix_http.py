"""Runs the access matrix through every URL of ``endpoints.ENDPOINTS``: HTML pages with a
session, the API with token authentication. A denial shows no personal data, writes no audit
event and changes nothing; an allowed response shows sensitive facts only with VIEW_SENSITIVE
and audits reads of health-related needs; an allowed write records its audit events.

One world per subject serves every row: the rows that read run first, then those that write
(each write leaves the world valid for the next)."""

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
from ankommen.core.access import Action
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
from tests.access.endpoints import ENDPOINTS, Endpoint, Rule, Shows
from tests.access.matrix import RELATIONS, SUBJECTS, Subject, expected, grants
from tests.access.world import FAMILY_NAMES, Fact, World, build_world, sensitive_markers

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
    (Responsibility, ("COUNT(*)",)),
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


def _visible(subject: Subject) -> set[str]:
    return {rel for rel in RELATIONS if expected(subject, rel, Action.VIEW_PERSON)}


def _allowed(subject: Subject, endpoint: Endpoint, relation: str) -> bool:
    if endpoint.rule == Rule.AUTHENTICATED:
        return True
    assert endpoint.action is not None
    if endpoint.rule == Rule.ACTION:
        allowed = grants(subject, endpoint.action)
    else:
        allowed = expected(subject, relation, endpoint.action)
    return allowed and (endpoint.also is None or grants(subject, endpoint.also))


def _denial_status(subject: Subject, endpoint: Endpoint) -> int:
    """403 when the role lacks a needed action everywhere, else 404 (out of reach)."""
    if endpoint.rule == Rule.ACTION:
        return 403
    needed = [a for a in (endpoint.action, endpoint.also) if a is not None]
    return 404 if all(grants(subject, action) for action in needed) else 403


def _send(clients: dict[str, Client], endpoint: Endpoint, path: str, data: Any, token: str):
    send = getattr(clients["api" if endpoint.api else "web"], endpoint.method)
    if not endpoint.api:
        return send(path, data) if data is not None else send(path)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}  # token only, no session cookie
    if data is None:
        return send(path, **auth)
    return send(path, json.dumps(data), content_type="application/json", **auth)


def _check_body(
    errors: list[str],
    label: str,
    body: str,
    *,
    shown: set[str],
    shows: Shows,
    revealed: frozenset[Fact],
    api: bool,
    vocabulary: str,
    world: World,
) -> None:
    for relation in RELATIONS:
        name, reference = world.household_secrets(relation)
        if relation in shown:
            wanted = reference if shows == Shows.REFERENCE else name
            if wanted not in body:
                errors.append(f"{label}: {relation} ({wanted}) missing")
        elif leaked := [s for s in (name, reference) if s in body]:
            errors.append(f"{label}: data of {relation} leaked: {leaked}")
    # A fact counts as shown when its label (code) occurs more often than in the vocabulary.
    for fact, texts in sensitive_markers(api=api).items():
        found = [t for t in texts if body.count(t) > vocabulary.count(t)]
        if bool(found) != (fact in revealed):
            errors.append(f"{label}: {fact} shown={found}, expected {fact in revealed}")


def _check_denial(
    errors: list[str], label: str, response, status: int, endpoint: Endpoint, world: World
) -> None:
    if response.status_code != status:
        errors.append(f"{label}: status {response.status_code}, expected {status}")
        return
    body = response.content.decode()
    _check_body(
        errors,
        label,
        body,
        shown=set(),
        shows=Shows.NOTHING,
        revealed=frozenset(),
        api=endpoint.api,
        vocabulary="",
        world=world,
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
    label = f"{endpoint}[{relation}]" if endpoint.rule == Rule.HOUSEHOLD else str(endpoint)
    path = endpoint.path(world, relation)
    data = endpoint.body(world, relation) if endpoint.body else None
    response = _send(clients, endpoint, path, data, token)
    body = response.content.decode()
    vocabulary = vocabularies.get(endpoint.key, "")

    audited_reads = writes = 0
    if _allowed(subject, endpoint, relation):
        if response.status_code != endpoint.ok_status:
            errors.append(f"{label}: status {response.status_code}, expected allowed")
        if endpoint.shows == Shows.VISIBLE:
            shown = _visible(subject)
        elif endpoint.shows in {Shows.ONE, Shows.REFERENCE}:
            shown = {relation}
        else:
            shown = set()
        sensitive = endpoint.rule == Rule.HOUSEHOLD and expected(
            subject, relation, Action.VIEW_SENSITIVE
        )
        revealed = endpoint.reveals if sensitive else frozenset()
        if endpoint.shows == Shows.DESCRIPTION and body != vocabulary:
            errors.append(f"{label}: differs from the schema generated without a caller")
        _check_body(
            errors,
            label,
            body,
            shown=shown,
            shows=endpoint.shows,
            revealed=revealed,
            api=endpoint.api,
            vocabulary=vocabulary,
            world=world,
        )
        audited_reads = 1 if Fact.HEALTH_NEED in revealed else 0  # one person with such a need
        writes = endpoint.writes
    else:
        status = _denial_status(subject, endpoint)
        _check_denial(errors, label, response, status, endpoint, world)

    after = _state()
    if after.reads - before.reads != audited_reads:
        errors.append(f"{label}: {after.reads - before.reads} audited reads, not {audited_reads}")
    if after.events - before.events != audited_reads + writes:
        errors.append(f"{label}: {after.events - before.events} audit events")
    if (after.data != before.data) != bool(writes):
        errors.append(f"{label}: data {'unchanged' if writes else 'changed'}")
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
        relations = RELATIONS if endpoint.rule == Rule.HOUSEHOLD else ["-"]
        for relation in relations:
            state = _run(
                subject, endpoint, relation, world, clients, token, vocabularies, state, errors
            )
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_callers_get_only_public_urls(endpoint, client):
    world = build_world(Subject("no_membership"))
    before = _state()
    path = endpoint.path(world, "in_scope")
    data = endpoint.body(world, "in_scope") if endpoint.body else None
    if endpoint.api and data is not None:
        response = getattr(client, endpoint.method)(
            path, json.dumps(data), content_type="application/json"
        )
    else:
        response = getattr(client, endpoint.method)(path, data or {})
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
    body = response.content.decode()
    assert not any(name in body for name in FAMILY_NAMES.values())
    assert _state().data == before.data


def test_the_api_with_a_session_follows_the_same_rules(client):
    """Session authentication reaches the same rows as a token (spot check, provider scope)."""
    from ankommen.core.models import Role, Scope

    subject = Subject("provider_caseworker@provider", Role.PROVIDER_CASEWORKER, Scope.PROVIDER)
    world = build_world(subject)
    client.force_login(world.user)
    listed = client.get("/api/v1/persons/").json()["results"]
    assert {p["family_name"] for p in listed} == {FAMILY_NAMES[r] for r in _visible(subject)}
    household = world.households["in_scope"]
    members = client.get(f"/api/v1/households/{household.pk}/").json()["members"]
    assert [m["family_name"] for m in members] == [FAMILY_NAMES["in_scope"]]
    assert (
        client.get(f"/api/v1/households/{world.households['other_in_county'].pk}/").status_code
        == 404
    )
