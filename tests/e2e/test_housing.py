"""Journeys of the Unterbringung (issue 5) in a real browser: an allocation list imported after
a first file with errors, a placement recommendation watched live and accepted or changed, a
household checked in after its arrival checklist, moves to another facility and out to a flat,
and a shelter manager denied another facility. Every page is screenshotted and axe-checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.utils import timezone

from ankommen.algorithms.allocation_samples import to_csv
from ankommen.core.models import Role, Site
from ankommen.housing import recommend, services
from ankommen.housing.models import Allocation, Arrival, Feature, Occupancy
from ankommen.housing.services_allocations import import_allocations
from ankommen.people.models import Household, Person
from tests.e2e.conftest import World
from tests.e2e.journey import Journey
from tests.factories import MunicipalityFactory, SiteFactory

pytestmark = pytest.mark.slow


def _row(**changes: str) -> dict[str, str]:
    base = {
        "Zuweisungsnummer": "Z-1",
        "Haushalt": "HH-Z-1",
        "Nachname": "Haddad",
        "Vorname": "Rania",
        "Geburtsdatum": "00.00.1988",
        "Geschlecht": "w",
        "Staatsangehörigkeit": "Syrien",
        "Sprachen": "ara",
        "Aufenthaltsstatus": "Aufenthaltsgestattung",
        "Ankunft": timezone.localdate().strftime("%d.%m.%Y"),
        "Bedarfe": "",
    }
    return base | changes


def _announced_rows() -> list[dict[str, str]]:
    """A mother in a wheelchair who needs psychosocial support with her son, and a single man."""
    return [
        _row(Bedarfe="rollstuhl, psychosozial"),
        _row(Zuweisungsnummer="Z-2", Vorname="Sami", Geburtsdatum="14.07.2015", Geschlecht="m"),
        _row(
            Zuweisungsnummer="Z-3",
            Haushalt="HH-Z-2",
            Nachname="Tesfay",
            Vorname="Dawit",
            Geburtsdatum="00.00.1999",
            Geschlecht="m",
            Staatsangehörigkeit="ERI",
            Sprachen="Tigrinya",
        ),
    ]


def _facility(world: World, name: str, rooms: dict[str, int], **flags: bool) -> Site:
    site = SiteFactory(
        county=world.county,
        provider=world.provider,
        municipality=MunicipalityFactory(county=world.county),
        name=name,
    )
    for number, beds in rooms.items():
        services.create_room(
            actor=None,
            site=site,
            number=number,
            beds=beds,
            valid_from=date(2024, 1, 1),
            **flags,
        )
    return site


def _import(world: World, rows: list[dict[str, str]]) -> None:
    result = import_allocations(
        actor=None, county=world.county, file_name="land.csv", content=to_csv(rows)
    )
    assert result.ok, result.errors


def _counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Household.objects.count(),
        Allocation.objects.count(),
        Arrival.objects.count(),
    )


def test_import_with_errors_changes_nothing_then_a_valid_list_reaches_the_arrival_board(
    journey: Journey, world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False
    page = journey.page
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Unterbringung", exact=True), "field")
    journey.follow(page.get_by_role("link", name="Zuweisungsliste importieren"), "upload")
    before = _counts()

    broken = _announced_rows()
    broken[1]["Geburtsdatum"] = "31.02.2015"
    broken[2]["Geschlecht"] = "q"
    broken[2]["Nachname"] = ""
    page.get_by_label("Zuweisungsliste (CSV oder XLSX)").set_input_files(
        files=[{"name": "land-fehler.csv", "mimeType": "text/csv", "buffer": to_csv(broken)}]
    )
    journey.follow(page.get_by_role("button", name="Datei prüfen"), "preview-errors")
    errors = page.get_by_role("table", name=re.compile("Fehler in der Datei"))
    cells = [
        [cell.inner_text() for cell in row.get_by_role("cell").all()]
        for row in errors.locator("tbody tr").all()
    ]
    by_place = {(line, column): message for line, column, message in cells}
    assert set(by_place) == {("3", "Geburtsdatum"), ("4", "Nachname"), ("4", "Geschlecht")}
    assert by_place[("3", "Geburtsdatum")] == "Den Tag 31 gibt es im Monat 2/2015 nicht."
    assert "keine gültige Angabe (m, w, d oder x)" in by_place[("4", "Geschlecht")]
    assert "Nachname" in by_place[("4", "Nachname")]
    assert page.get_by_role("heading", name="3 Fehler").is_visible()
    assert page.get_by_role("button", name=re.compile("importieren")).count() == 0
    assert _counts() == before, "a file with errors changes nothing"

    journey.follow(page.get_by_role("link", name="Korrigierte Datei hochladen"), "upload-again")
    page.get_by_label("Zuweisungsliste (CSV oder XLSX)").set_input_files(
        files=[{"name": "land.csv", "mimeType": "text/csv", "buffer": to_csv(_announced_rows())}]
    )
    journey.follow(page.get_by_role("button", name="Datei prüfen"), "preview")
    rows = page.get_by_role("table", name="Alle Zeilen der Datei, nach Haushalten geordnet.")
    assert "Rania Haddad" in rows.inner_text()
    assert "Dawit Tesfay" in rows.inner_text()
    assert "Rollstuhl" in rows.inner_text()
    assert _counts() == before, "the preview changes nothing"

    # Confirming runs the import and swaps in its status (htmx): no page load.
    page.get_by_role("button", name="3 Personen importieren").click()
    status = page.get_by_role("status").filter(has_text="importiert")
    status.wait_for()
    journey.check("imported")
    persons, _households, allocations, arrivals = _counts()
    assert (persons - before[0], allocations, arrivals) == (3, 3, 2)

    journey.follow(page.get_by_role("link", name="Zur Ankunftstafel"), "arrival-board")
    board = page.get_by_role("table", name="2 angekündigte Haushalte")
    assert "HH-Z-1" in board.inner_text()
    assert "HH-Z-2" in board.inner_text()
    assert "Arabisch" in board.inner_text()


class HeldWorker:
    """Stands in for the background executor: keeps the submitted runs until the test lets
    them run (in the test thread, whose database connection the live server shares)."""

    def __init__(self) -> None:
        self.runs: list[int] = []

    def submit(self, function: Callable[[int], None], run_id: int) -> None:
        self.runs.append(run_id)

    def run(self) -> None:
        for run_id in self.runs:
            recommend.run_placement(run_id)
        self.runs.clear()


def _placement_world(world: World) -> tuple[Site, Site]:
    calm = _facility(world, "GU Lindenhof", {"101": 2, "102": 2}, barrier_free=True)
    services.set_facility_features(actor=None, site=calm, features=[Feature.PSYCHOSOCIAL])
    plain = _facility(world, "GU Bahnhofstraße", {"201": 1, "202": 4})
    _import(world, _announced_rows())
    return calm, plain


def test_placement_is_computed_live_then_accepted_and_changed(
    journey: Journey, world: World, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    settings.ANKOMMEN_PLACEMENT_IN_BACKGROUND = True
    worker = HeldWorker()
    monkeypatch.setattr(recommend, "_executor", worker)
    calm, plain = _placement_world(world)
    page = journey.page
    # The page polls its status; with the sync API a routed request waits for the test thread,
    # so no poll reaches the server while the test computes the run on the shared connection.
    page.route("**/vorschlag/*/status/", lambda route: route.continue_())
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Unterbringung", exact=True), "field")
    journey.follow(
        page.get_by_role("link", name="Unterbringungsvorschlag für angekündigte Haushalte"),
        "placement",
    )
    journey.follow(page.get_by_role("button", name="Vorschlag berechnen"), "placement-run")

    # The status polls itself until the solver has finished.
    assert "Der Vorschlag wird berechnet" in journey.text()
    assert page.locator("[hx-trigger='every 2s']").count() == 1
    worker.run()
    result = page.get_by_role("status").filter(has_text="Haushalte untergebracht")
    result.wait_for(timeout=30_000)
    journey.check("placement-done")
    assert "2 Haushalte untergebracht, 0 ohne Platz." in result.inner_text()
    assert "nachweislich optimal" in result.inner_text()
    table = page.get_by_role("table", name="Vorgeschlagene Unterbringung")
    family = table.get_by_role("row").filter(has_text="HH-Z-1")
    assert "GU Lindenhof" in family.inner_text()
    assert "barrierefreies Zimmer benötigt" in family.inner_text()
    assert "psychosoziale Betreuung vor Ort" in family.inner_text()

    journey.follow(
        page.get_by_role("button", name="Vorschlag für HH-Z-1 übernehmen"), "family-accepted"
    )
    assert "1 Haushalt(e) untergebracht." in journey.text()
    family = page.get_by_role("table", name="Vorgeschlagene Unterbringung").get_by_role(
        "row", name=re.compile("HH-Z-1")
    )
    assert "übernommen" in family.inner_text()

    # Staff choose another room for the single man than the recommended single room 201.
    man_row = page.get_by_role("table", name="Vorgeschlagene Unterbringung").get_by_role(
        "row", name=re.compile("HH-Z-2")
    )
    assert "Zimmer 201: Dawit Tesfay" in man_row.inner_text()
    journey.follow(
        page.get_by_role("link", name=re.compile(r"^Ändern\s*: anderes Zimmer für HH-Z-2")),
        "change-rooms",
    )
    page.get_by_label(re.compile("GU Bahnhofstraße, Zimmer 202")).check()
    journey.follow(page.get_by_role("button", name="Unterbringen"), "changed")
    assert "Haushalt HH-Z-2 untergebracht." in journey.text()

    journey.follow(page.get_by_role("link", name="HH-Z-2"), "man-housing")
    beds = page.get_by_role("table", name="Wer heute in welchem Bett schläft").inner_text()
    assert re.search(r"Dawit Tesfay\s+GU Bahnhofstraße\s+202\s", beds), beds
    man = Person.objects.get(given_names="Dawit")
    stay = Occupancy.objects.get(person=man)
    assert (stay.site_id, stay.bed.room.number) == (plain.pk, "202")
    mother = Person.objects.get(given_names="Rania")
    assert Occupancy.objects.get(person=mother).site_id == calm.pk
    assert Occupancy.objects.get(person=mother).bed.room.barrier_free


def test_a_household_arrives_its_checklist_is_done_and_it_checks_in(
    journey: Journey, world: World
) -> None:
    lindenhof = _facility(world, "GU Lindenhof", {"101": 2, "102": 2}, barrier_free=True)
    _import(world, _announced_rows()[:2])
    page = journey.page
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Unterbringung", exact=True), "field")
    journey.follow(page.get_by_role("link", name="Ankunftstafel"), "arrival-board")
    board = page.get_by_role("table", name="1 angekündigter Haushalt")
    assert "0 von 6 erledigt" in board.inner_text()
    journey.follow(board.get_by_role("link", name="HH-Z-1"), "arrival")

    checklist = page.get_by_role("table").filter(has_text="Aufgabe")
    tasks = checklist.get_by_role("button", name=re.compile(r"^erledigt\s*: "))
    assert tasks.count() == 6
    for number in range(6):
        journey.follow(tasks.first, f"task-{number + 1}-done")
    assert checklist.get_by_role("button", name=re.compile(r"^erledigt\s*: ")).count() == 0
    assert checklist.inner_text().count("erledigt von Test Sachbearbeitung") == 6

    journey.follow(
        page.get_by_role("link", name=re.compile("^Einchecken: Betten zuweisen")), "housing"
    )
    assert "Der Haushalt hat heute kein Bett in einer Unterkunft." in journey.text()
    page.get_by_label(re.compile("GU Lindenhof, Zimmer 101: 2 frei")).check()
    assert page.get_by_label("Datum").input_value() == timezone.localdate().isoformat()
    journey.follow(page.get_by_role("button", name="Einzug eintragen"), "checked-in")
    assert "Einzug nach GU Lindenhof eingetragen." in journey.text()
    beds = page.get_by_role("table", name="Wer heute in welchem Bett schläft").inner_text()
    assert re.search(r"Rania Haddad\s+GU Lindenhof\s+101\s", beds), beds
    assert re.search(r"Sami Haddad\s+GU Lindenhof\s+101\s", beds), beds
    assert Occupancy.objects.filter(site=lindenhof, valid_to__isnull=True).count() == 2

    journey.visit("/unterbringung/ankuenfte/", "board-after")
    assert "6 von 6 erledigt" in journey.text()


def _housed(world: World) -> tuple[Site, Site, Site]:
    """The Al-Hassan family and Olena Kovalenko live in GU Lindenhof since June 2025."""
    lindenhof = _facility(world, "GU Lindenhof", {"101": 2, "102": 2})
    bahnhof = _facility(world, "GU Bahnhofstraße", {"201": 2})
    flat = SiteFactory(
        county=world.county,
        provider=world.provider,
        municipality=lindenhof.municipality,
        name="Wohnung Lindenstraße 4",
        kind=Site.Kind.APARTMENT,
    )
    rooms = {room.number: room for room in lindenhof.rooms.all()}
    for household, number in ((world.family, "101"), (world.other_household, "102")):
        services.move_household(
            actor=None,
            household=household,
            day=date(2025, 6, 2),
            reason="allocation",
            rooms=[rooms[number]],
        )
    return lindenhof, bahnhof, flat


def test_a_move_to_another_facility_and_one_out_to_a_flat_show_in_the_timeline(
    journey: Journey, world: World
) -> None:
    _lindenhof, bahnhof, flat = _housed(world)
    page = journey.page
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)

    journey.visit(f"/haushalte/{world.family.pk}/", "family")
    journey.follow(
        page.get_by_role("link", name="Unterbringung dieses Haushalts: Betten, Umzüge, Auszug"),
        "family-housing",
    )
    page.get_by_label(re.compile("GU Bahnhofstraße, Zimmer 201: 2 frei")).check()
    page.get_by_label("Grund", exact=True).first.select_option(label="Belegungsausgleich")
    journey.follow(page.get_by_role("button", name="Umzug eintragen"), "family-moved")
    assert "Umzug nach GU Bahnhofstraße eingetragen." in journey.text()
    beds = page.get_by_role("table", name="Wer heute in welchem Bett schläft").inner_text()
    assert re.search(r"Muhammad Al-Hassan\s+GU Bahnhofstraße\s+201\s", beds), beds
    moves = page.locator("ol.timeline").inner_text()
    assert "Umzug aus GU Lindenhof nach GU Bahnhofstraße (Belegungsausgleich)" in moves
    assert "Einzug nach GU Lindenhof (Zuweisung an den Landkreis)" in moves

    journey.visit(f"/unterbringung/haushalte/{world.other_household.pk}/", "olena-housing")
    move_out = page.locator("form").filter(has=page.get_by_role("button", name="Auszug eintragen"))
    move_out.get_by_label("Grund").select_option(label="Wohnung bezogen")
    move_out.get_by_label("Wohnung des Landkreises").select_option(label=flat.name)
    journey.follow(move_out.get_by_role("button", name="Auszug eintragen"), "olena-moved-out")
    assert "Auszug eingetragen." in journey.text()
    assert "Der Haushalt hat heute kein Bett in einer Unterkunft." in journey.text()
    assert (
        "Auszug aus GU Lindenhof nach Wohnung Lindenstraße 4"
        in page.locator("ol.timeline").inner_text()
    )

    journey.visit(f"/haushalte/{world.other_household.pk}/", "olena-timeline")
    timeline = page.locator("ol.timeline").inner_text()
    assert "Einzug in GU Lindenhof (Zuweisung an den Landkreis)" in timeline
    assert "Auszug aus GU Lindenhof in Wohnung Lindenstraße 4 (Wohnung bezogen)" in timeline
    journey.visit(f"/haushalte/{world.family.pk}/", "family-timeline")
    assert (
        "Umzug von GU Lindenhof nach GU Bahnhofstraße (Belegungsausgleich)"
        in page.locator("ol.timeline").inner_text()
    )
    assert Occupancy.objects.filter(site=bahnhof, valid_to__isnull=True).count() == 2


def test_a_shelter_manager_sees_only_their_own_facility(journey: Journey, world: World) -> None:
    lindenhof, _bahnhof, _flat = _housed(world)
    services.create_room(
        actor=None, site=world.site, number="1", beds=4, valid_from=date(2024, 1, 1)
    )
    page = journey.page
    journey.log_in(world.staff(Role.SHELTER_MANAGER).username)
    nav = page.get_by_role("navigation", name="Handlungsfelder")
    journey.follow(nav.get_by_role("link", name="Unterbringung", exact=True), "field")
    journey.follow(page.get_by_role("link", name="Belegung der Unterkünfte"), "overview")
    facilities = page.get_by_role("table", name="Betten und Belegung je Unterkunft")
    assert "Gemeinschaftsunterkunft Am See" in facilities.inner_text()
    assert "Lindenhof" not in journey.text()
    journey.follow(
        facilities.get_by_role("link", name="Gemeinschaftsunterkunft Am See"), "own-facility"
    )
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Gemeinschaftsunterkunft Am See")
    )

    for path, step, status in (
        (f"/unterbringung/unterkuenfte/{lindenhof.pk}/", "other-facility", 404),
        (f"/unterbringung/haushalte/{world.family.pk}/", "other-household", 404),
        (f"/haushalte/{world.family.pk}/", "other-household-file", 404),
        (f"/unterbringung/gemeinden/{lindenhof.municipality_id}/", "municipality", 403),
        (f"/api/v1/occupancy/facilities/{lindenhof.pk}/", "api-other-facility", 404),
    ):
        if path.startswith("/api/"):
            response = page.request.get(path)
            assert response.status == status, path
            assert "Lindenhof" not in response.text()
            continue
        journey.visit(path, step, status=status)
        body = journey.text()
        for secret in ("Lindenhof", "Al-Hassan", "Muhammad", "Kovalenko", "101"):
            assert secret not in body, (path, secret)
