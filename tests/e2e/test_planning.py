"""Journey: a planner builds a scenario and compares it with the baseline (issue 6, section 2).
Every page and the loaded results are screenshotted and checked with axe-core."""

from __future__ import annotations

import pytest

from ankommen.core.models import Role
from ankommen.housing import services as housing
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow


def test_planner_builds_a_scenario_and_compares_it_with_the_baseline(
    journey: Journey, world: World
) -> None:
    for number in ("1", "2"):
        housing.create_room(actor=None, site=world.site, number=number, beds=4)
    planner = world.staff(Role.PLANNER)
    journey.log_in(planner.username)
    page = journey.page
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Planung und Kosten", exact=True), "field")
    journey.follow(page.get_by_role("link", name="Kapazitätsplanung: Prognose"), "plan")
    # The results arrive after the live status (htmx); then the page is checked again.
    page.locator("#comparison").wait_for()
    assert "Wie gut war die Prognose bisher?" in journey.text()
    journey.check("plan-results")

    page.get_by_label("Name des Szenarios").fill("Zuweisungen × 2 ab März")
    journey.follow(page.get_by_role("button", name="Szenario anlegen"), "scenario")
    page.get_by_label("Art der Änderung").select_option("arrivals_factor")
    page.get_by_label("ab Monat").fill("2020-03")
    page.get_by_label("Faktor für die Zuweisungen").fill("2")
    journey.follow(page.get_by_role("button", name="Annahme hinzufügen"), "scenario-changed")
    assert "× 2" in journey.text()

    journey.follow(page.get_by_role("link", name="Mit der Basis vergleichen"), "compare")
    page.locator("#comparison").wait_for()
    headers = page.locator("#comparison thead th").all_inner_texts()
    assert headers[1:] == ["Basis", "Zuweisungen × 2 ab März"]
    assert page.get_by_role("heading", name="Zuweisungen × 2 ab März", level=3).is_visible()
    journey.check("compare-results")
