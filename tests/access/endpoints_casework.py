"""Rows of the access table for casework (Migrationssozialarbeit): pages under /beratung/ and
the API under /api/v1/casework/. Reads and writes follow the casework actions (VIEW_CASEWORK,
CHANGE_CASEWORK), which outside county scope need the household's consent to sharing with the
provider (every household of the matrix world has one). Opening a case is the county's act
(county scope); the caseload figures need VIEW_AGGREGATES with county scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from ankommen.core.access import Action

if TYPE_CHECKING:
    from tests.access.world import World


def _today() -> str:
    return timezone.localdate().isoformat()


def _in_a_week() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def _case(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.cases[r].pk])


def _api_case(suffix: str = "") -> Callable[[World, str], str]:
    return lambda w, r: f"/api/v1/casework/cases/{w.cases[r].pk}/{suffix}"


def _contact(api: bool) -> Callable[[World, str], dict[str, Any]]:
    def body(w: World, r: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "day": _today(),
            "minutes": 30,
            "place": "buero",
            "language": "ara",
            "topics": ["wohnen"],
            "note": "Termin",
            "confidential_note": "",
        }
        if api:
            data["interpreter"] = True
            return data
        return {f"contact-{key}": value for key, value in data.items()}

    return body


def _referral(w: World, r: str) -> dict[str, Any]:
    return {"service": "schuldnerberatung", "sent_on": _today(), "recipient": "", "note": ""}


def _goal(w: World, r: str) -> dict[str, Any]:
    return {"field": "arbeit", "title": "Praktikum", "status": "open"}


def _prefixed(prefix: str, body: Callable[[World, str], dict[str, Any]]) -> Any:
    """The case page's forms carry a prefix (unique field ids on one page)."""
    return lambda w, r: {f"{prefix}-{key}": value for key, value in body(w, r).items()}


def endpoints() -> tuple[Any, ...]:
    # Imported here: endpoints.py imports this module before it defines Endpoint.
    from tests.access.endpoints import Endpoint, Rule, Shows

    return (
        Endpoint(
            "casework:overview",
            Rule.ACTION,
            lambda w, r: reverse("casework:overview"),
            action=Action.VIEW_CASEWORK,
            shows=Shows.VISIBLE,
        ),
        Endpoint(
            "casework:worklist",
            Rule.ACTION,
            lambda w, r: reverse("casework:worklist"),
            action=Action.VIEW_CASEWORK,
            shows=Shows.VISIBLE,
        ),
        Endpoint(
            "casework:caseload",
            Rule.COUNTY_WIDE,
            lambda w, r: reverse("casework:caseload"),
            action=Action.VIEW_AGGREGATES,
        ),
        Endpoint(
            "casework:household",
            Rule.HOUSEHOLD,
            lambda w, r: reverse("casework:household", args=[w.households[r].pk]),
            action=Action.VIEW_CASEWORK,
            shows=Shows.REFERENCE,
        ),
        Endpoint(
            "casework:case",
            Rule.HOUSEHOLD,
            _case("casework:case"),
            action=Action.VIEW_CASEWORK,
            shows=Shows.ONE,
        ),
        # A case of the household's person, held by the subject's provider: the county's act.
        Endpoint(
            "casework:household",
            Rule.HOUSEHOLD,
            lambda w, r: reverse("casework:household", args=[w.households[r].pk]),
            action=Action.CHANGE_CASEWORK,
            county_wide=True,
            method="post",
            body=lambda w, r: {
                "provider": w.provider.pk,
                "person": w.persons[r].pk,
                "opened_on": _today(),
            },
            ok_status=302,
            writes=2,  # the provider's responsibility, the case
        ),
        Endpoint(
            "casework:contact_create",
            Rule.HOUSEHOLD,
            _case("casework:contact_create"),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_contact(api=False),
            ok_status=302,
            writes=1,
        ),
        Endpoint(
            "casework:referral_create",
            Rule.HOUSEHOLD,
            _case("casework:referral_create"),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_prefixed("referral", _referral),
            ok_status=302,
            writes=1,
        ),
        Endpoint(
            "casework:referral_update",
            Rule.HOUSEHOLD,
            lambda w, r: reverse("casework:referral_update", args=[w.casework_referrals[r].pk]),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=lambda w, r: {"status": "accepted", "follow_up_on": ""},
            ok_status=302,
            writes=1,
        ),
        Endpoint(
            "casework:goal_create",
            Rule.HOUSEHOLD,
            _case("casework:goal_create"),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_prefixed("goal", _goal),
            ok_status=302,
            writes=1,
        ),
        Endpoint(
            "casework:goal_update",
            Rule.HOUSEHOLD,
            lambda w, r: reverse("casework:goal_update", args=[w.goals[r].pk]),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=lambda w, r: {"status": "in_progress", "target_on": _in_a_week()},
            ok_status=302,
            writes=1,
        ),
        Endpoint(
            "casework:assign",
            Rule.HOUSEHOLD,
            _case("casework:assign"),
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=lambda w, r: {"assign-caseworker": w.takers[r].pk, "assign-day": _today()},
            ok_status=302,
            writes=1,
        ),
        # API
        Endpoint(
            "casework-cases",
            Rule.ACTION,
            lambda w, r: "/api/v1/casework/cases/",
            api=True,
            action=Action.VIEW_CASEWORK,
            shows=Shows.VISIBLE,
            by_reference=True,
        ),
        Endpoint(
            "casework-cases",
            Rule.COUNTY_WIDE,
            lambda w, r: "/api/v1/casework/cases/",
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=lambda w, r: {
                "household": w.households["in_scope"].pk,
                "provider": w.other_provider.pk if w.other_provider else 0,
                "opened_on": _today(),
            },
            ok_status=201,
            writes=2,
        ),
        Endpoint(
            "casework-case",
            Rule.HOUSEHOLD,
            _api_case(),
            api=True,
            action=Action.VIEW_CASEWORK,
            shows=Shows.ONE,
        ),
        Endpoint(
            "casework-contacts",
            Rule.HOUSEHOLD,
            _api_case("contacts/"),
            api=True,
            action=Action.VIEW_CASEWORK,
        ),
        Endpoint(
            "casework-contacts",
            Rule.HOUSEHOLD,
            _api_case("contacts/"),
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_contact(api=True),
            ok_status=201,
            writes=1,
        ),
        Endpoint(
            "casework-referrals",
            Rule.HOUSEHOLD,
            _api_case("referrals/"),
            api=True,
            action=Action.VIEW_CASEWORK,
        ),
        Endpoint(
            "casework-referrals",
            Rule.HOUSEHOLD,
            _api_case("referrals/"),
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_referral,
            ok_status=201,
            writes=1,
        ),
        Endpoint(
            "casework-goals",
            Rule.HOUSEHOLD,
            _api_case("goals/"),
            api=True,
            action=Action.VIEW_CASEWORK,
        ),
        Endpoint(
            "casework-goals",
            Rule.HOUSEHOLD,
            _api_case("goals/"),
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="post",
            body=_goal,
            ok_status=201,
            writes=1,
        ),
        Endpoint(
            "casework-referral",
            Rule.HOUSEHOLD,
            lambda w, r: f"/api/v1/casework/referrals/{w.casework_referrals[r].pk}/",
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="patch",
            # After the page's update (no follow-up left): a new follow-up date.
            body=lambda w, r: {"status": "accepted", "follow_up_on": _in_a_week()},
            writes=1,
        ),
        Endpoint(
            "casework-goal",
            Rule.HOUSEHOLD,
            lambda w, r: f"/api/v1/casework/goals/{w.goals[r].pk}/",
            api=True,
            action=Action.CHANGE_CASEWORK,
            method="patch",
            # After the page's update (a target date): none.
            body=lambda w, r: {"status": "achieved", "target_on": None},
            writes=1,
        ),
        Endpoint(
            "casework-overdue",
            Rule.ACTION,
            lambda w, r: "/api/v1/casework/overdue/",
            api=True,
            action=Action.VIEW_CASEWORK,
            shows=Shows.VISIBLE,
        ),
        Endpoint(
            "casework-caseload",
            Rule.COUNTY_WIDE,
            lambda w, r: "/api/v1/casework/caseload/",
            api=True,
            action=Action.VIEW_AGGREGATES,
        ),
    )
