"""A small world for one matrix subject: two counties, the subject's account and one household
per relation of ``matrix.RELATIONS``.

Every household has one person with a unique family name (so a response body can be searched
for leaked data), the shared given name ``SHARED_GIVEN_NAME`` (so one search finds them all),
a residence status (Duldung), two vulnerabilities, one of them health-related, and two consents
(one for the pages to withdraw, one for the API).

Housing: one facility per relation of ``matrix.SITE_RELATIONS``, each with a unique name, rooms
and beds. The household of ``RESIDENTS[site]`` sleeps there since 2023 (so the facility pages
have someone whose name they might leak, and the shelter-phase list someone with a long stay);
the ``ended`` household left ``site`` today. Each household is announced for today (an
allocation, an arrival with one checklist task) and has a free room to move into; a finished
placement recommendation per county places ``PLACED`` and leaves ``UNPLACED`` without a room.
Allocation-list uploads wait for confirmation, one per ``UPLOAD_RELATIONS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db import models
from django.utils import timezone

from ankommen.algorithms.allocation_samples import to_csv
from ankommen.casework.models import Case, Goal
from ankommen.casework.models import Referral as CaseworkReferral
from ankommen.core.models import County, Municipality, Provider, Role, Scope, Site, User
from ankommen.finance.claim_runner import run_claim
from ankommen.finance.models import ClaimRun
from ankommen.health.models import Booking, ConsultationHour, InstrumentText, Referral
from ankommen.housing.models import (
    Allocation,
    AllocationImport,
    AllocationUpload,
    Arrival,
    ArrivalTask,
    Bed,
    BedStatus,
    Occupancy,
    PlacementRun,
    Room,
)
from ankommen.housing.services_allocations import import_allocations
from ankommen.people.models import Consent, Household, Person, ResidenceStatus, Vulnerability
from ankommen.planning.models import CapacityChange, Scenario
from tests.access.matrix import OTHER_COUNTY, OWN_COUNTY, RELATIONS, SITE_RELATIONS, Subject
from tests.access.world_health import build_health
from tests.factories import (
    CountyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ProviderFactory,
    ResponsibilityFactory,
    SiteFactory,
    UserFactory,
)

SHARED_GIVEN_NAME = "Wilhelmina"
FAMILY_NAMES = {
    "in_scope": "Borowski",
    "provider_site": "Castellano",
    "other_in_county": "Dimitrova",
    "other_county": "Eriksson",
    "ended": "Fontaine",
    "future": "Gutierrez",
}
SITE_NAMES = {
    "site": "Haus Ahorn",
    "provider_site": "Haus Birke",
    "other_in_county": "Haus Linde",
    "other_county": "Haus Ulme",
}
# Who sleeps in each facility today (a household relation per site relation).
RESIDENTS = {
    "site": "in_scope",
    "provider_site": "provider_site",
    "other_in_county": "other_in_county",
    "other_county": "other_county",
}
# Where each household would move (the facility of its free room).
HOME_SITES = {
    "in_scope": "site",
    "provider_site": "provider_site",
    "other_in_county": "other_in_county",
    "other_county": "other_county",
    "ended": "site",
    "future": "site",
}
PLACED = "ended"  # placed by the recommendation of its county
UNPLACED = "future"  # left without a room by it
# Allocation-list uploads: the subject's own, a colleague's, the subject's in another county.
UPLOAD_RELATIONS = ("own", "colleague", OTHER_COUNTY)
SINCE = date(2023, 1, 1)
CONSENT_PURPOSES = {
    "web": Consent.Purpose.SHARE_WITH_VOLUNTEER,
    "api": Consent.Purpose.SHARE_WITH_PROVIDER,
}


class Fact(StrEnum):
    """Kinds of sensitive facts every person of the world has."""

    STATUS = "status"
    NEED = "need"  # not health-related
    HEALTH_NEED = "health_need"  # its reads are audited
    CONSENT = "consent"


# The choices that show each fact: their German label on a page, their code in the API.
_FACT_CHOICES: dict[Fact, Sequence[models.TextChoices]] = {
    Fact.STATUS: [ResidenceStatus.Kind.DULDUNG],
    Fact.NEED: [Vulnerability.Category.PREGNANT],
    Fact.HEALTH_NEED: [Vulnerability.Category.MENTAL_DISORDER],
    Fact.CONSENT: list(CONSENT_PURPOSES.values()),
}


def sensitive_markers(*, api: bool) -> dict[Fact, tuple[str, ...]]:
    """The texts by which a response shows each fact (labels are translated when called)."""
    return {
        fact: tuple(str(choice.value if api else choice.label) for choice in choices)
        for fact, choices in _FACT_CHOICES.items()
    }


@dataclass
class World:
    user: User
    county: County
    other_county: County
    provider: Provider
    site: Site
    colleague: User
    households: dict[str, Household] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    consents: dict[str, dict[str, Consent]] = field(default_factory=dict)  # relation → use
    # Housing
    sites: dict[str, Site] = field(default_factory=dict)  # site relation → facility
    municipalities: dict[str, Municipality] = field(default_factory=dict)  # own/other county
    free_beds: dict[str, Bed] = field(default_factory=dict)  # site relation → a free bed
    move_rooms: dict[str, Room] = field(default_factory=dict)  # household relation → free room
    # household relation → another free room (the API's move after the page's)
    api_move_rooms: dict[str, Room] = field(default_factory=dict)
    placement_rooms: dict[str, Room] = field(default_factory=dict)  # PLACED/UNPLACED → room
    runs: dict[str, PlacementRun] = field(default_factory=dict)  # own/other county
    claim_runs: dict[str, ClaimRun] = field(default_factory=dict)  # own/other county, finished
    arrivals: dict[str, Arrival] = field(default_factory=dict)
    tasks: dict[str, ArrivalTask] = field(default_factory=dict)
    uploads: dict[str, AllocationUpload] = field(default_factory=dict)
    # Capacity planning: per county (own/other) a scenario with one change, and one scenario
    # each for the page and the API to delete.
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    changes: dict[str, CapacityChange] = field(default_factory=dict)
    doomed_scenarios: dict[str, dict[str, Scenario]] = field(default_factory=dict)
    # Health: a loaded RHS text per county (pk), a consultation hour per site relation.
    instrument_texts: dict[int, InstrumentText] = field(default_factory=dict)
    hours: dict[str, ConsultationHour] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)  # household relation → one
    bookings: dict[str, Booking] = field(default_factory=dict)  # household relation → one
    # Casework (``world_casework.py``)
    cases: dict[str, Case] = field(default_factory=dict)
    casework_referrals: dict[str, CaseworkReferral] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    takers: dict[str, User] = field(default_factory=dict)  # who may take each case over
    other_provider: Provider | None = None

    def household_secrets(self, relation: str) -> list[str]:
        """Strings that must not appear in a response that denies this household."""
        person = self.persons[relation]
        return [person.family_name, self.households[relation].reference]

    def county_of(self, relation: str) -> County:
        return self.other_county if relation == OTHER_COUNTY else self.county


def _membership(
    user: User, subject: Subject, world_county: County, provider: Provider, site: Site
) -> None:
    today = timezone.localdate()
    if subject.key == "no_membership":
        return
    if subject.role is None:
        # A county administrator with county scope, but not in force today.
        if subject.key == "ended_membership":
            valid_from, valid_to = date(2020, 1, 1), today - timedelta(days=1)
        else:
            valid_from, valid_to = today + timedelta(days=1), None
        MembershipFactory(
            user=user,
            county=world_county,
            role=Role.COUNTY_ADMIN,
            scope=Scope.COUNTY,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return
    MembershipFactory(
        user=user,
        county=world_county,
        role=subject.role,
        scope=subject.scope,
        provider=provider if subject.scope == Scope.PROVIDER else None,
        site=site if subject.scope == Scope.FACILITY else None,
    )


def build_world(subject: Subject) -> World:
    today = timezone.localdate()
    county = CountyFactory()
    other_county = CountyFactory()
    provider = ProviderFactory(county=county)
    other_provider = ProviderFactory(county=county)
    site = SiteFactory(county=county, provider=provider, name=SITE_NAMES["site"])
    provider_site = SiteFactory(county=county, provider=provider, name=SITE_NAMES["provider_site"])
    other_site = SiteFactory(
        county=county, provider=other_provider, name=SITE_NAMES["other_in_county"]
    )
    far_site = SiteFactory(county=other_county, name=SITE_NAMES["other_county"])
    # No usable passwords: hashing with Argon2 is slow, and these accounts never log in by form.
    colleague = UserFactory(password=None)
    user = UserFactory(password=None)
    _membership(user, subject, county, provider, site)
    world = World(
        user=user,
        county=county,
        other_county=other_county,
        provider=provider,
        site=site,
        colleague=colleague,
    )
    world.sites = dict(
        zip(SITE_RELATIONS, (site, provider_site, other_site, far_site), strict=True)
    )
    world.municipalities = {OWN_COUNTY: site.municipality, OTHER_COUNTY: far_site.municipality}

    # The link of an in-scope household: only the subject's own scope target.
    scope = subject.scope or Scope.COUNTY
    own_link: dict[str, object] = {
        Scope.COUNTY: {"provider": provider, "site": site, "caseworker": user},
        Scope.PROVIDER: {"provider": provider},
        Scope.FACILITY: {"site": site},
        Scope.CASELOAD: {"caseworker": user},
    }[scope]
    links: dict[str, list[dict[str, object]]] = {
        "in_scope": [] if scope == Scope.COUNTY else [dict(own_link)],
        "provider_site": [{"site": provider_site}],
        "other_in_county": [
            {"provider": other_provider, "site": other_site, "caseworker": colleague}
        ],
        "other_county": [{"provider": provider, "site": site, "caseworker": user}],
        "ended": [
            {**own_link, "valid_from": date(2020, 1, 1), "valid_to": today - timedelta(days=1)}
        ],
        "future": [{**own_link, "valid_from": today + timedelta(days=1)}],
    }
    assert set(links) == set(RELATIONS)
    for relation in RELATIONS:
        household = HouseholdFactory(
            county=other_county if relation == "other_county" else county,
            reference=f"REF-{relation.upper()}-{user.pk}",
        )
        for link in links[relation]:
            ResponsibilityFactory(household=household, **link)
        person = PersonFactory(
            household=household, family_name=FAMILY_NAMES[relation], given_names=SHARED_GIVEN_NAME
        )
        ResidenceStatus.objects.create(
            county=household.county,
            person=person,
            kind=ResidenceStatus.Kind.DULDUNG,
            valid_from=date(2023, 1, 1),
        )
        for category in (Vulnerability.Category.PREGNANT, Vulnerability.Category.MENTAL_DISORDER):
            Vulnerability.objects.create(
                county=household.county,
                person=person,
                category=category,
                valid_from=date(2023, 2, 1),
            )
        world.consents[relation] = {
            use: Consent.objects.create(
                county=household.county, person=person, purpose=purpose, given_on=date(2023, 3, 1)
            )
            for use, purpose in CONSENT_PURPOSES.items()
        }
        world.households[relation] = household
        world.persons[relation] = person
    _build_housing(world)
    build_health(world)
    from tests.access.world_casework import build_casework

    build_casework(world)
    return world


def _rooms(site: Site, numbers: dict[str, int]) -> dict[str, tuple[Room, list[Bed]]]:
    """Rooms ``{number: beds}`` usable since ``SINCE`` (written directly: the services would
    record an audit event per room, which the world does not need)."""
    rooms = Room.objects.bulk_create(
        Room(county_id=site.county_id, site=site, number=number) for number in numbers
    )
    beds = Bed.objects.bulk_create(
        Bed(county_id=site.county_id, room=room, label=chr(ord("A") + n), state=Bed.State.IN_USE)
        for room in rooms
        for n in range(numbers[room.number])
    )
    BedStatus.objects.bulk_create(
        BedStatus(
            county_id=site.county_id,
            bed=bed,
            site=site,
            state=Bed.State.IN_USE,
            valid_from=SINCE,
        )
        for bed in beds
    )
    return {room.number: (room, [bed for bed in beds if bed.room is room]) for room in rooms}


def allocation_csv(number: str, family_name: str, *, arrival: date) -> bytes:
    """An allocation list of one person (a household of its own)."""
    row = {
        "Zuweisungsnummer": number,
        "Haushalt": f"H-{number}",
        "Nachname": family_name,
        "Vorname": "Nadia",
        "Geburtsdatum": "00.00.1991",
        "Geschlecht": "w",
        "Staatsangehörigkeit": "Syrien",
        "Sprachen": "ara",
        "Aufenthaltsstatus": "Aufenthaltsgestattung",
        "Ankunft": arrival.strftime("%d.%m.%Y"),
        "Bedarfe": "",
    }
    return to_csv([row])


def _build_housing(world: World) -> None:
    today = timezone.localdate()
    occupancies: list[Occupancy] = []
    for site_relation, site in world.sites.items():
        # Rooms to move into hold a household grown by the persons the matrix adds.
        numbers = {"1": 1, "frei": 1}
        numbers |= {f"U-{r}": 4 for r, home in HOME_SITES.items() if home == site_relation}
        numbers |= {f"W-{r}": 4 for r, home in HOME_SITES.items() if home == site_relation}
        if site_relation == "site":
            numbers |= {"2": 1, f"V-{PLACED}": 4, f"V-{UNPLACED}": 4}
        rooms = _rooms(site, numbers)
        world.free_beds[site_relation] = rooms["frei"][1][0]
        for relation, home in HOME_SITES.items():
            if home == site_relation:
                world.move_rooms[relation] = rooms[f"U-{relation}"][0]
                world.api_move_rooms[relation] = rooms[f"W-{relation}"][0]
        stays: list[tuple[str, Bed, date | None]] = [
            (RESIDENTS[site_relation], rooms["1"][1][0], None)
        ]
        if site_relation == "site":
            stays.append(("ended", rooms["2"][1][0], today))
            world.placement_rooms = {r: rooms[f"V-{r}"][0] for r in (PLACED, UNPLACED)}
        for relation, bed, valid_to in stays:
            person = world.persons[relation]
            occupancies.append(
                Occupancy(
                    county_id=person.county_id,
                    bed=bed,
                    site=site,
                    person=person,
                    household_id=person.household_id,
                    valid_from=SINCE,
                    valid_to=valid_to,
                    move_in_reason=Occupancy.MoveInReason.ALLOCATION,
                    move_out_reason=Occupancy.MoveOutReason.FLAT if valid_to else "",
                )
            )
    Occupancy.objects.bulk_create(occupancies)

    # Announced for today: an allocation row, an arrival and one checklist task each.
    sources = {
        key: AllocationImport.objects.create(county=county, sha256=f"welt-{key}-{county.pk}")
        for key, county in ((OWN_COUNTY, world.county), (OTHER_COUNTY, world.other_county))
    }
    for relation in RELATIONS:
        person = world.persons[relation]
        county_key = OTHER_COUNTY if relation == OTHER_COUNTY else OWN_COUNTY
        Allocation.objects.create(
            county_id=person.county_id,
            number=f"Z-{relation}",
            source=sources[county_key],
            household_id=person.household_id,
            person=person,
            planned_arrival=today,
            fingerprint=f"welt-{relation}",
        )
        arrival = Arrival.objects.create(
            county_id=person.county_id, household_id=person.household_id, planned_on=today
        )
        world.arrivals[relation] = arrival
        world.tasks[relation] = ArrivalTask.objects.create(
            county_id=person.county_id,
            arrival=arrival,
            kind=ArrivalTask.Kind.BED_READY,
            owner_role=Role.SHELTER_MANAGER,
            due_at=timezone.now(),
        )

    # Finished recommendations: PLACED gets a room, UNPLACED none.
    for key in (OWN_COUNTY, OTHER_COUNTY):
        if key == OWN_COUNTY:
            placed, unplaced = world.persons[PLACED], world.persons[UNPLACED]
            room = world.placement_rooms[PLACED]
        else:  # the other county's only household, left without a room
            placed, unplaced, room = None, world.persons[OTHER_COUNTY], None
        result: dict[str, object] = {
            "status": "optimal",
            "objective": 1000,
            "bound": 1000,
            "placements": []
            if placed is None or room is None
            else [
                {
                    "household": f"H{placed.household_id}",
                    "rooms": [{"room": f"R{room.pk}", "members": [f"P{placed.pk}"]}],
                    "reasons": [],
                }
            ],
            "unplaced": [{"household": f"H{unplaced.household_id}", "reason": "Kein Platz"}],
        }
        world.runs[key] = PlacementRun.objects.create(
            county=world.county_of(key),
            window_from=today,
            window_to=today + timedelta(days=14),
            status=PlacementRun.Status.DONE,
            result=result,
        )

    # A finished claim run per county (reimbursement).
    for key in (OWN_COUNTY, OTHER_COUNTY):
        run = ClaimRun.objects.create(county=world.county_of(key), year=2025)
        run_claim(run.pk)
        world.claim_runs[key] = ClaimRun.objects.get(pk=run.pk)

    # Capacity planning.
    for key in (OWN_COUNTY, OTHER_COUNTY):
        county = world.county_of(key)
        world.scenarios[key] = Scenario.objects.create(county=county, name="Szenario Welt")
        world.changes[key] = CapacityChange.objects.create(
            county=county,
            scenario=world.scenarios[key],
            kind=CapacityChange.Kind.ARRIVALS_FACTOR,
            month=today.replace(day=1),
            factor=2,
        )
        world.doomed_scenarios[key] = {
            use: Scenario.objects.create(county=county, name=f"Zum Löschen ({use})")
            for use in ("web", "api")
        }

    # Allocation lists uploaded and checked, waiting for confirmation.
    content = allocation_csv("Z-WELT-1", "Hochgeladen", arrival=today + timedelta(days=7))
    checked = import_allocations(
        actor=None, county=world.county, file_name="liste.csv", content=content, dry_run=True
    ).as_json()
    owners = {"own": world.user, "colleague": world.colleague, OTHER_COUNTY: world.user}
    for relation in UPLOAD_RELATIONS:
        world.uploads[relation] = AllocationUpload.objects.create(
            county=world.county_of(relation),
            uploaded_by=owners[relation],
            file_name="liste.csv",
            content=content,
            sha256=f"{relation}-{world.user.pk}",
            result=checked,
        )
