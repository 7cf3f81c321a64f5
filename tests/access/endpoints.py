"""Every URL of the project with the access rule it follows (a table the HTTP matrix runs and
the completeness test compares with the URL resolver). A URL whose methods follow different
rules (reading and recording a person's facts) has one row per method.

Rules:
  PUBLIC         reachable without login (login page, logout, language switch)
  AUTHENTICATED  any signed-in user; shows no personal data (of persons: never)
  ACTION         needs ``action`` somewhere (403 otherwise); lists only what the scope reaches
  HOUSEHOLD      one household or person: 403 without ``action`` (and ``also``) anywhere, 404
                 out of reach; ``alternative`` may stand in for ``action``; ``county_wide``
                 rows also need county scope (403 for a household reached otherwise)
  SITES          needs ``action`` on some facility (403 otherwise): lists the facilities reached
  SITE           one facility: 403 without ``action`` anywhere, 404 out of reach
  COUNTY_WIDE    needs ``action`` with county scope (403 otherwise); ``per_county`` rows are
                 about one record (a municipality, a placement run): 404 in another county
  OWN_UPLOAD     the caller's own allocation-list upload: 403 without ``action`` anywhere, 404
                 for anyone else's or another county's

Rows that write (``method`` other than GET) send a valid ``body``: allowed, they answer
``ok_status`` and record ``writes`` audit events (``None``: at least one, the number depends on
the household's beds); denied, they change nothing and record nothing. Writes of the housing,
arrival and allocation-list pages run for ``WRITE_SUBJECTS`` only (every role once, at the scope
that tells most), to keep the matrix affordable; every subject reads every page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from ankommen.algorithms.allocation_lists import NEED_CODES
from ankommen.core.access import Action
from ankommen.housing.models import Bed, Feature, Move, Occupancy
from ankommen.people.models import Consent, ResidenceStatus, Vulnerability
from ankommen.web.forms_allocations import CATEGORY_CHOICES
from ankommen.web.forms_people import (
    ConsentForm,
    PersonForm,
    ResidenceStatusForm,
    VulnerabilityForm,
)
from tests.access.matrix import OTHER_COUNTY, OWN_COUNTY, RELATIONS, SITE_RELATIONS
from tests.access.world import (
    PLACED,
    RESIDENTS,
    SHARED_GIVEN_NAME,
    UNPLACED,
    UPLOAD_RELATIONS,
    Fact,
    World,
    allocation_csv,
)


class Rule(StrEnum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    ACTION = "action"
    HOUSEHOLD = "household"
    SITES = "sites"
    SITE = "site"
    COUNTY_WIDE = "county_wide"
    OWN_UPLOAD = "own_upload"


class Shows(StrEnum):
    NOTHING = "nothing"  # no person's data at all
    VISIBLE = "visible"  # exactly the households (of ``among``) the caller reaches with the action
    ONE = "one"  # the one household asked for: its person's name
    REFERENCE = "reference"  # the one household asked for: only its reference (number)
    DESCRIPTION = "description"  # describes the data (the API schema): the same for everyone
    RESIDENTS = "residents"  # the facility's resident, by name, if the caller may see them
    SITES = "sites"  # the names of exactly the facilities the caller reaches with the action
    PLACEMENT = "placement"  # the run's households: PLACED by name, UNPLACED by reference
    UNPLACED = "unplaced"  # the household left without a room, by reference


Body = Callable[[World, str], Any]  # form or JSON data, or a file's bytes (``content_type``)
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
    content_type: str | None = None  # API bodies sent as they are (a file), not as JSON
    ok_status: int = 200
    writes: int | None = 0  # audit events an allowed request records (None: at least one)
    changes: bool | None = None  # whether an allowed request changes data (default: writes)
    among: frozenset[str] = frozenset(RELATIONS)  # Shows.VISIBLE: households it may list
    by_reference: bool = False  # Shows.VISIBLE: by reference (number), not by name
    alternative: Action | None = None  # HOUSEHOLD: this action also allows the row
    county_wide: bool = False  # HOUSEHOLD: needs ``action`` with county scope as well
    per_county: bool = False  # COUNTY_WIDE: about one record, in the own or another county
    # An allowed request records a read of a health-related need (when the caller may see
    # sensitive data) even though the page shows the needs as ticked boxes, not as text.
    audited: bool = False
    subjects: frozenset[str] | None = None  # run for these subjects only (None: all)

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.method)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for a in (self.action, self.alternative) if a is not None)

    @property
    def relations(self) -> Sequence[str]:
        """The objects the row is tried on (one request each)."""
        if self.rule == Rule.HOUSEHOLD:
            return RELATIONS
        if self.rule == Rule.SITE:
            return SITE_RELATIONS
        if self.rule == Rule.OWN_UPLOAD:
            return UPLOAD_RELATIONS
        if self.rule == Rule.COUNTY_WIDE and self.per_county:
            return (OWN_COUNTY, OTHER_COUNTY)
        return ("-",)

    @property
    def changes_data(self) -> bool:
        return self.changes if self.changes is not None else self.writes != 0

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
# An imported list of one person: the person and the import are recorded.
IMPORT_WRITES = 2

# Every role once, at the scope that tells most about the housing and arrival writes: county
# staff grant everything (the caseworker with provider scope only the provider's facilities and
# households, nothing county-wide), the shelter manager their facility (404 elsewhere), the
# provider caseworker flat readiness; the others are refused (403), as is an ended membership.
WRITE_SUBJECTS = frozenset(
    {
        "county_admin@county",
        "county_caseworker@provider",
        "shelter_manager@facility",
        "provider_caseworker@provider",
        "health_staff@county",
        "education_coordinator@county",
        "job_coach@caseload",
        "volunteer_coordinator@county",
        "volunteer@caseload",
        "planner@county",
        "auditor@county",
        "ended_membership",
    }
)


def _iso_today() -> str:
    return timezone.localdate().isoformat()


def _facility(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.sites[r].pk])


def _housing_household(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.households[r].pk])


def _arrival(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.arrivals[r].pk])


def _upload(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.uploads[r].pk])


def _run(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.runs[r].pk])


def _run_household(world: World, relation: str, which: str) -> str:
    """The key of the run's household: ``which`` in the own county; the other county's run
    holds only its one household."""
    person = world.persons[which if relation == OWN_COUNTY else OTHER_COUNTY]
    return f"H{person.household_id}"


def _placement_change(world: World, relation: str) -> str:
    key = _run_household(world, relation, UNPLACED)
    return reverse("housing:placement_change", args=[world.runs[relation].pk, key])


def _move(world: World, relation: str) -> dict[str, Any]:
    """Into the household's free room: a move when it has a bed, else its move-in."""
    household = world.households[relation]
    housed = (
        Occupancy.objects.filter(household=household)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=timezone.localdate()))
        .exists()
    )
    return {
        "rooms": [world.move_rooms[relation].pk],
        "day": _iso_today(),
        "reason": Move.Reason.FAMILY if housed else Move.Reason.ALLOCATION,
        "note": "",
    }


def _api_move(world: World, relation: str) -> dict[str, Any]:
    """After the page's move: on into the household's other free room."""
    return {**_move(world, relation), "rooms": [world.api_move_rooms[relation].pk]}


def _api_bed(world: World, relation: str) -> dict[str, Any]:
    """One member back into a bed of the room the page's move used (free again)."""
    bed = Bed.objects.filter(room=world.move_rooms[relation]).order_by("label").first()
    assert bed is not None
    return {"person": world.persons[relation].pk, "bed": bed.pk, "valid_from": _iso_today()}


def _api_household(tail: str) -> Callable[[World, str], str]:
    return lambda w, r: f"/api/v1/households/{w.households[r].pk}/{tail}/"


def _assessment(world: World, relation: str) -> dict[str, Any]:
    """The needs in force, and one more."""
    person = world.persons[relation]
    current = Vulnerability.objects.active_on(timezone.localdate()).filter(person=person)
    categories = [*current.values_list("category", flat=True), Vulnerability.Category.ELDERLY]
    return {f"kategorie-{person.pk}": categories}


def _api_assessment(world: World, relation: str) -> dict[str, Any]:
    """After the page's assessment: the needs in force without the one it added."""
    person = world.persons[relation]
    current = Vulnerability.objects.active_on(timezone.localdate()).filter(person=person)
    kept = [c for c in current.values_list("category", flat=True) if c != "elderly"]
    return {"categories": {str(person.pk): kept}}


def _category_labels() -> str:
    """The arrival page offers every category once per person, as boxes to tick."""
    return " ".join(str(label) for _value, label in CATEGORY_CHOICES)


def _allocation_file(world: World, relation: str) -> dict[str, Any]:
    content = allocation_csv(f"Z-WEB-{world.user.pk}", "Neuliste", arrival=timezone.localdate())
    return {"file": SimpleUploadedFile("liste.csv", content), "county": world.county.pk}


def _allocation_body(world: World, relation: str) -> bytes:
    return allocation_csv(f"Z-API-{world.user.pk}", "Apiliste", arrival=timezone.localdate())


def _planning(name: str, suffix: str = "") -> Callable[[World, str], str]:
    """A planning page of the subject's county (own) or of the other county."""
    return lambda w, r: reverse(name, args=[w.county_of(r).slug]) + suffix


def _planning_api(tail: str) -> Callable[[World, str], str]:
    return lambda w, r: f"/api/v1/planning/{w.county_of(r).slug}/{tail}"


SERIES_CSV = b"month,value\n2020-01,10\n2020-02,12\n"


def _series_form(world: World, relation: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("reihe.csv", SERIES_CSV), "name": f"Reihe {world.user.pk}"}


def _finance(name: str, query: str = "", args: tuple[str, ...] = ()) -> Callable[[World, str], str]:
    return lambda w, r: f"{reverse(name, args=args)}?kreis={w.county.slug}{query}"


def _rule_body(world: World, relation: str, *, year: int = 2032) -> dict[str, Any]:
    """A new one-off amount from a day no published rule (nor the page's) starts on."""
    return {
        "kind": "one_off",
        "housing": "",
        "valid_from": f"{year}-01-01",
        "amount": "2600.00",
        "paragraph": "§ 14 Abs. 1 LAufnG",
        "source": "Testfundstelle",
        "note": "",
    }


def _rule_form(world: World, relation: str) -> dict[str, Any]:
    body = _rule_body(world, relation, year=2031)
    return {f"rule-{key}": value for key, value in body.items()}


def _payment_form(world: World, relation: str) -> dict[str, Any]:
    return {
        "payment-received_on": _iso_today(),
        "payment-year": "2025",
        "payment-quarter": "1",
        "payment-amount": "1000.00",
        "payment-reference": "Test",
    }


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
    # The access export (GDPR Art. 15): county administrators with county scope only; the
    # download is audited (and shows health-related needs: an audited read).
    Endpoint(
        "web:subject_export",
        Rule.HOUSEHOLD,
        _person_page("web:subject_export"),
        action=Action.EXPORT_SUBJECT_DATA,
        county_wide=True,
        shows=Shows.ONE,
    ),
    Endpoint(
        "web:subject_export",
        Rule.HOUSEHOLD,
        _person_page("web:subject_export"),
        action=Action.EXPORT_SUBJECT_DATA,
        county_wide=True,
        shows=Shows.ONE,
        reveals=ALL_FACTS,
        method="post",
        body=lambda w, r: {"format": "json"},
        writes=1,
        changes=False,
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
        "api-subject-access",
        Rule.HOUSEHOLD,
        _api_person("subject-access/"),
        api=True,
        action=Action.EXPORT_SUBJECT_DATA,
        county_wide=True,
        shows=Shows.ONE,
        reveals=ALL_FACTS,
        writes=1,
        changes=False,
    ),
    # The retention run (GDPR Art. 17) of the own county: nothing in the world is past its
    # period, so the run records only itself.
    Endpoint(
        "api-retention",
        Rule.COUNTY_WIDE,
        lambda w, r: "/api/v1/privacy/retention/",
        api=True,
        action=Action.RUN_RETENTION,
        per_county=True,
        method="post",
        body=lambda w, r: {"county": (w.county if r == OWN_COUNTY else w.other_county).slug},
        writes=1,
        changes=False,
    ),
    Endpoint(
        "search-list",
        Rule.ACTION,
        lambda w, r: f"/api/v1/search/?q={SHARED_GIVEN_NAME}",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
    ),
    # Housing (Unterbringung): figures without names for all who may see figures, rooms and
    # residents for those who may see persons there.
    Endpoint(
        "housing:overview",
        Rule.SITES,
        lambda w, r: reverse("housing:overview"),
        action=Action.VIEW_AGGREGATES,
        shows=Shows.SITES,
    ),
    Endpoint(
        "housing:municipality",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("housing:municipality", args=[w.municipalities[r].pk]),
        action=Action.VIEW_AGGREGATES,
        per_county=True,
    ),
    Endpoint(
        "housing:facility",
        Rule.SITE,
        _facility("housing:facility"),
        action=Action.VIEW_AGGREGATES,
        shows=Shows.RESIDENTS,
    ),
    Endpoint(
        "housing:household",
        Rule.HOUSEHOLD,
        _housing_household("housing:household"),
        action=Action.VIEW_PERSON,
        shows=Shows.REFERENCE,
    ),
    Endpoint(
        "housing:shelter_stays",
        Rule.ACTION,
        lambda w, r: reverse("housing:shelter_stays") + "?alle=1",
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
        among=frozenset(RESIDENTS.values()),
        by_reference=True,
    ),
    Endpoint(
        "api-shelter-stays",
        Rule.ACTION,
        lambda w, r: "/api/v1/shelter-stays/?all=true",
        api=True,
        action=Action.VIEW_PERSON,
        shows=Shows.VISIBLE,
        among=frozenset(RESIDENTS.values()),
        by_reference=True,
    ),
    Endpoint(
        "housing:placement",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("housing:placement"),
        action=Action.MANAGE_ACCOMMODATION,
    ),
    Endpoint(
        "housing:placement_run",
        Rule.COUNTY_WIDE,
        _run("housing:placement_run"),
        action=Action.MANAGE_ACCOMMODATION,
        per_county=True,
        shows=Shows.PLACEMENT,
    ),
    Endpoint(
        "housing:placement_status",
        Rule.COUNTY_WIDE,
        _run("housing:placement_status"),
        action=Action.MANAGE_ACCOMMODATION,
        per_county=True,
        shows=Shows.PLACEMENT,
    ),
    Endpoint(
        "housing:placement_change",
        Rule.COUNTY_WIDE,
        _placement_change,
        action=Action.MANAGE_ACCOMMODATION,
        per_county=True,
        shows=Shows.UNPLACED,
    ),
    Endpoint(
        "housing:room_create",
        Rule.SITE,
        _facility("housing:room_create"),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {"number": "Neu", "beds": 2, "valid_from": _iso_today()},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:facility_features",
        Rule.SITE,
        _facility("housing:facility_features"),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {"features": [Feature.CHILDCARE, Feature.SOCIAL_WORK]},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:bed_state",
        Rule.SITE,
        lambda w, r: reverse("housing:bed_state", args=[w.free_beds[r].pk]),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {"state": "reserved", "day": _iso_today(), "reason": "Vorhaltung"},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:placement",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("housing:placement"),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {
            "county": w.county.pk,
            "window_from": _iso_today(),
            "window_to": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:placement_accept",
        Rule.COUNTY_WIDE,
        _run("housing:placement_accept"),
        action=Action.MANAGE_ACCOMMODATION,
        per_county=True,
        method="post",
        body=lambda w, r: {"household": _run_household(w, r, PLACED)},
        ok_status=302,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:placement_change",
        Rule.COUNTY_WIDE,
        _placement_change,
        action=Action.MANAGE_ACCOMMODATION,
        per_county=True,
        method="post",
        body=lambda w, r: {"rooms": [w.placement_rooms[UNPLACED].pk]},
        ok_status=302,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "housing:household_move",
        Rule.HOUSEHOLD,
        _housing_household("housing:household_move"),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=_move,
        ok_status=302,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    # Flat readiness: accommodation staff and the household's caseworkers.
    Endpoint(
        "housing:household_ready",
        Rule.HOUSEHOLD,
        _housing_household("housing:household_ready"),
        action=Action.MANAGE_ACCOMMODATION,
        alternative=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {"day": _iso_today(), "note": ""},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    # The API: end the readiness the page recorded, then record it again; move on into another
    # room, put one member back into a bed of the first.
    Endpoint(
        "api-household-flat-readiness",
        Rule.HOUSEHOLD,
        _api_household("flat-readiness"),
        api=True,
        action=Action.MANAGE_ACCOMMODATION,
        alternative=Action.CHANGE_PERSON,
        method="delete",
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-household-flat-readiness",
        Rule.HOUSEHOLD,
        _api_household("flat-readiness"),
        api=True,
        action=Action.MANAGE_ACCOMMODATION,
        alternative=Action.CHANGE_PERSON,
        method="post",
        body=lambda w, r: {"note": ""},
        ok_status=201,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-household-moves",
        Rule.HOUSEHOLD,
        _api_household("moves"),
        api=True,
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=_api_move,
        ok_status=201,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-household-bed-assignments",
        Rule.HOUSEHOLD,
        _api_household("bed-assignments"),
        api=True,
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=_api_bed,
        ok_status=201,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    # Arrivals: the board lists references; the arrival page names the persons and records
    # reading their health-related needs.
    Endpoint(
        "web:arrival_board",
        Rule.ACTION,
        lambda w, r: reverse("web:arrival_board"),
        action=Action.PREPARE_ARRIVAL,
        shows=Shows.VISIBLE,
        by_reference=True,
    ),
    Endpoint(
        "web:arrival",
        Rule.HOUSEHOLD,
        _arrival("web:arrival"),
        action=Action.PREPARE_ARRIVAL,
        shows=Shows.ONE,
        vocabulary=_category_labels,
        audited=True,
    ),
    # Only county-wide staff plan the facility (it makes its staff responsible).
    Endpoint(
        "web:arrival_plan",
        Rule.HOUSEHOLD,
        _arrival("web:arrival_plan"),
        action=Action.PREPARE_ARRIVAL,
        county_wide=True,
        method="post",
        body=lambda w, r: {"site": w.site.pk},
        ok_status=302,
        writes=2,  # the responsibility of the planned facility, the arrival
        subjects=WRITE_SUBJECTS,
    ),
    # The API takes the plan back: the responsibilities of the planned site end.
    Endpoint(
        "api-arrival-plan",
        Rule.HOUSEHOLD,
        lambda w, r: f"/api/v1/arrivals/{w.arrivals[r].pk}/plan/",
        api=True,
        action=Action.PREPARE_ARRIVAL,
        county_wide=True,
        method="post",
        body=lambda w, r: {"site": None},
        writes=None,  # the arrival, and each accommodation responsibility ended
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "web:arrival_assess",
        Rule.HOUSEHOLD,
        _arrival("web:arrival_assess"),
        action=Action.PREPARE_ARRIVAL,
        method="post",
        body=_assessment,
        ok_status=302,
        writes=2,  # the new need, the arrival
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-arrival-assessment",
        Rule.HOUSEHOLD,
        lambda w, r: f"/api/v1/arrivals/{w.arrivals[r].pk}/assessment/",
        api=True,
        action=Action.PREPARE_ARRIVAL,
        method="post",
        body=_api_assessment,
        writes=2,  # the need added by the page removed, the arrival
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "web:arrival_task",
        Rule.HOUSEHOLD,
        lambda w, r: reverse("web:arrival_task", args=[w.tasks[r].pk]),
        action=Action.PREPARE_ARRIVAL,
        method="post",
        body=lambda w, r: {"done": "1"},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-arrival-task-completion",
        Rule.HOUSEHOLD,
        lambda w, r: f"/api/v1/arrival-tasks/{w.tasks[r].pk}/completion/",
        api=True,
        action=Action.PREPARE_ARRIVAL,
        method="post",
        body=lambda w, r: {"done": False},  # opens again what the page ticked off
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    # Allocation lists: staff who may register persons; an upload only for its uploader.
    # The upload page explains the columns: the needs a list may name are vocabulary.
    Endpoint(
        "web:allocation_upload",
        Rule.ACTION,
        lambda w, r: reverse("web:allocation_upload"),
        action=Action.CREATE_PERSON,
        vocabulary=lambda: " ".join(NEED_CODES.values()),
    ),
    Endpoint(
        "web:allocation_preview",
        Rule.OWN_UPLOAD,
        _upload("web:allocation_preview"),
        action=Action.CREATE_PERSON,
    ),
    Endpoint(
        "web:allocation_status",
        Rule.OWN_UPLOAD,
        _upload("web:allocation_status"),
        action=Action.CREATE_PERSON,
    ),
    Endpoint(
        "web:allocation_errors_csv",
        Rule.OWN_UPLOAD,
        _upload("web:allocation_errors_csv"),
        action=Action.CREATE_PERSON,
    ),
    # The upload is checked and kept for the preview: a row, no audit event yet.
    Endpoint(
        "web:allocation_upload",
        Rule.ACTION,
        lambda w, r: reverse("web:allocation_upload"),
        action=Action.CREATE_PERSON,
        method="post",
        body=_allocation_file,
        ok_status=302,
        writes=0,
        changes=True,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "web:allocation_confirm",
        Rule.OWN_UPLOAD,
        _upload("web:allocation_confirm"),
        action=Action.CREATE_PERSON,
        method="post",
        body=lambda w, r: {},
        ok_status=302,
        writes=IMPORT_WRITES,
        subjects=WRITE_SUBJECTS,
    ),
    # The API's move-out tomorrow keeps today's reach for the page's move-out (today) below.
    Endpoint(
        "api-household-move-out",
        Rule.HOUSEHOLD,
        _api_household("move-out"),
        api=True,
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {
            "day": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "reason": Move.Reason.FLAT,
        },
        ok_status=201,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    # Last: moving out ends the accommodation responsibility through which a facility's staff
    # reach the household.
    Endpoint(
        "housing:household_move_out",
        Rule.HOUSEHOLD,
        _housing_household("housing:household_move_out"),
        action=Action.MANAGE_ACCOMMODATION,
        method="post",
        body=lambda w, r: {"day": _iso_today(), "reason": Move.Reason.FLAT, "flat": "", "note": ""},
        ok_status=302,
        writes=None,
        subjects=WRITE_SUBJECTS,
    ),
    # API: occupancy figures (no names) and the allocation-list import.
    Endpoint(
        "occupancy-facilities",
        Rule.SITES,
        lambda w, r: "/api/v1/occupancy/facilities/",
        api=True,
        action=Action.VIEW_AGGREGATES,
        shows=Shows.SITES,
    ),
    Endpoint(
        "occupancy-facility",
        Rule.SITE,
        lambda w, r: f"/api/v1/occupancy/facilities/{w.sites[r].pk}/",
        api=True,
        action=Action.VIEW_AGGREGATES,
    ),
    Endpoint(
        "occupancy-municipalities",
        Rule.COUNTY_WIDE,
        lambda w, r: "/api/v1/occupancy/municipalities/",
        api=True,
        action=Action.VIEW_AGGREGATES,
    ),
    Endpoint(
        "occupancy-municipality",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/occupancy/municipalities/{w.municipalities[r].pk}/",
        api=True,
        action=Action.VIEW_AGGREGATES,
        per_county=True,
    ),
    Endpoint(
        "api-arrivals",
        Rule.ACTION,
        lambda w, r: "/api/v1/arrivals/",
        api=True,
        action=Action.PREPARE_ARRIVAL,
        shows=Shows.VISIBLE,
        by_reference=True,
    ),
    Endpoint(
        "api-allocation-imports",
        Rule.ACTION,
        lambda w, r: f"/api/v1/allocation-imports/?county={w.county.slug}&file_name=liste.csv",
        api=True,
        action=Action.CREATE_PERSON,
        method="post",
        body=_allocation_body,
        content_type="text/csv",
        ok_status=201,
        writes=IMPORT_WRITES,
        subjects=WRITE_SUBJECTS,
    ),
    # Intake planning: county figures for planners and county administrators (county scope).
    Endpoint(
        "intake:prior",
        Rule.COUNTY_WIDE,
        _planning("intake:prior"),
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "intake:aufnahmesoll",
        Rule.COUNTY_WIDE,
        _planning("intake:aufnahmesoll"),
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "intake:freimeldung",
        Rule.COUNTY_WIDE,
        _planning("intake:freimeldung"),
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "intake:freimeldung_file",
        Rule.COUNTY_WIDE,
        # CSV: the matrix reads bodies as text (the XLSX is tested in tests/planning).
        lambda w, r: reverse("intake:freimeldung_file", args=[w.county_of(r).slug, "csv"]),
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "intake:series_upload",
        Rule.COUNTY_WIDE,
        _planning("intake:series_upload"),
        action=Action.MANAGE_PLANNING,
        per_county=True,
        method="post",
        body=_series_form,
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "intake:chain_link",
        Rule.COUNTY_WIDE,
        _planning("intake:chain_link"),
        action=Action.MANAGE_PLANNING,
        per_county=True,
        method="post",
        body=lambda w, r: {
            "stream": "asyl",
            "factor": "land",
            "valid_from": "2016-01-01",
            "value": "3,03655",
            "source": "Königsteiner Schlüssel 2016",
        },
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "intake:aufnahmesoll",
        Rule.COUNTY_WIDE,
        _planning("intake:aufnahmesoll"),
        action=Action.MANAGE_PLANNING,
        per_county=True,
        method="post",
        body=lambda w, r: {"year": "2024", "quota": "100", "source": "Erlass"},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning-series",
        Rule.COUNTY_WIDE,
        _planning_api("series/"),
        api=True,
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "planning-series",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/planning/{w.county_of(r).slug}/series/?name=Api{w.user.pk}",
        api=True,
        action=Action.MANAGE_PLANNING,
        per_county=True,
        method="post",
        body=lambda w, r: SERIES_CSV,
        content_type="text/csv",
        ok_status=201,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning-prior",
        Rule.COUNTY_WIDE,
        _planning_api("prior/"),
        api=True,
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "planning-aufnahmesoll",
        Rule.COUNTY_WIDE,
        _planning_api("aufnahmesoll/"),
        api=True,
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    Endpoint(
        "planning-freimeldung",
        Rule.COUNTY_WIDE,
        _planning_api("freimeldung/"),
        api=True,
        action=Action.VIEW_PLANNING,
        per_county=True,
    ),
    # Reimbursement (Kostenerstattung): the whole county's claim with pseudonymised lines, so
    # county scope only; downloads are audited exports.
    Endpoint(
        "finance:claim",
        Rule.COUNTY_WIDE,
        _finance("finance:claim", "&jahr=2025"),
        action=Action.VIEW_FINANCE,
    ),
    Endpoint(
        "finance:claim_file",
        Rule.COUNTY_WIDE,
        _finance("finance:claim_file", "&jahr=2025&quartal=1", ("xlsx",)),
        action=Action.VIEW_FINANCE,
        writes=1,
        changes=False,
    ),
    Endpoint(
        "finance:claim_start",
        Rule.COUNTY_WIDE,
        _finance("finance:claim_start", "&jahr=2025&quartal=1"),
        action=Action.VIEW_FINANCE,
        method="post",
        body=lambda w, r: {},
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "finance:claim_run_status",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("finance:claim_run_status", args=[w.claim_runs[r].pk]),
        action=Action.VIEW_FINANCE,
        per_county=True,
    ),
    Endpoint(
        "finance:claim_run_file",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("finance:claim_run_file", args=[w.claim_runs[r].pk, "xlsx"]),
        action=Action.VIEW_FINANCE,
        per_county=True,
        writes=1,
        changes=False,
    ),
    Endpoint(
        "finance:rule_create",
        Rule.COUNTY_WIDE,
        _finance("finance:rule_create"),
        action=Action.MANAGE_FINANCE,
        method="post",
        body=_rule_form,
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "finance:payment_create",
        Rule.COUNTY_WIDE,
        _finance("finance:payment_create"),
        action=Action.MANAGE_FINANCE,
        method="post",
        body=_payment_form,
        ok_status=302,
        writes=1,
    ),
    Endpoint(
        "api-claim",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/claims/?county={w.county.slug}&year=2025",
        api=True,
        action=Action.VIEW_FINANCE,
    ),
    Endpoint(
        "api-claim-file",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/claims/file/?county={w.county.slug}&year=2025&type=pdf",
        api=True,
        action=Action.VIEW_FINANCE,
        writes=1,
        changes=False,
    ),
    Endpoint(
        "api-claim-runs",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/claims/runs/?county={w.county.slug}&year=2025&quarter=2",
        api=True,
        action=Action.VIEW_FINANCE,
        method="post",
        body=lambda w, r: {},
        ok_status=202,
        writes=1,
    ),
    Endpoint(
        "api-claim-run",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/claims/runs/{w.claim_runs[r].pk}/",
        api=True,
        action=Action.VIEW_FINANCE,
        per_county=True,
    ),
    Endpoint(
        "api-finance-rules",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/finance-rules/?county={w.county.slug}",
        api=True,
        action=Action.VIEW_FINANCE,
    ),
    Endpoint(
        "api-finance-rules",
        Rule.COUNTY_WIDE,
        lambda w, r: f"/api/v1/finance-rules/?county={w.county.slug}",
        api=True,
        action=Action.MANAGE_FINANCE,
        method="post",
        body=_rule_body,
        ok_status=201,
        writes=1,
    ),
)


def _month_ahead(months: int = 2) -> str:
    day = timezone.localdate().replace(day=1)
    for _ in range(months):
        day = (day + timedelta(days=32)).replace(day=1)
    return day.strftime("%Y-%m")


def _scenario(name: str, which: str = "") -> Callable[[World, str], str]:
    def path(world: World, relation: str) -> str:
        scenario = world.doomed_scenarios[relation][which] if which else world.scenarios[relation]
        return reverse(name, args=[scenario.pk])

    return path


def _api_scenario(which: str = "") -> Callable[[World, str], str]:
    def path(world: World, relation: str) -> str:
        scenario = world.doomed_scenarios[relation][which] if which else world.scenarios[relation]
        return f"/api/v1/scenarios/{scenario.pk}/"

    return path


_OPEN_SITE = {"kind": "open_site", "places": 10, "family_places": 4}

# Capacity planning (Kapazitätsplanung): figures only, for planners and county administrators
# with county scope. Scenarios and changes are per county (404 in another one).
PLANNING_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "planning:capacity",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:capacity"),
        action=Action.PLAN_CAPACITY,
    ),
    Endpoint(
        "planning:capacity_results",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:capacity_results") + "?risiko=0.1",
        action=Action.PLAN_CAPACITY,
    ),
    Endpoint(
        "planning:scenario",
        Rule.COUNTY_WIDE,
        _scenario("planning:scenario"),
        action=Action.PLAN_CAPACITY,
        per_county=True,
    ),
    Endpoint(
        "api-capacity-plan",
        Rule.COUNTY_WIDE,
        lambda w, r: "/api/v1/capacity-plan/?runs=200",
        api=True,
        action=Action.PLAN_CAPACITY,
    ),
    Endpoint(
        "api-scenarios",
        Rule.COUNTY_WIDE,
        lambda w, r: "/api/v1/scenarios/",
        api=True,
        action=Action.PLAN_CAPACITY,
    ),
    Endpoint(
        "api-scenario",
        Rule.COUNTY_WIDE,
        _api_scenario(),
        api=True,
        action=Action.PLAN_CAPACITY,
        per_county=True,
    ),
    Endpoint(
        "planning:scenario_create",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:scenario_create"),
        action=Action.PLAN_CAPACITY,
        method="post",
        body=lambda w, r: {"name": f"Neu Web {w.user.pk}", "description": ""},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning:scenario",
        Rule.COUNTY_WIDE,
        _scenario("planning:scenario"),
        action=Action.PLAN_CAPACITY,
        per_county=True,
        method="post",
        body=lambda w, r: {**_OPEN_SITE, "month": _month_ahead()},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning:planned_change_create",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:planned_change_create"),
        action=Action.PLAN_CAPACITY,
        method="post",
        body=lambda w, r: {**_OPEN_SITE, "month": _month_ahead(3)},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning:cost_create",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:cost_create"),
        action=Action.PLAN_CAPACITY,
        method="post",
        body=lambda w, r: {
            "monthly_per_place": "612,50",
            "valid_from": _iso_today(),
            "source": "Betreibervertrag (Test)",
        },
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning:change_delete",
        Rule.COUNTY_WIDE,
        lambda w, r: reverse("planning:change_delete", args=[w.changes[r].pk]),
        action=Action.PLAN_CAPACITY,
        per_county=True,
        method="post",
        body=lambda w, r: {},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "planning:scenario_delete",
        Rule.COUNTY_WIDE,
        _scenario("planning:scenario_delete", "web"),
        action=Action.PLAN_CAPACITY,
        per_county=True,
        method="post",
        body=lambda w, r: {},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-scenarios",
        Rule.COUNTY_WIDE,
        lambda w, r: "/api/v1/scenarios/",
        api=True,
        action=Action.PLAN_CAPACITY,
        method="post",
        body=lambda w, r: {
            "name": f"Neu API {w.user.pk}",
            "changes": [
                {
                    "kind": "extra_stream",
                    "month": _month_ahead(),
                    "persons": 500,
                    "spread_months": 5,
                }
            ],
        },
        ok_status=201,
        writes=2,  # the scenario and its change
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-scenario",
        Rule.COUNTY_WIDE,
        _api_scenario(),
        api=True,
        action=Action.PLAN_CAPACITY,
        per_county=True,
        method="patch",
        body=lambda w, r: {"name": f"Geändert {w.user.pk}"},
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-scenario",
        Rule.COUNTY_WIDE,
        _api_scenario("api"),
        api=True,
        action=Action.PLAN_CAPACITY,
        per_county=True,
        method="delete",
        ok_status=204,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
)

from tests.access.endpoints_casework import endpoints as _casework_endpoints  # noqa: E402

# Casework before moving out, which ends the accommodation responsibility through which a
# provider's staff reach the household of ``provider_site``.
_MOVE_OUT = next(i for i, e in enumerate(ENDPOINTS) if e.name == "housing:household_move_out")
ENDPOINTS = (*ENDPOINTS[:_MOVE_OUT], *_casework_endpoints(), *ENDPOINTS[_MOVE_OUT:])
ENDPOINTS = ENDPOINTS + PLANNING_ENDPOINTS


# Health (issue 7): health roles only; reading a record is one audited read.
def _health(name: str) -> Callable[[World, str], str]:
    return lambda w, r: reverse(name, args=[w.persons[r].pk])


def _screening_answers() -> dict[int, int]:
    return dict.fromkeys(range(1, 15), 0) | {15: 1}  # negative: no referral, no need


def _screening_form(world: World, relation: str) -> dict[str, Any]:
    text = world.instrument_texts[world.persons[relation].county_id]
    data: dict[str, Any] = {"text": text.pk, "instrument": "RHS-15", "screened_on": _iso_today()}
    data |= {f"item_{n}": v for n, v in _screening_answers().items()}
    return data


def _screening_body(world: World, relation: str) -> dict[str, Any]:
    text = world.instrument_texts[world.persons[relation].county_id]
    answers = {str(n): v for n, v in _screening_answers().items()}
    return {"text": text.pk, "instrument": "RHS-15", "answers": answers}


def _booking_form(world: World, relation: str) -> dict[str, Any]:
    site = "other_county" if relation == OTHER_COUNTY else "site"
    return {"hour": world.hours[site].pk, "interpreter_language": "ara", "reason": ""}


HEALTH_FORMS: tuple[tuple[str, Body], ...] = (
    (
        "health:examination",
        lambda w, r: {"examined_on": _iso_today(), "result": "no_findings", "notes": ""},
    ),
    ("health:vaccination", lambda w, r: {"vaccine": "Masern", "offered_on": _iso_today()}),
    ("health:condition", lambda w, r: {"details": "Angaben", "noted_on": _iso_today()}),
    ("health:referral", lambda w, r: {"to": "Praxis", "status": "sent"}),
    ("health:care_route", lambda w, r: {"kind": "voucher", "valid_from": _iso_today()}),
    ("health:booking", _booking_form),
    ("health:screening", _screening_form),
)

HEALTH_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "health:person",
        Rule.HOUSEHOLD,
        _health("health:person"),
        action=Action.VIEW_HEALTH,
        shows=Shows.ONE,
        audited=True,
    ),
    *(
        endpoint
        for name, body in HEALTH_FORMS
        for endpoint in (
            Endpoint(
                name, Rule.HOUSEHOLD, _health(name), action=Action.RECORD_HEALTH, shows=Shows.ONE
            ),
            Endpoint(
                name,
                Rule.HOUSEHOLD,
                _health(name),
                action=Action.RECORD_HEALTH,
                method="post",
                body=body,
                ok_status=302,
                writes=1,
                subjects=WRITE_SUBJECTS,
            ),
        )
    ),
    Endpoint(
        "health:referral_status",
        Rule.HOUSEHOLD,
        lambda w, r: reverse("health:referral_status", args=[w.persons[r].pk, w.referrals[r].pk]),
        action=Action.RECORD_HEALTH,
        method="post",
        body=lambda w, r: {"status": "done"},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "health:booking_attendance",
        Rule.HOUSEHOLD,
        lambda w, r: reverse("health:booking_attendance", args=[w.persons[r].pk, w.bookings[r].pk]),
        action=Action.RECORD_HEALTH,
        method="post",
        body=lambda w, r: {"status": "attended"},
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    # Nothing is due in the world (no screening, no follow-up date): no person, no read.
    Endpoint(
        "health:worklist",
        Rule.ACTION,
        lambda w, r: reverse("health:worklist"),
        action=Action.VIEW_HEALTH,
    ),
    Endpoint(
        "health:hours",
        Rule.SITES,
        lambda w, r: reverse("health:hours"),
        action=Action.VIEW_HEALTH,
        shows=Shows.SITES,
    ),
    Endpoint(
        "health:facility_hours",
        Rule.SITE,
        _facility("health:facility_hours"),
        action=Action.VIEW_HEALTH,
    ),
    Endpoint(
        "health:facility_hours",
        Rule.SITE,
        _facility("health:facility_hours"),
        action=Action.RECORD_HEALTH,
        method="post",
        body=lambda w, r: {
            "specialty": "midwifery",
            "starts_at": f"{_iso_today()}T23:00",
            "ends_at": f"{_iso_today()}T23:30",
            "places": 3,
        },
        ok_status=302,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
    Endpoint(
        "api-health",
        Rule.HOUSEHOLD,
        _api_person("health/"),
        api=True,
        action=Action.VIEW_HEALTH,
        audited=True,
    ),
    Endpoint(
        "api-screenings",
        Rule.HOUSEHOLD,
        _api_person("screenings/"),
        api=True,
        action=Action.RECORD_HEALTH,
        method="post",
        body=_screening_body,
        ok_status=201,
        writes=1,
        subjects=WRITE_SUBJECTS,
    ),
)
ENDPOINTS = (*ENDPOINTS, *HEALTH_ENDPOINTS)

ENDPOINTS_BY_KEY = {endpoint.key: endpoint for endpoint in ENDPOINTS}
URL_NAMES = frozenset(endpoint.name for endpoint in ENDPOINTS)
