"""Every URL of the project with the access rule it follows (a table the HTTP matrix runs and
the completeness test compares with the URL resolver). A URL whose methods follow different
rules (reading and recording a person's facts) has one row per method.

Rules:
  PUBLIC         reachable without login (login page, logout, language switch)
  AUTHENTICATED  any signed-in user; shows no personal data (of persons: never)
  ACTION         needs ``action`` somewhere (403 otherwise); lists only what the scope reaches
  HOUSEHOLD      one household or person: 403 without ``action`` (and ``also``) anywhere, 404
                 out of reach

Rows that write (``method`` other than GET) send a valid ``body``: allowed, they answer
``ok_status`` and record ``writes`` audit events; denied, they change nothing and record nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from ankommen.core.access import Action
from ankommen.people.models import Consent, ResidenceStatus, Vulnerability
from ankommen.web.forms_people import (
    ConsentForm,
    PersonForm,
    ResidenceStatusForm,
    VulnerabilityForm,
)
from tests.access.world import SHARED_GIVEN_NAME, Fact, World


class Rule(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    ACTION = "action"
    HOUSEHOLD = "household"


class Shows(StrEnum):
    NOTHING = "nothing"  # no person's data at all
    VISIBLE = "visible"  # exactly the persons the caller may see
    ONE = "one"  # the one household asked for: its person's name
    REFERENCE = "reference"  # the one household asked for: only its reference (number)
    DESCRIPTION = "description"  # describes the data (the API schema): the same for everyone


Body = Callable[[World, str], dict[str, Any]]
ALL_FACTS = frozenset(Fact)


@dataclass(frozen=True)
class Endpoint:
    name: str  # as the resolver names it ("namespace:name")
    rule: Rule
    path: Callable[[World, str], str]  # (world, relation) → path; relation only for HOUSEHOLD
    api: bool = False
    action: Action | None = None
    also: Action | None = None  # a county-wide action needed as well (adding a person)
    shows: Shows = Shows.NOTHING
    # Sensitive facts an allowed response shows, if the caller may see sensitive data of the
    # household (showing a health-related need is an audited read).
    reveals: frozenset[Fact] = frozenset()
    # Text that names statuses and categories as vocabulary, not as anyone's facts: the blank
    # form of a page (choices, help texts), the schema. A fact counts as shown only where the
    # response names it more often than its vocabulary does.
    vocabulary: Callable[[], str] | None = None
    method: str = "get"
    body: Body | None = None
    ok_status: int = 200
    writes: int = 0  # audit events an allowed request records

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.method)

    def __str__(self) -> str:
        return self.name if self.method == "get" else f"{self.name}:{self.method}"


def _household(world: World, relation: str) -> str:
    return reverse("web:household", args=[world.households[relation].pk])


def _person_page(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.persons[r].pk])


def _api_person(suffix: str = "") -> Callable[[World, str], str]:
    return lambda w, r: f"/api/v1/persons/{w.persons[r].pk}/{suffix}"


def _consent_withdraw(world: World, relation: str) -> str:
    consent = world.consents[relation]["web"]
    return reverse("web:consent_withdraw", args=[world.persons[relation].pk, consent.pk])


def _consent_withdrawal(world: World, relation: str) -> str:
    consent = world.consents[relation]["api"]
    return f"/api/v1/persons/{world.persons[relation].pk}/consents/{consent.pk}/withdrawal/"


def _days_ago(days: int, *, api: bool) -> str:
    day: date = timezone.localdate() - timedelta(days=days)
    return day.isoformat() if api else day.strftime("%d.%m.%Y")


def _new_person(given_names: str, birth_date: str) -> dict[str, Any]:
    return {
        "family_name": "Neuzugang",
        "given_names": given_names,
        "birth_date": birth_date,
        "sex": "w",
        "household_role": "other",
    }


def _person_form(world: World, relation: str) -> dict[str, Any]:
    """The edit form as the page fills it, with one change."""
    data = PersonForm.initial_for(world.persons[relation])
    data["given_names"] = f"{SHARED_GIVEN_NAME} Web"
    return {
        field: value.strftime("%d.%m.%Y") if isinstance(value, date) else value or ""
        for field, value in data.items()
    }


def _blank(form: type) -> Callable[[], str]:
    return lambda: str(form().as_div())


@cache
def _schema_without_caller() -> str:
    """The OpenAPI schema generated without any request: what every caller must get."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


# The status recorded by a page or the API ends the one in force: two audit events.
STATUS_WRITES = 2

ENDPOINTS: tuple[Endpoint, ...] = (
    # HTML
    Endpoint("web:login", Rule.PUBLIC, lambda w, r: reverse("web:login")),
    Endpoint(
        "web:logout", Rule.PUBLIC, lambda w, r: reverse("web:logout"), method="post", ok_status=302
    ),
    Endpoint(
        "set_language",
        Rule.PUBLIC,
        lambda w, r: reverse("set_language"),
        method="post",
        ok_status=302,
    ),
    Endpoint("web:home", Rule.AUTHENTICATED, lambda w, r: reverse("web:home")),
    Endpoint(
        "web:field", Rule.AUTHENTICATED, lambda w, r: reverse("web:field", args=["unterbringung"])
    ),
    Endpoint("web:otp", Rule.AUTHENTICATED, lambda w, r: reverse("web:otp")),
    # The QR code of the caller's own device being set up (visiting web:otp has started one).
    Endpoint("web:otp_qr", Rule.AUTHENTICATED, lambda w, r: reverse("web:otp_qr")),
    Endpoint(
        "web:search",
        Rule.ACTION,
        lambda w, r: f"{reverse('web:search')}?q={SHARED_GIVEN_NAME}",
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
    Endpoint("web:audit", Rule.ACTION, lambda w, r: reverse("web:audit"), action=Action.VIEW_AUDIT),
    Endpoint(
        "web:household",
        Rule.HOUSEHOLD,
        _household,
        action=Action.VIEW_PERSON,
        shows=Shows.ONE,
        reveals=frozenset({Fact.STATUS, Fact.NEED, Fact.HEALTH_NEED}),
    ),
    Endpoint(
        "web:person",
        Rule.HOUSEHOLD,
        _person_page("web:person"),
        action=Action.VIEW_PERSON,
        shows=Shows.ONE,
        reveals=ALL_FACTS,
    ),
    Endpoint(
        "web:household_create",
        Rule.ACTION,
        lambda w, r: reverse("web:household_create"),
        action=Action.CREATE_PERSON,
    ),
    Endpoint(
        "web:household_create",
        Rule.ACTION,
        lambda w, r: reverse("web:household_create"),
        action=Action.CREATE_PERSON,
        method="post",
        body=lambda w, r: {"reference": f"NEU-WEB-{w.user.pk}"},
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "web:person_create",
        Rule.HOUSEHOLD,
        lambda w, r: reverse("web:person_create", args=[w.households[r].pk]),
        action=Action.CHANGE_PERSON,
        also=Action.CREATE_PERSON,
        shows=Shows.REFERENCE,
    ),
    Endpoint(
        "web:person_create",
        Rule.HOUSEHOLD,
        lambda w, r: reverse("web:person_create", args=[w.households[r].pk]),
        action=Action.CHANGE_PERSON,
        also=Action.CREATE_PERSON,
        method="post",
        body=lambda w, r: _new_person("Web", "00.00.1990"),
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "web:person_edit",
        Rule.HOUSEHOLD,
        _person_page("web:person_edit"),
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
    ),
    Endpoint(
        "web:person_edit",
        Rule.HOUSEHOLD,
        _person_page("web:person_edit"),
        action=Action.CHANGE_PERSON,
        method="post",
        body=_person_form,
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "web:residence_status_create",
        Rule.HOUSEHOLD,
        _person_page("web:residence_status_create"),
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
        vocabulary=_blank(ResidenceStatusForm),
    ),
    Endpoint(
        "web:residence_status_create",
        Rule.HOUSEHOLD,
        _person_page("web:residence_status_create"),
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {
            "kind": ResidenceStatus.Kind.GESTATTUNG,
            "valid_from": _days_ago(20, api=False),
        },
        ok_status=302,
        writes=STATUS_WRITES,
    ),
    Endpoint(
        "web:vulnerability_create",
        Rule.HOUSEHOLD,
        _person_page("web:vulnerability_create"),
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
        vocabulary=_blank(VulnerabilityForm),
    ),
    Endpoint(
        "web:vulnerability_create",
        Rule.HOUSEHOLD,
        _person_page("web:vulnerability_create"),
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {
            "category": Vulnerability.Category.DISABILITY,
            "noted_on": _days_ago(0, api=False),
        },
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "web:consent_create",
        Rule.HOUSEHOLD,
        _person_page("web:consent_create"),
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
        vocabulary=_blank(ConsentForm),
    ),
    Endpoint(
        "web:consent_create",
        Rule.HOUSEHOLD,
        _person_page("web:consent_create"),
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {"purpose": Consent.Purpose.PHOTO, "given_on": _days_ago(0, api=False)},
        ok_status=302,
        writes=1,
    ),
    # The page names the purpose of the consent to withdraw.
    Endpoint(
        "web:consent_withdraw",
        Rule.HOUSEHOLD,
        _consent_withdraw,
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
        reveals=frozenset({Fact.CONSENT}),
    ),
    Endpoint(
        "web:consent_withdraw",
        Rule.HOUSEHOLD,
        _consent_withdraw,
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {"withdrawn_on": _days_ago(0, api=False)},
        ok_status=302,
        writes=1,
    ),
    # API
    Endpoint("api-root", Rule.AUTHENTICATED, lambda w, r: "/api/v1/", api=True),
    Endpoint(
        "api-schema",
        Rule.AUTHENTICATED,
        lambda w, r: "/api/v1/schema/",
        api=True,
        shows=Shows.DESCRIPTION,
        vocabulary=_schema_without_caller,
    ),
    Endpoint(
        "person-list",
        Rule.ACTION,
        lambda w, r: "/api/v1/persons/",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
    # Into the subject's own household: every role that may add persons may change it.
    Endpoint(
        "person-list",
        Rule.ACTION,
        lambda w, r: "/api/v1/persons/",
        api=True,
        action=Action.CREATE_PERSON,
        method="post",
        body=lambda w, r: {
            **_new_person("Api", "1990-00-00"),
            "household": w.households["in_scope"].pk,
        },
        ok_status=201,
        writes=1,
    ),
    Endpoint(
        "person-detail",
        Rule.HOUSEHOLD,
        _api_person(),
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.ONE,
    ),
    Endpoint(
        "person-detail",
        Rule.HOUSEHOLD,
        _api_person(),
        api=True,
        action=Action.CHANGE_PERSON,
        shows=Shows.ONE,
        method="patch",
        body=lambda w, r: {"given_names": f"{SHARED_GIVEN_NAME} Api"},
        writes=1,
    ),
    Endpoint(
        "person-residence-statuses",
        Rule.HOUSEHOLD,
        _api_person("residence-statuses/"),
        api=True,
        action=Action.VIEW_SENSITIVE,
        reveals=frozenset({Fact.STATUS}),
    ),
    Endpoint(
        "person-residence-statuses",
        Rule.HOUSEHOLD,
        _api_person("residence-statuses/"),
        api=True,
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {
            "kind": ResidenceStatus.Kind.FIKTION,
            "valid_from": _days_ago(10, api=True),
        },
        ok_status=201,
        writes=STATUS_WRITES,
    ),
    Endpoint(
        "person-vulnerabilities",
        Rule.HOUSEHOLD,
        _api_person("vulnerabilities/"),
        api=True,
        action=Action.VIEW_SENSITIVE,
        reveals=frozenset({Fact.NEED, Fact.HEALTH_NEED}),
    ),
    Endpoint(
        "person-vulnerabilities",
        Rule.HOUSEHOLD,
        _api_person("vulnerabilities/"),
        api=True,
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {
            "category": Vulnerability.Category.TRAFFICKING,
            "noted_on": _days_ago(0, api=True),
        },
        ok_status=201,
        writes=1,
    ),
    Endpoint(
        "person-consents",
        Rule.HOUSEHOLD,
        _api_person("consents/"),
        api=True,
        action=Action.VIEW_SENSITIVE,
        reveals=frozenset({Fact.CONSENT}),
    ),
    Endpoint(
        "person-consents",
        Rule.HOUSEHOLD,
        _api_person("consents/"),
        api=True,
        action=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {
            "purpose": Consent.Purpose.JOB_PLACEMENT,
            "given_on": _days_ago(0, api=True),
        },
        ok_status=201,
        writes=1,
    ),
    # The answer is the withdrawn consent.
    Endpoint(
        "person-consent-withdrawal",
        Rule.HOUSEHOLD,
        _consent_withdrawal,
        api=True,
        action=Action.CHANGE_PERSON,
        reveals=frozenset({Fact.CONSENT}),
        method="post",
        body=lambda w, r: {"withdrawn_on": _days_ago(0, api=True)},
        writes=1,
    ),
    Endpoint(
        "household-list",
        Rule.ACTION,
        lambda w, r: "/api/v1/households/",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
    Endpoint(
        "household-list",
        Rule.ACTION,
        lambda w, r: "/api/v1/households/",
        api=True,
        action=Action.CREATE_PERSON,
        method="post",
        body=lambda w, r: {"reference": f"NEU-API-{w.user.pk}"},
        ok_status=201,
        writes=1,
    ),
    Endpoint(
        "household-detail",
        Rule.HOUSEHOLD,
        lambda w, r: f"/api/v1/households/{w.households[r].pk}/",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.ONE,
    ),
    Endpoint(
        "search-list",
        Rule.ACTION,
        lambda w, r: f"/api/v1/search/?q={SHARED_GIVEN_NAME}",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
)

ENDPOINTS_BY_KEY = {endpoint.key: endpoint for endpoint in ENDPOINTS}
URL_NAMES = frozenset(endpoint.name for endpoint in ENDPOINTS)
