"""Journey: finance staff open the reimbursement page from the field of action, pick a year, have
the claim computed (live progress, then the summary) and download it as XLSX and PDF; the
downloaded lines add up to the total on the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ankommen.core.models import Role
from ankommen.finance.models import ReimbursementRule
from ankommen.finance.published import load_published_rules
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow


def test_finance_staff_download_a_claim(journey: Journey, world: World, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    # Browser tests run on a flushed database (TransactionTestCase): a journey that ran before
    # this one took the published rules with it, which migration 0002 loaded once.
    load_published_rules(ReimbursementRule)  # creates only the missing ones
    # In the request: SQLite (the browser tests' database) locks a second thread out.
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False
    admin = world.staff(Role.COUNTY_ADMIN)
    page = journey.page
    journey.log_in(admin.username)
    journey.visit("/bereiche/planung/", "planning-field")
    journey.follow(
        page.get_by_role("link", name="Erstattungsantrag, Abgleich mit den Zahlungen"), "finance"
    )
    page.locator("#id_jahr").fill("2024")
    page.locator("#id_quartal").select_option("4")
    journey.follow(page.get_by_role("button", name="Anzeigen"), "claim-2024-q4-empty")
    # Computed in the background in production (the page polls its progress, then reloads).
    journey.follow(page.get_by_role("button", name="Antrag berechnen"), "claim-2024-q4")
    # The family of two was taken in on 1 October 2024: twice the one-off amount of 2021
    # (2 × 2,461 €); the other household is under casework: 901 € × 92 / 366 days = 226.48 €.
    total = page.locator("#claim-total").inner_text()
    assert total.replace("\xa0", " ") == "5.148,48 €"

    with page.expect_download() as download:
        page.get_by_role("link", name="4. Quartal 2024 als Excel (XLSX)").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == "Erstattungsantrag-oder-spree-2024-Q4.xlsx"
    rows = list(load_workbook(target)["Zeilen"].iter_rows(values_only=True))
    kinds = sorted(r[1] for r in rows[1:-1])
    assert kinds == [
        "Einmalpauschale je aufgenommener Person",
        "Einmalpauschale je aufgenommener Person",
        "Jahrespauschale Migrationssozialarbeit je Fall",
    ]
    lines = sum(Decimal(str(r[8])) for r in rows[1:-1])
    assert lines == Decimal(str(rows[-1][8])) == Decimal("5148.48")
    assert "Al-Hassan" not in {str(cell) for row in rows for cell in row}

    with page.expect_download() as pdf:
        page.get_by_role("link", name="4. Quartal 2024 als PDF").click()
    assert pdf.value.suggested_filename.endswith("2024-Q4.pdf")
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
