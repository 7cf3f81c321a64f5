"""Regressions found by the API contract tests (tests/api/test_contract.py)."""

import pytest
import yaml
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ankommen.core.models import Role, Scope
from tests.factories import MembershipFactory, PersonFactory, ProviderFactory, ResponsibilityFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_households_listed_with_a_token_include_their_members():
    # The county scope used to be opened before DRF authenticated the token, so it was empty
    # and the members (read through the scoped manager) were missing.
    admin = MembershipFactory()
    person = PersonFactory(household__county=admin.county)
    body = token_client(admin.user).get("/api/v1/households/").json()
    assert [m["id"] for m in body["results"][0]["members"]] == [person.pk]


def test_token_scope_is_still_limited_to_the_users_households():
    provider = ProviderFactory()
    membership = MembershipFactory(
        county=provider.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=provider,
    )
    own = PersonFactory(household__county=membership.county)
    PersonFactory(household__county=membership.county)  # nobody's: not visible
    ResponsibilityFactory(household=own.household, provider=membership.provider)
    body = token_client(membership.user).get("/api/v1/households/").json()
    assert [h["id"] for h in body["results"]] == [own.household_id]
    assert [m["id"] for m in body["results"][0]["members"]] == [own.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=1.5", "limit"),
        ("offset=-1", "offset"),
        ("offset=true", "offset"),
    ],
)
def test_bad_paging_values_are_rejected_naming_the_parameter(query, field):
    admin = MembershipFactory()
    response = token_client(admin.user).get(f"/api/v1/persons/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert "ganze Zahl" in response.json()["errors"][0]["message"]


def test_paging_within_bounds_works():
    admin = MembershipFactory()
    for _ in range(3):
        PersonFactory(household__county=admin.county)
    body = token_client(admin.user).get("/api/v1/persons/?limit=2&offset=1").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2


def test_schema_documents_problem_responses_and_paging_bounds(client):
    client.force_login(MembershipFactory().user)  # the schema is for logged-in users
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            documented = set(operation["responses"])
            assert {"401", "403"} <= documented, path
            assert any(code.startswith("2") for code in documented), path
            if "{" in path:  # a record named in the path can be missing or out of reach
                assert "404" in documented, path
    limit = next(
        p for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_an_unknown_api_address_gets_a_problem_response(client):
    response = client.get("/api/v1/households/1.5e-3/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_an_unknown_page_gets_the_german_html_page(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Nicht gefunden" in response.content.decode()


@pytest.mark.parametrize(("q", "reason"), [("   ", "Bitte einen Namen"), ("a" * 201, "zu lang")])
def test_search_refuses_blank_and_overlong_names(q, reason):
    admin = MembershipFactory()
    response = token_client(admin.user).get("/api/v1/search/", {"q": q})
    assert response.status_code == 400
    assert reason in response.json()["errors"][0]["message"]


def test_schema_declares_what_search_accepts(client):
    client.force_login(MembershipFactory().user)
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    (q,) = schema["paths"]["/api/v1/search/"]["get"]["parameters"]
    assert q["schema"] == {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"}


def test_api_search_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    # Languages were read once per person found (the load bench showed 60 statements).
    admin = MembershipFactory()
    for _ in range(12):
        PersonFactory(household__county=admin.county, family_name="Haddad")
    client = token_client(admin.user)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/search/", {"q": "Haddad"}).json()
    assert len(body) == 12


def test_allocation_import_errors_are_documented_as_problem_details(client):
    client.force_login(MembershipFactory().user)
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    bad = schema["paths"]["/api/v1/allocation-imports/"]["post"]["responses"]["400"]
    assert list(bad["content"]) == ["application/problem+json"]


def test_occupancy_bounds_are_declared_and_an_empty_day_refused(client):
    client.force_login(MembershipFactory().user)
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/occupancy/facilities/{id}/"]["get"]
    weeks = next(p for p in operation["parameters"] if p["name"] == "weeks")
    assert weeks["schema"] == {"type": "integer", "minimum": 1, "maximum": 104}
    response = client.get("/api/v1/occupancy/facilities/", {"day": ""})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "day"
