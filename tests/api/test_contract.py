"""API contract: schemathesis generates requests for every operation in ``/api/v1/schema/`` and
sends them, as several roles, straight to the WSGI application (no server).

For each caller: no 5xx, every response matches the schema (status, media type, body), invalid
input is refused, and no response holds a person or household outside what that caller may see.
The visible sets are written down from how the data is built, not asked from ``core.access``.
Write operations run too (inside the test's transaction); records they create are new ids and
may appear, but never in a household the caller may not reach.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ankommen.core.models import County, Role, Scope
from ankommen.people.models import Household, Responsibility
from ankommen.wsgi import application
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Generated requests per operation, caller and mode (valid and invalid input). Bounded so that
# the whole contract suite stays well under a minute; raise it locally to dig deeper.
EXAMPLES = int(os.environ.get("ANKOMMEN_CONTRACT_EXAMPLES", "10"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same requests on every run, so CI results are reproducible
    # No shrinking: schemathesis prints each failing request as a curl line anyway, and
    # shrinking a failure through the whole stack takes minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Caller:
    name: str
    token: str | None
    households: dict[int, set[int]] = field(default_factory=dict)  # household → its persons

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"} if self.token else {}

    @property
    def persons(self) -> set[int]:
        return {person for members in self.households.values() for person in members}


@dataclass
class ApiWorld:
    callers: dict[str, Caller]
    households: dict[int, set[int]]  # every household in every county → its persons
    family_names: list[str]

    @property
    def persons(self) -> set[int]:
        return {person for members in self.households.values() for person in members}


def _household(county: County, name: str, size: int) -> Household:
    first = PersonFactory(household__county=county, family_name=name)
    for _ in range(size - 1):
        PersonFactory(household=first.household, family_name=name)
    return first.household


def _members(household: Household) -> set[int]:
    return set(household.members.values_list("pk", flat=True))


@pytest.fixture
def api_world(db, settings) -> ApiWorld:  # type: ignore[no-untyped-def]
    # Tokens, not passwords, are used here: a fast hasher saves seconds of Argon2 per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    county = CountyFactory(slug="kreis-a")
    elsewhere = CountyFactory(slug="kreis-b")
    provider, other_provider = ProviderFactory(county=county), ProviderFactory(county=county)
    site = SiteFactory(county=county, provider=other_provider)

    by_provider = _household(county, "Haddad", 2)
    ResponsibilityFactory(household=by_provider, provider=provider, kind="casework")
    in_shelter = _household(county, "Kowalczuk", 1)
    ResponsibilityFactory(household=in_shelter, site=site, provider=other_provider)
    mentored = _household(county, "Tesfaye", 3)
    unassigned = _household(county, "Rahimi", 1)
    other_county = _household(elsewhere, "Haddad", 1)

    def staff(role: Role, scope: Scope, *, in_county: County = county, **target: Any) -> str:
        user = UserFactory()
        MembershipFactory(user=user, county=in_county, role=role, scope=scope, **target)
        if scope == Scope.CASELOAD:
            ResponsibilityFactory(
                household=mentored, caseworker=user, kind=Responsibility.Kind.MENTORING
            )
        return str(Token.objects.create(user=user).key)

    def households(*items: Household) -> dict[int, set[int]]:
        return {h.pk: _members(h) for h in items}

    in_county = households(by_provider, in_shelter, mentored, unassigned)
    callers = [
        Caller("anonymous", None),
        Caller("county_admin", staff(Role.COUNTY_ADMIN, Scope.COUNTY), in_county),
        Caller(
            "provider_caseworker",
            staff(Role.PROVIDER_CASEWORKER, Scope.PROVIDER, provider=provider),
            households(by_provider),
        ),
        Caller(
            "shelter_manager",
            staff(Role.SHELTER_MANAGER, Scope.FACILITY, site=site),
            households(in_shelter),
        ),
        Caller("volunteer", staff(Role.VOLUNTEER, Scope.CASELOAD), households(mentored)),
        Caller("planner", staff(Role.PLANNER, Scope.COUNTY)),
        Caller(
            "other_county_admin",
            staff(Role.COUNTY_ADMIN, Scope.COUNTY, in_county=elsewhere),
            households(other_county),
        ),
    ]
    return ApiWorld(
        callers={caller.name: caller for caller in callers},
        households=households(by_provider, in_shelter, mentored, unassigned, other_county),
        family_names=["Haddad", "Kowalczuk", "Tesfaye", "Rahimi"],
    )


_SCHEMA: list[Any] = []


def _load_schema(token: str) -> Any:
    # Loaded from the application's own schema endpoint (it requires a login), as a client
    # would; once per run, since it does not depend on the data.
    if not _SCHEMA:
        headers = {"Authorization": f"Token {token}"}
        _SCHEMA.append(
            schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
        )
    return _SCHEMA[0]


@pytest.fixture
def api_schema(db, api_world: ApiWorld) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    # Calls to the WSGI app end with `request_finished`, which would close the test's database
    # connection (its open transaction looks stale). Django's test client unhooks this too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _load_schema(str(api_world.callers["county_admin"].token))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CALLERS = [
    "anonymous",
    "county_admin",
    "provider_caseworker",
    "shelter_manager",
    "volunteer",
    "planner",
    "other_county_admin",
]


def _objects(body: Any) -> Iterator[dict[str, Any]]:
    if isinstance(body, dict):
        yield body
        for value in body.values():
            yield from _objects(value)
    elif isinstance(body, list):
        for item in body:
            yield from _objects(item)


def assert_within_reach(caller: Caller, response: Any, world: ApiWorld) -> None:
    """No record of the prepared data outside the caller's reach; households come whole.

    Ids that are not in the prepared data were created during the test by the caller itself;
    they may appear, but must not sit in a household the caller cannot reach."""
    if response.status_code not in (200, 201):
        return
    content_type = [
        value
        for key, values in response.headers.items()
        if key.lower() == "content-type"
        for value in (values if isinstance(values, list) else [values])
    ]
    if content_type and not any("json" in value for value in content_type):
        return  # a file (the access export as ZIP): it holds the same as the JSON answer
    for item in _objects(response.json()):
        if "household_role" in item:  # a person
            if item["id"] in world.persons:
                assert item["id"] in caller.persons, f"{caller.name} got person {item['id']}"
            if item["household"] in world.households:
                assert item["household"] in caller.households, (
                    f"{caller.name} got a person of household {item['household']}"
                )
        elif "members" in item:  # a household
            if item["id"] in world.households:
                assert item["id"] in caller.households, f"{caller.name} got household {item['id']}"
                members = {member["id"] for member in item["members"]}
                assert caller.households[item["id"]] <= members, "households come whole"
        elif isinstance(item.get("person"), int) and item["person"] in world.persons:
            # a residence status, need or consent
            assert item["person"] in caller.persons, f"{caller.name} got a fact of {item['person']}"


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_schema_lists_every_api_operation(api_schema) -> None:  # type: ignore[no-untyped-def]
    """The fuzzing below covers what the schema lists; the schema must list every route."""
    labels = {operation.label for operation in _operations(api_schema)}
    assert labels == {
        "GET /api/v1/households/",
        "POST /api/v1/households/",
        "GET /api/v1/households/{id}/",
        "GET /api/v1/persons/",
        "POST /api/v1/persons/",
        "GET /api/v1/persons/{id}/",
        "PATCH /api/v1/persons/{id}/",
        "GET /api/v1/persons/{id}/consents/",
        "POST /api/v1/persons/{id}/consents/",
        "POST /api/v1/persons/{id}/consents/{consent_id}/withdrawal/",
        "GET /api/v1/persons/{id}/residence-statuses/",
        "POST /api/v1/persons/{id}/residence-statuses/",
        "GET /api/v1/persons/{id}/vulnerabilities/",
        "POST /api/v1/persons/{id}/vulnerabilities/",
        "GET /api/v1/persons/{id}/subject-access/",
        "POST /api/v1/privacy/retention/",
        "GET /api/v1/persons/{id}/health/",
        "POST /api/v1/persons/{id}/screenings/",
        "GET /api/v1/search/",
        "POST /api/v1/allocation-imports/",
        "GET /api/v1/arrivals/",
        "POST /api/v1/households/{id}/moves/",
        "POST /api/v1/households/{id}/move-out/",
        "POST /api/v1/households/{id}/flat-readiness/",
        "DELETE /api/v1/households/{id}/flat-readiness/",
        "POST /api/v1/households/{id}/bed-assignments/",
        "GET /api/v1/shelter-stays/",
        "POST /api/v1/arrival-tasks/{id}/completion/",
        "POST /api/v1/arrivals/{id}/plan/",
        "POST /api/v1/arrivals/{id}/assessment/",
        "GET /api/v1/occupancy/facilities/",
        "GET /api/v1/occupancy/facilities/{id}/",
        "GET /api/v1/occupancy/municipalities/",
        "GET /api/v1/occupancy/municipalities/{id}/",
        "GET /api/v1/planning/{slug}/series/",
        "POST /api/v1/planning/{slug}/series/",
        "GET /api/v1/planning/{slug}/prior/",
        "GET /api/v1/planning/{slug}/aufnahmesoll/",
        "GET /api/v1/planning/{slug}/freimeldung/",
        "GET /api/v1/claims/",
        "GET /api/v1/capacity-plan/",
        "GET /api/v1/scenarios/",
        "POST /api/v1/scenarios/",
        "GET /api/v1/scenarios/{id}/",
        "PATCH /api/v1/scenarios/{id}/",
        "DELETE /api/v1/scenarios/{id}/",
        "GET /api/v1/claims/file/",
        "POST /api/v1/claims/runs/",
        "GET /api/v1/claims/runs/{id}/",
        "GET /api/v1/finance-rules/",
        "POST /api/v1/finance-rules/",
        "GET /api/v1/casework/cases/",
        "POST /api/v1/casework/cases/",
        "GET /api/v1/casework/cases/{id}/",
        "GET /api/v1/casework/cases/{id}/contacts/",
        "POST /api/v1/casework/cases/{id}/contacts/",
        "GET /api/v1/casework/cases/{id}/referrals/",
        "POST /api/v1/casework/cases/{id}/referrals/",
        "GET /api/v1/casework/cases/{id}/goals/",
        "POST /api/v1/casework/cases/{id}/goals/",
        "PATCH /api/v1/casework/referrals/{id}/",
        "PATCH /api/v1/casework/goals/{id}/",
        "GET /api/v1/casework/overdue/",
        "GET /api/v1/casework/caseload/",
    }


# Valid requests as every caller; invalid ones (wrong types, out-of-range values) as two callers,
# since refusing bad input does not depend on the role.
RUNS = [(caller, GenerationMode.POSITIVE) for caller in CALLERS] + [
    ("anonymous", GenerationMode.NEGATIVE),
    ("provider_caseworker", GenerationMode.NEGATIVE),
]


@pytest.mark.parametrize(("caller_name", "mode"), RUNS)
def test_generated_requests_keep_the_contract(
    api_schema,  # type: ignore[no-untyped-def]
    api_world: ApiWorld,
    caller_name: str,
    mode: GenerationMode,
) -> None:
    caller = api_world.callers[caller_name]
    failures = []
    for operation in _operations(api_schema):
        try:
            _fuzz(operation, caller, api_world, mode)
        except Exception as error:  # collect per operation, report all at once
            failures.append(f"{operation.label} ({mode.value}) as {caller.name}:\n{error}")
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: Any, caller: Caller, world: ApiWorld, mode: GenerationMode) -> None:
    # Write bodies hold free text that the services check further than a schema can say
    # (partial dates "1990-00-00", country names in German), so a schema-valid body may
    # rightly get a 400: "valid data accepted" is not required of writes.
    excluded = [positive_data_acceptance] if operation.method.upper() != "GET" else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @HYPOTHESIS
    def send(case: Any) -> None:
        response = case.call_and_validate(headers=caller.headers, excluded_checks=excluded)
        if caller.token is None:
            assert response.status_code in {401, 404}  # 404: the address routes nowhere
        assert_within_reach(caller, response, world)

    send()


@pytest.mark.parametrize("caller_name", CALLERS)
def test_every_record_is_reachable_exactly_by_its_callers(
    api_schema,  # type: ignore[no-untyped-def]
    api_world: ApiWorld,
    caller_name: str,
) -> None:
    """Generated ids rarely hit real records; ask for each real one, in and out of reach."""
    caller = api_world.callers[caller_name]
    persons = {p for members in api_world.households.values() for p in members}
    probes = [
        ("/api/v1/households/{id}/", api_world.households, caller.households),
        ("/api/v1/persons/{id}/", persons, caller.persons),
    ]
    for path, ids, visible in probes:
        operation = api_schema[path]["GET"]

        def status_of(pk: int, operation: Any = operation) -> int:
            response = operation.Case(path_parameters={"id": pk}).call_and_validate(
                headers=caller.headers
            )
            assert_within_reach(caller, response, api_world)
            return int(response.status_code)

        # Out of reach looks exactly like not there (404), or like "not for your role" (403)
        # for every id alike: the answer must not tell whether a record exists.
        refused = status_of(2_000_000_000)
        assert refused in ({401} if caller.token is None else {403, 404})
        for pk in ids:
            expected = 200 if pk in visible and caller.token else refused
            assert status_of(pk) == expected, f"{caller.name} {path} {pk}"

    search = api_schema["/api/v1/search/"]["GET"]
    for name in api_world.family_names:
        response = search.Case(query={"q": name}).call_and_validate(headers=caller.headers)
        assert_within_reach(caller, response, api_world)
        if caller.token is not None and not caller.persons:
            assert response.status_code in {200, 403}, "a role without persons finds none"
            assert response.status_code == 403 or response.json() == []
        elif caller.token is not None:
            found = {person["id"] for person in response.json()}
            wanted = {
                p for h, members in caller.households.items() for p in members if p in persons
            }
            named = {p for p in wanted if p in _persons_named(api_world, name)}
            assert found == named, f"{caller.name} searching {name}"


@pytest.mark.parametrize("caller_name", CALLERS)
def test_no_caller_changes_a_record_out_of_reach(
    api_schema,  # type: ignore[no-untyped-def]
    api_world: ApiWorld,
    caller_name: str,
) -> None:
    """Writes to persons outside the caller's reach are refused and change nothing."""
    from ankommen.people.models import Person, ResidenceStatus

    caller = api_world.callers[caller_name]
    rename = api_schema["/api/v1/persons/{id}/"]["PATCH"]
    status = api_schema["/api/v1/persons/{id}/residence-statuses/"]["POST"]
    for pk in sorted(api_world.persons - caller.persons):
        before = Person._base_manager.values_list("given_names", flat=True).get(pk=pk)
        statuses = ResidenceStatus.objects.filter(person_id=pk).count()
        response = rename.Case(
            path_parameters={"id": pk},
            body={"given_names": "Geändert"},
            media_type="application/json",
        ).call_and_validate(headers=caller.headers)
        assert response.status_code in {401, 403, 404}, f"{caller.name} renamed {pk}"
        response = status.Case(
            path_parameters={"id": pk},
            body={"kind": "duldung", "valid_from": "2025-01-01"},
            media_type="application/json",
        ).call_and_validate(headers=caller.headers)
        assert response.status_code in {401, 403, 404}, f"{caller.name} set a status of {pk}"
        assert Person._base_manager.values_list("given_names", flat=True).get(pk=pk) == before
        assert ResidenceStatus.objects.filter(person_id=pk).count() == statuses


def _persons_named(world: ApiWorld, family_name: str) -> set[int]:
    from ankommen.people.models import Person

    return set(Person._base_manager.filter(family_name=family_name).values_list("pk", flat=True))
