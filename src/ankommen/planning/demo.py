"""Demo data for the capacity plan: a cost per place and one scenario (idempotent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ankommen.core.models import County
from ankommen.planning import services
from ankommen.planning.models import PlaceCost, Scenario

# The Land's yearly lump sum per person in shared accommodation for Oder-Spree (7,039.47 € from
# 2021, LAufnGErstV; docs/planning.md) spread over 12 months: a stand-in for the county's real
# cost per place, which its contracts hold. ASSUMPTION for the demo.
DEMO_COST = Decimal("586.62")
DEMO_COST_SOURCE = (
    "Annahme (Demo): Jahrespauschale Gemeinschaftsunterkunft 7.039,47 € (LAufnGErstV, ab 2021) "
    "÷ 12; die tatsächlichen Kosten stehen in den Betreiberverträgen"
)
# The county planned to grow the Fuchsbau from about 300 to 500 places as a reserve (rbb24,
# 14 Mar 2024): container places as a scenario.
DEMO_SCENARIO = "Containerplätze am Fuchsbau ab Mai"


@transaction.atomic
def build_planning_demo(county: County) -> dict[str, int]:
    created = {"place_costs": 0, "scenarios": 0}
    today = timezone.localdate()
    if not PlaceCost.objects.filter(county=county).exists():
        services.set_place_cost(
            actor=None,
            county=county,
            monthly_per_place=DEMO_COST,
            valid_from=date(today.year, 1, 1),
            source=DEMO_COST_SOURCE,
        )
        created["place_costs"] = 1
    if not Scenario.objects.filter(county=county).exists():
        scenario = services.create_scenario(
            actor=None,
            county=county,
            name=DEMO_SCENARIO,
            description="190 zusätzliche Plätze in Containern, 20 davon barrierefrei.",
        )
        may = date(today.year + (1 if today.month >= 5 else 0), 5, 1)
        services.add_change(
            actor=None,
            county=county,
            scenario=scenario,
            data={
                "kind": "open_site",
                "month": may,
                "places": 190,
                "family_places": 120,
                "barrier_free_places": 20,
            },
        )
        created["scenarios"] = 1
    return created
