"""Runs the access matrix through every URL of ``endpoints.ENDPOINTS``: HTML pages with a
session, the API with token authentication. A denial shows no personal data, writes no audit
event and changes nothing; an allowed household page shows sensitive data only with
VIEW_SENSITIVE and audits reads of health-related needs."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.access import Action
from ankommen.people.models import Person
from tests.access.endpoints import ENDPOINTS, Endpoint, Rule, Shows
from tests.access.matrix import RELATIONS, SUBJECTS, Subject, expected, grants
from tests.access.world import FAMILY_NAMES, SENSITIVE_TEXTS, World, build_world

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def _visible(subject: Subject) -> set[str]:
    return {rel for rel in RELATIONS if expected(subject, rel, Action.VIEW_PERSON)}


def _get(clients: dict[str, Client], endpoint: Endpoint, path: str, token: str):
    if endpoint.api:  # token only, no session cookie
        return getattr(clients["api"], endpoint.method)(path, HTTP_AUTHORIZATION=f"Token {token}")
    return getattr(clients["web"], endpoint.method)(path)


def _check_body(
    errors: list[str], label: str, body: str, shown: set[str], sensitive: bool, world: World
) -> None:
    for relation in RELATIONS:
        leaked = [s for s in world.household_secrets(relation) if s in body]
        if relation in shown and FAMILY_NAMES[relation] not in body:
            errors.append(f"{label}: {relation} ({FAMILY_NAMES[relation]}) missing")
        if relation not in shown and leaked:
            errors.append(f"{label}: data of {relation} leaked: {leaked}")
    for text in SENSITIVE_TEXTS:
        if (text in body) != sensitive:
            errors.append(
                f"{label}: sensitive text {text!r} shown={text in body}, expected {sensitive}"
            )


def _check_denial(
    errors: list[str], label: str, response, status: int, endpoint: Endpoint, world: World
) -> None:
    if response.status_code != status:
        errors.append(f"{label}: status {response.status_code}, expected {status}")
        return
    body = response.content.decode()
    _check_body(errors, label, body, set(), False, world)
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
    errors: list[str],
) -> None:
    label = f"{endpoint.name}[{relation}]" if endpoint.rule == Rule.HOUSEHOLD else endpoint.name
    path = endpoint.path(world, relation)
    events_before = AuditEvent.objects.count()
    reads_before = AuditEvent.objects.filter(action=AuditEvent.Action.READ).count()
    names_before = sorted(Person._base_manager.values_list("family_name", flat=True))
    response = _get(clients, endpoint, path, token)
    body = response.content.decode()

    audited_reads = 0
    if endpoint.rule == Rule.AUTHENTICATED:
        if response.status_code != endpoint.ok_status:
            errors.append(f"{label}: status {response.status_code}")
        _check_body(errors, label, body, set(), False, world)
    elif endpoint.rule == Rule.ACTION:
        assert endpoint.action is not None
        if grants(subject, endpoint.action):
            if response.status_code != endpoint.ok_status:
                errors.append(f"{label}: status {response.status_code}, expected allowed")
            shown = _visible(subject) if endpoint.shows == Shows.VISIBLE else set()
            _check_body(errors, label, body, shown, False, world)
        else:
            _check_denial(errors, label, response, 403, endpoint, world)
    else:  # one household
        assert endpoint.action is not None
        if expected(subject, relation, endpoint.action):
            if response.status_code != endpoint.ok_status:
                errors.append(f"{label}: status {response.status_code}, expected allowed")
            sensitive = not endpoint.api and expected(subject, relation, Action.VIEW_SENSITIVE)
            _check_body(errors, label, body, {relation}, sensitive, world)
            audited_reads = 1 if sensitive else 0  # one person with a health-related need
        else:
            status = 404 if grants(subject, endpoint.action) else 403
            _check_denial(errors, label, response, status, endpoint, world)

    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ).count() - reads_before
    if reads != audited_reads:
        errors.append(f"{label}: {reads} audited reads, expected {audited_reads}")
    if AuditEvent.objects.count() - events_before != audited_reads:
        errors.append(f"{label}: unexpected audit events")
    if sorted(Person._base_manager.values_list("family_name", flat=True)) != names_before:
        errors.append(f"{label}: persons changed")


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_every_url_follows_the_matrix(subject):
    world = build_world(subject)
    clients = {"web": Client(), "api": Client()}
    clients["web"].force_login(world.user)
    token = Token.objects.create(user=world.user).key
    errors: list[str] = []
    for endpoint in ENDPOINTS:
        if endpoint.rule == Rule.PUBLIC:
            continue
        relations = RELATIONS if endpoint.rule == Rule.HOUSEHOLD else ["-"]
        for relation in relations:
            _run(subject, endpoint, relation, world, clients, token, errors)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_callers_get_only_public_urls(endpoint, client):
    world = build_world(Subject("no_membership"))
    response = getattr(client, endpoint.method)(endpoint.path(world, "in_scope"))
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
