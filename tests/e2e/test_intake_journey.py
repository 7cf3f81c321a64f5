"""A planner's journey through intake planning: the prior with its chain, a series upload with
a line error, the Aufnahmesoll with a new year's quota, the Freimeldung and its file. axe-core
checks every page (tests/e2e/journey.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ankommen.core.models import Role
from ankommen.housing import services as housing
from ankommen.planning.data_intake import load_planning_data
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow


def test_planner_works_through_intake_planning(
    journey: Journey, world: World, tmp_path: Path
) -> None:
    world.county.official_key = "12067"
    world.county.save()
    load_planning_data()
    housing.create_room(
        actor=None, site=world.site, number="7", beds=4, valid_from=date(2024, 1, 1)
    )
    page = journey.page
    journey.log_in(world.staff(Role.PLANNER).username)
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Planung und Kosten"), "field-planning")
    journey.follow(page.get_by_role("link", name="Prior aus Bundesreihen"), "prior")
    assert page.locator("svg polyline").count() >= 1
    assert "3,03655" in journey.text() or "3.03655" in journey.text()

    bad = tmp_path / "reihe.csv"
    bad.write_text("month,value\n2022-03,1000\n2022-05,x\n", encoding="utf-8")
    page.get_by_label("CSV-Datei").set_input_files(str(bad))
    page.get_by_label("Name der Reihe").fill("Schutzsuchende Ukraine")
    page.get_by_label("Speist den Strom").select_option("p24")
    journey.submit(page.get_by_role("button", name="Hochladen").click, "upload-error")
    assert "Zeile 3: Wert „x“ ist keine Zahl." in journey.text()
    good = tmp_path / "gut.csv"
    good.write_text("month,value\n2022-03,1000\n2022-04,2000\n", encoding="utf-8")
    page.get_by_label("CSV-Datei").set_input_files(str(good))
    page.get_by_label("Name der Reihe").fill("Schutzsuchende Ukraine")
    page.get_by_label("Speist den Strom").select_option("p24")
    journey.submit(page.get_by_role("button", name="Hochladen").click, "upload-done")
    assert "Reihe „Schutzsuchende Ukraine“ mit 2 Monaten gespeichert." in journey.text()
    streams = page.get_by_role("table").filter(has_text="Monate mit Prior").inner_text()
    assert "Schutzsuchende Ukraine" in streams
    assert "2022-04" in journey.text()  # 2,000 × 3.03655 % × 8.668 %, no lag

    journey.follow(page.get_by_role("link", name="Aufnahmesoll").first, "aufnahmesoll")
    page.get_by_label("Jahr", exact=True).last.fill(str(date.today().year))
    page.get_by_label("Aufnahmesoll (Personen)").fill("420")
    page.get_by_label("Quelle", exact=True).fill("Schreiben des Landesamts")
    journey.submit(page.get_by_role("button", name="Speichern").click, "aufnahmesoll-saved")
    assert "Das Aufnahmesoll wurde gespeichert." in journey.text()
    assert "420" in page.get_by_role("table").inner_text()

    journey.follow(page.get_by_role("link", name="Freimeldung").first, "freimeldung")
    assert "Gemeinschaftsunterkunft Am See" in journey.text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Als XLSX herunterladen").click()
    assert download.value.suggested_filename.endswith(".xlsx")
