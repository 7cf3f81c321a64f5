"""The demo: Landkreis Oder-Spree with its real municipalities, invented organisations, about
1,500 synthetic persons and one login per role; and a small second county (Dahme-Spreewald)
whose data the first county's staff must never see.

Facts used: the county's key, seat and municipalities (see ``data/municipalities_oder_spree.csv``),
the county's *Amt für Ausländerangelegenheiten und Integration* and its GU "Am Fuchsbau" in Bad
Saarow-Petersdorf with up to 310 places, run by the county itself since 1 Feb 2019 (research
note ``domain.md`` 3.3 and 3.6). Everything else is invented: the providers' names are made up
and claim no contract with the county; other sites, capacities, staff and persons are fictitious.

Loading is idempotent: each step creates only what is missing, so a second run changes nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.allocation_samples import sample_rows, to_csv
from ankommen.casework.demo import build_casework
from ankommen.core.models import County, Membership, Municipality, Provider, Role, Scope, Site, User
from ankommen.finance.demo import build_finance_demo
from ankommen.health.demo import build_health
from ankommen.housing.demo import build_rooms_and_occupancy
from ankommen.housing.models import AllocationImport
from ankommen.housing.services_allocations import import_allocations
from ankommen.people.models import Household, Person
from ankommen.planning.data_intake import load_planning_data
from ankommen.planning.demo import build_planning_demo
from ankommen.seeding.assign import Assigner, OrgContext, SiteSlot, Team
from ankommen.seeding.generator import REFERENCE_DATE, Generator, HouseholdPlan
from ankommen.seeding.municipalities import MunicipalityRow, ensure_municipalities, load_rows
from ankommen.seeding.writer import record_load, write_households

DEMO_SEED = 12067
DEMO_PERSONS = 1500
# Shared password of all demo logins. The demo refuses to run in production mode.
DEMO_PASSWORD = "Ankommen-Demo-LOS"  # noqa: S105 – printed on purpose, demo only
MEMBERSHIP_START = date(2023, 1, 1)


@dataclass(frozen=True)
class SiteSpec:
    name: str
    kind: str
    municipality: str
    provider: str
    capacity: int
    address: str = ""


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    role: str
    scope: str
    provider: str = ""
    site: str = ""


@dataclass(frozen=True)
class CountySpec:
    slug: str
    name: str
    official_key: str
    state: str
    prefix: str
    persons: int
    seed: int
    municipalities: Callable[[], list[MunicipalityRow]]
    providers: Mapping[str, tuple[str, str]]  # key → (name, kind)
    sites: tuple[SiteSpec, ...]
    staff: tuple[StaffSpec, ...]
    casework: tuple[tuple[str, float], ...]  # provider key, weight
    caseload: dict[str, tuple[tuple[str, float], ...]]  # provider key → (username, weight)
    personal_share: float = 0.0
    coaching: tuple[str, str] | None = None  # provider key, username
    mentoring: tuple[str, str] | None = None


P = Provider.Kind
K = Site.Kind
OSP_PROVIDERS = {
    "amt": ("Amt für Ausländerangelegenheiten und Integration", P.COUNTY_OFFICE),
    "sozial_a": ("Brückenwerk Soziale Dienste e. V.", P.SOCIAL),
    "sozial_b": ("Lebenswege Migrationsberatung gGmbH", P.SOCIAL),
    "sozial_c": ("Nachbarschaftshilfe Spreebogen e. V.", P.SOCIAL),
    "betreiber_a": ("Heimstatt Unterkunftsbetriebe GmbH", P.SHELTER_OPERATOR),
    "betreiber_b": ("Wohnen am Fluss Betriebs-gGmbH", P.SHELTER_OPERATOR),
    "bildung_a": ("Sprachbrücke Bildungszentrum GmbH", P.COURSE),
    "bildung_b": ("Lernwerkstatt Schlaubetal e. V.", P.COURSE),
    "gesundheit": ("Fachdienst Gesundheit (Gesundheitsamt)", P.HEALTH),
    "ehrenamt": ("Willkommensnetz Scharmützelsee", P.VOLUNTEER),
}
FUCHSBAU = "GU Am Fuchsbau"
OSP_SITES = (
    SiteSpec(FUCHSBAU, K.SHARED_ACCOMMODATION, "Bad Saarow", "amt", 310, "Ortsteil Petersdorf"),
    SiteSpec(
        "GU Fürstenwalde Nord", K.SHARED_ACCOMMODATION, "Fürstenwalde/Spree", "betreiber_a", 160
    ),
    SiteSpec(
        "GU Fürstenwalde Süd", K.SHARED_ACCOMMODATION, "Fürstenwalde/Spree", "betreiber_b", 120
    ),
    SiteSpec("GU Eisenhüttenstadt", K.SHARED_ACCOMMODATION, "Eisenhüttenstadt", "betreiber_a", 150),
    SiteSpec("GU Erkner", K.SHARED_ACCOMMODATION, "Erkner", "betreiber_b", 110),
    SiteSpec("GU Schöneiche", K.SHARED_ACCOMMODATION, "Schöneiche bei Berlin", "betreiber_b", 90),
    SiteSpec("GU Beeskow", K.SHARED_ACCOMMODATION, "Beeskow", "betreiber_a", 90),
    SiteSpec("GU Storkow", K.SHARED_ACCOMMODATION, "Storkow (Mark)", "betreiber_a", 70),
    SiteSpec(
        "Wohnverbund Eisenhüttenstadt", K.APARTMENT_CLUSTER, "Eisenhüttenstadt", "betreiber_a", 60
    ),
    SiteSpec(
        "Wohnverbund Fürstenwalde", K.APARTMENT_CLUSTER, "Fürstenwalde/Spree", "betreiber_b", 48
    ),
    SiteSpec("Wohnverbund Beeskow", K.APARTMENT_CLUSTER, "Beeskow", "amt", 36),
    SiteSpec("Wohnverbund Grünheide", K.APARTMENT_CLUSTER, "Grünheide (Mark)", "betreiber_b", 30),
    SiteSpec("Gewährleistungswohnungen Storkow", K.APARTMENT, "Storkow (Mark)", "amt", 24),
    SiteSpec(
        "Notunterkunft Sporthalle Fürstenwalde", K.EMERGENCY, "Fürstenwalde/Spree", "amt", 100
    ),
    SiteSpec(
        "Amt für Ausländerangelegenheiten und Integration – Dienstsitz Beeskow",
        K.OFFICE,
        "Beeskow",
        "amt",
        0,
        "Breitscheidstraße 7, 15848 Beeskow",
    ),
    SiteSpec("Migrationsberatung Fürstenwalde", K.OFFICE, "Fürstenwalde/Spree", "sozial_a", 0),
    SiteSpec("Migrationsberatung Eisenhüttenstadt", K.OFFICE, "Eisenhüttenstadt", "sozial_b", 0),
    SiteSpec("Beratungsstelle Erkner", K.OFFICE, "Erkner", "sozial_c", 0),
    SiteSpec("Gesundheitsdienst – Sprechstunde Beeskow", K.OFFICE, "Beeskow", "gesundheit", 0),
    SiteSpec("Sprachkurszentrum Fürstenwalde", K.OFFICE, "Fürstenwalde/Spree", "bildung_a", 0),
    SiteSpec("Lernwerkstatt Müllrose", K.OFFICE, "Müllrose", "bildung_b", 0),
    SiteSpec("Begegnungscafé Bad Saarow", K.OFFICE, "Bad Saarow", "ehrenamt", 0),
)
R = Role
S = Scope
OSP_STAFF = (
    StaffSpec("admin", "Katrin Vogel", R.COUNTY_ADMIN, S.COUNTY),
    StaffSpec("sachbearbeitung", "Thomas Berger", R.COUNTY_CASEWORKER, S.COUNTY),
    StaffSpec("heimleitung", "Sabine Krüger", R.SHELTER_MANAGER, S.FACILITY, "amt", FUCHSBAU),
    StaffSpec("sozialarbeit", "Jonas Hartmann", R.PROVIDER_CASEWORKER, S.PROVIDER, "sozial_a"),
    StaffSpec("fallarbeit", "Leyla Aydın", R.PROVIDER_CASEWORKER, S.CASELOAD, "sozial_a"),
    StaffSpec("gesundheit", "Dr. Anja Roth", R.HEALTH_STAFF, S.COUNTY, "gesundheit"),
    StaffSpec("bildung", "Martin Schulze", R.EDUCATION_COORDINATOR, S.COUNTY),
    StaffSpec("jobcoach", "Nadine Fischer", R.JOB_COACH, S.CASELOAD, "bildung_a"),
    StaffSpec(
        "ehrenamtskoordination", "Peter Neumann", R.VOLUNTEER_COORDINATOR, S.PROVIDER, "ehrenamt"
    ),
    StaffSpec("ehrenamt", "Hannelore Weiß", R.VOLUNTEER, S.CASELOAD, "ehrenamt"),
    StaffSpec("planung", "Stefan Lorenz", R.PLANNER, S.COUNTY),
    StaffSpec("revision", "Birgit Wagner", R.AUDITOR, S.COUNTY),
)

ODER_SPREE = CountySpec(
    slug="oder-spree",
    name="Landkreis Oder-Spree",
    official_key="12067",
    state="Brandenburg",
    prefix="LOS",
    persons=DEMO_PERSONS,
    seed=DEMO_SEED,
    municipalities=load_rows,
    providers=OSP_PROVIDERS,
    sites=OSP_SITES,
    staff=OSP_STAFF,
    casework=(("sozial_a", 0.45), ("sozial_b", 0.35), ("sozial_c", 0.20)),
    caseload={"sozial_a": (("fallarbeit", 1.0), ("sozialarbeit", 2.0))},
    personal_share=0.6,
    coaching=("bildung_a", "jobcoach"),
    mentoring=("ehrenamt", "ehrenamt"),
)


def _lds_municipalities() -> list[MunicipalityRow]:
    # Only two towns, enough for the demo's one site; not checked against official lists.
    return [
        MunicipalityRow("Lübben (Spreewald)", "stadt", "", "", None, "U", (), "Demo-Auswahl"),
        MunicipalityRow("Königs Wusterhausen", "stadt", "", "", None, "U", (), "Demo-Auswahl"),
    ]


DAHME_SPREEWALD = CountySpec(
    slug="dahme-spreewald",
    name="Landkreis Dahme-Spreewald",
    official_key="12061",
    state="Brandenburg",
    prefix="LDS",
    persons=24,
    seed=12061,
    municipalities=_lds_municipalities,
    providers={"amt": ("Sozialamt – Sachgebiet Asyl (Demo)", P.COUNTY_OFFICE)},
    sites=(SiteSpec("GU Lübben (Demo)", K.SHARED_ACCOMMODATION, "Lübben (Spreewald)", "amt", 60),),
    staff=(StaffSpec("lds-admin", "Frank Richter", R.COUNTY_ADMIN, S.COUNTY),),
    casework=(("amt", 1.0),),
    caseload={},
)
del P, K, R, S

DEMO_COUNTIES = {spec.slug: spec for spec in (ODER_SPREE, DAHME_SPREEWALD)}
# The neighbour loaded with each demo county, to show that data never crosses counties.
NEIGHBOURS = {"oder-spree": "dahme-spreewald"}


@dataclass
class LoadResult:
    county: County
    created: Counter[str]
    logins: list[dict[str, str]]


def _ensure(
    model: type[Any],
    lookup: dict[str, Any],
    wanted: dict[str, Any],
    created: Counter[str],
    key: str,
) -> Any:
    """Get or create one row; bring its fields to ``wanted``; count what changed."""
    row = model._base_manager.filter(**lookup).first()
    if row is None:
        row = model._base_manager.create(**lookup, **wanted)
        created[key] += 1
    elif any(getattr(row, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(row, field, value)
        row.save()
        created[key] += 1
    return row


def ensure_county(spec: CountySpec, created: Counter[str]) -> County:
    clash = County.objects.filter(official_key=spec.official_key).exclude(slug=spec.slug).first()
    if clash is not None:
        raise ValidationError(
            _("Der Kreisschlüssel %(key)s gehört schon zum Landkreis „%(slug)s“.")
            % {"key": spec.official_key, "slug": clash.slug}
        )
    county: County = _ensure(
        County,
        {"slug": spec.slug},
        {"name": spec.name, "official_key": spec.official_key, "state": spec.state},
        created,
        "counties",
    )
    return county


def load_county(spec: CountySpec, *, on_chunk: Callable[[int], Any] | None = None) -> LoadResult:
    """Load one demo county; a second call changes nothing."""
    created: Counter[str] = Counter()
    with transaction.atomic():
        county = ensure_county(spec, created)
        created["municipalities"] += ensure_municipalities(county, spec.municipalities())
        places = {m.name: m for m in Municipality._base_manager.filter(county=county)}
        providers = {
            key: _ensure(
                Provider, {"county": county, "name": name}, {"kind": kind}, created, "providers"
            )
            for key, (name, kind) in spec.providers.items()
        }
        sites = {
            item.name: _ensure(
                Site,
                {"county": county, "name": item.name},
                {
                    "kind": item.kind,
                    "municipality": places[item.municipality],
                    "provider": providers[item.provider],
                    "capacity": item.capacity,
                    "address": item.address,
                },
                created,
                "sites",
            )
            for item in spec.sites
        }
        users = {}
        logins = []
        password_hash = ""
        for staff in spec.staff:
            user = User.objects.filter(username=staff.username).first()
            if user is None:
                # Argon2 is slow on purpose: hash the shared demo password once per load.
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user = User.objects.create(
                    username=staff.username,
                    display_name=staff.display_name,
                    password=password_hash,
                )
                created["users"] += 1
            users[staff.username] = user
            membership = {
                "user": user,
                "county": county,
                "role": staff.role,
                "scope": staff.scope,
                "provider": providers[staff.provider] if staff.provider else None,
                "site": sites[staff.site] if staff.site else None,
            }
            if not Membership.objects.filter(**membership).exists():
                Membership.objects.create(**membership, valid_from=MEMBERSHIP_START)
                created["memberships"] += 1
            logins.append(
                {
                    "username": staff.username,
                    "name": staff.display_name,
                    "role": staff.role,
                    "role_label": str(Role(staff.role).label),
                    "scope": staff.scope,
                    "scope_label": str(Scope(staff.scope).label),
                    "target": staff.site
                    or (providers[staff.provider].name if staff.provider else county.name),
                }
            )
        prefix = f"{spec.prefix}-"
        if not Household._base_manager.filter(county=county, reference__startswith=prefix).exists():
            context = _context(spec, providers, sites, users)
            assigner = Assigner(spec.seed, context, reference_date=REFERENCE_DATE)
            generator = Generator(spec.seed, prefix=spec.prefix, reference_date=REFERENCE_DATE)

            def assigned() -> Iterator[HouseholdPlan]:
                for household in generator.households(spec.persons):
                    assigner.assign(household)
                    yield household

            counts = write_households(county, assigned(), on_chunk=on_chunk)
            created.update(counts)
            record_load(county, source="demo", counts=counts, seed=spec.seed)
        # Rooms, beds and dated occupancy for the accommodation responsibilities (idempotent).
        housing = build_rooms_and_occupancy(county, random.Random(spec.seed))
        created.update({key: value for key, value in housing.items() if value})
        # Health: placeholder RHS texts, consultation hours, a few records (idempotent).
        created.update(build_health(county, random.Random(spec.seed)))
        # Benefit periods, income, invoices, facility costs and payments (idempotent).
        created.update(build_finance_demo(county, random.Random(spec.seed)))
        # Cases, contacts and referrals of Migrationssozialarbeit (idempotent).
        casework = build_casework(county, random.Random(spec.seed))
        created.update({key: value for key, value in casework.items() if value})
    return LoadResult(county, created, logins)


def _context(
    spec: CountySpec,
    providers: dict[str, Provider],
    sites: dict[str, Site],
    users: dict[str, User],
) -> OrgContext:
    slots = [
        SiteSlot(site.pk, site.provider_id, site.kind, site.capacity)
        for site in sites.values()
        if site.kind != Site.Kind.OFFICE
    ]
    teams = [
        Team(
            providers[key].pk,
            weight,
            [(users[name].pk, share) for name, share in spec.caseload.get(key, ())],
            spec.personal_share if key in spec.caseload else 0.0,
        )
        for key, weight in spec.casework
    ]

    def single(pair: tuple[str, str] | None) -> Team | None:
        if pair is None:
            return None
        return Team(providers[pair[0]].pk, 1.0, [(users[pair[1]].pk, 1.0)], 1.0)

    return OrgContext(
        sites=slots,
        casework=teams,
        coaching=single(spec.coaching),
        coaching_share=0.25,
        mentoring=single(spec.mentoring),
        mentoring_share=0.012,
    )


def county_counts(county: County) -> dict[str, int]:
    return {
        "municipalities": Municipality._base_manager.filter(county=county).count(),
        "providers": Provider._base_manager.filter(county=county).count(),
        "sites": Site._base_manager.filter(county=county).count(),
        "households": Household._base_manager.filter(county=county).count(),
        "persons": Person._base_manager.filter(county=county).count(),
        "logins": Membership.objects.filter(county=county).values("user").distinct().count(),
    }


def load_demo(
    slug: str, *, on_chunk: Callable[[int], Any] | None = None
) -> tuple[LoadResult, list[LoadResult]]:
    """Load the demo county ``slug`` and its neighbour. Raises ``KeyError`` for unknown slugs."""
    spec = DEMO_COUNTIES[slug]
    main = load_county(spec, on_chunk=on_chunk)
    main.created.update(announce_arrivals(main.county, seed=spec.seed))
    main.created.update({k: v for k, v in build_planning_demo(main.county).items() if v})
    others = [load_county(DEMO_COUNTIES[n]) for n in [NEIGHBOURS.get(slug)] if n]
    planning = load_planning_data([main.county, *(o.county for o in others)])
    main.created.update({f"planning_{key}": n for key, n in planning.items()})
    return main, others


ANNOUNCED_PERSONS = 60


def announce_arrivals(county: County, *, seed: int) -> dict[str, int]:
    """Import one allocation list of households announced for the coming four weeks, so the
    arrival board, the checklists and the placement recommendation have work to show. Runs
    through the real import (validation, checklists, audit); skipped once the county has one."""
    if AllocationImport.objects.filter(county=county).exists():
        return {}
    rows = sample_rows(ANNOUNCED_PERSONS, seed=seed, start=timezone.localdate() + timedelta(days=1))
    result = import_allocations(
        actor=None, county=county, file_name="Zuweisungsliste-Demo.csv", content=to_csv(rows)
    )
    if result.errors:
        raise RuntimeError(f"Demo-Zuweisungsliste fehlerhaft: {result.errors[:3]}")
    return {"announced_persons": ANNOUNCED_PERSONS}
