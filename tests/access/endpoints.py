"""Every URL of the project with the access rule it follows (a table the HTTP matrix runs and
the completeness test compares with the URL resolver).

Rules:
  PUBLIC         reachable without login (login page, logout, language switch)
  AUTHENTICATED  any signed-in user; shows no personal data (of persons: never)
  ACTION         needs ``action`` somewhere (403 otherwise); lists only what the scope reaches
  HOUSEHOLD      one household or person: 403 without ``action`` anywhere, 404 out of reach
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.urls import reverse

from ankommen.core.access import Action
from tests.access.world import SHARED_GIVEN_NAME, World


class Rule(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    ACTION = "action"
    HOUSEHOLD = "household"


class Shows(StrEnum):
    NOTHING = "nothing"  # no person's data at all
    VISIBLE = "visible"  # exactly the persons the caller may see
    ONE = "one"  # the one household asked for


@dataclass(frozen=True)
class Endpoint:
    name: str  # as the resolver names it ("namespace:name")
    rule: Rule
    path: Callable[[World, str], str]  # (world, relation) → path; relation only for HOUSEHOLD
    api: bool = False
    action: Action | None = None
    shows: Shows = Shows.NOTHING
    method: str = "get"
    ok_status: int = 200

    def __str__(self) -> str:
        return self.name


def _household(world: World, relation: str) -> str:
    return reverse("web:household", args=[world.households[relation].pk])


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
        "web:household", Rule.HOUSEHOLD, _household, action=Action.VIEW_PERSON, shows=Shows.ONE
    ),
    # API
    Endpoint("api-root", Rule.AUTHENTICATED, lambda w, r: "/api/v1/", api=True),
    Endpoint("api-schema", Rule.AUTHENTICATED, lambda w, r: "/api/v1/schema/", api=True),
    Endpoint(
        "person-list",
        Rule.ACTION,
        lambda w, r: "/api/v1/persons/",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
    Endpoint(
        "person-detail",
        Rule.HOUSEHOLD,
        lambda w, r: f"/api/v1/persons/{w.persons[r].pk}/",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.ONE,
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

ENDPOINTS_BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}
