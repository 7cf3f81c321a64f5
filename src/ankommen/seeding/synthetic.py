"""``ankommen seed``: deterministic synthetic persons in any county, for load and benchmarks.

The county is created with minimal organisation data if it does not exist (a known demo county
with its real municipalities, any other slug as a synthetic county). Households are spread over
the county's existing accommodation sites and social providers, ignoring capacity: this is load
data, not a plausible occupancy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ankommen.core.models import County, Municipality, Provider, Site
from ankommen.people.models import Household
from ankommen.seeding.assign import Assigner, OrgContext, SiteSlot, Team
from ankommen.seeding.demo import DEMO_COUNTIES, _ensure, ensure_county
from ankommen.seeding.generator import REFERENCE_DATE, Generator, HouseholdPlan
from ankommen.seeding.municipalities import ensure_municipalities
from ankommen.seeding.writer import record_load, write_households

MAX_PERSONS = 5_000_000
SYNTHETIC_SOURCE = "Synthetische Daten (ankommen seed)"
ACCOMMODATION_KINDS = (
    Site.Kind.SHARED_ACCOMMODATION,
    Site.Kind.APARTMENT_CLUSTER,
    Site.Kind.APARTMENT,
    Site.Kind.EMERGENCY,
)


@dataclass
class SeedResult:
    county: County
    counts: Counter[str]
    created_county: bool


def prefix_for(seed: int) -> str:
    return f"S{seed}"


# Names of synthetic rows are data, stored in German whatever the UI language.
def _synthetic_county(slug: str, created: Counter[str]) -> County:
    county = County.objects.filter(slug=slug).first()
    if county is not None:
        return county
    taken = set(County.objects.values_list("official_key", flat=True))
    # Keys 99001–99999 are not used by any German county: safe for synthetic counties.
    key = next((f"99{n:03d}" for n in range(1, 1000) if f"99{n:03d}" not in taken), None)
    if key is None:
        raise ValidationError(_("Kein freier Kreisschlüssel für einen synthetischen Landkreis."))
    created["counties"] += 1
    return County.objects.create(
        slug=slug,
        name=f"Synthetischer Landkreis {slug}",
        official_key=key,
        state="synthetisch",
    )


def _minimal_organisation(county: County, created: Counter[str]) -> OrgContext:
    """Sites and social providers of the county; a minimal set is created if there are none."""
    sites = list(Site._base_manager.filter(county=county, kind__in=ACCOMMODATION_KINDS))
    social = list(Provider._base_manager.filter(county=county, kind=Provider.Kind.SOCIAL))
    if not sites or not social:
        place = Municipality._base_manager.filter(county=county).order_by("pk").first()
        if place is None:
            place = _ensure(
                Municipality,
                {"county": county, "name": "Kreisstadt (synthetisch)"},
                {"kind": Municipality.Kind.TOWN, "source": SYNTHETIC_SOURCE},
                created,
                "municipalities",
            )
        operator = _ensure(
            Provider,
            {"county": county, "name": "Unterkunftsbetreiber (synthetisch)"},
            {"kind": Provider.Kind.SHELTER_OPERATOR},
            created,
            "providers",
        )
    if not sites:
        sites = [
            _ensure(
                Site,
                {"county": county, "name": f"Unterkunft {n:02d} (synthetisch)"},
                {
                    "kind": Site.Kind.SHARED_ACCOMMODATION,
                    "municipality": place,
                    "provider": operator,
                    "capacity": 200,
                },
                created,
                "sites",
            )
            for n in range(1, 11)
        ]
    if not social:
        social = [
            _ensure(
                Provider,
                {"county": county, "name": f"Sozialer Träger {n} (synthetisch)"},
                {"kind": Provider.Kind.SOCIAL},
                created,
                "providers",
            )
            for n in (1, 2, 3)
        ]
    return OrgContext(
        sites=[SiteSlot(s.pk, s.provider_id, s.kind, s.capacity) for s in sites],
        casework=[Team(p.pk) for p in sorted(social, key=lambda p: p.pk)],
        respect_capacity=False,
    )


def seed_persons(
    *,
    slug: str,
    persons: int,
    seed: int,
    on_chunk: Callable[[int], Any] | None = None,
) -> SeedResult:
    """Create exactly ``persons`` synthetic persons in the county ``slug``, in one transaction.

    Raises ``ValidationError`` (German message) for bad input or if this seed was already
    loaded into the county; nothing is written then."""
    if not 1 <= persons <= MAX_PERSONS:
        raise ValidationError(
            _("--persons muss zwischen 1 und %(max)d liegen, nicht %(n)d.")
            % {"max": MAX_PERSONS, "n": persons}
        )
    if seed < 0:
        raise ValidationError(_("--seed muss eine nicht-negative ganze Zahl sein."))
    created: Counter[str] = Counter()
    with transaction.atomic():
        existed = County.objects.filter(slug=slug).exists()
        spec = DEMO_COUNTIES.get(slug)
        if spec is not None:
            county = ensure_county(spec, created)
            if not existed:
                ensure_municipalities(county, spec.municipalities())
        else:
            county = _synthetic_county(slug, created)
        prefix = prefix_for(seed)
        already = Household._base_manager.filter(
            county=county, reference__startswith=f"{prefix}-"
        ).count()
        if already:
            raise ValidationError(
                _(
                    "Mit Seed %(seed)d wurden im Landkreis „%(slug)s“ bereits %(n)d Haushalte "
                    "angelegt. Nichts geändert; bitte einen anderen Seed wählen."
                )
                % {"seed": seed, "slug": slug, "n": already}
            )
        context = _minimal_organisation(county, created)
        generator = Generator(seed, prefix=prefix, reference_date=REFERENCE_DATE)
        assigner = Assigner(seed, context, reference_date=REFERENCE_DATE)

        def assigned() -> Iterator[HouseholdPlan]:
            for household in generator.households(persons):
                assigner.assign(household)
                yield household

        counts = write_households(county, assigned(), on_chunk=on_chunk)
        record_load(county, source="seed", counts=counts, seed=seed)
    if connection.vendor == "postgresql":
        # After a COPY load the planner still believes the tables are nearly empty and picks
        # plans ten times slower until autovacuum runs (docs/benchmarks.md, "Load").
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SeedResult(county, counts, created_county=not existed)
