"""The claim from the database: history read by date, pseudonyms, exports, command, API, page."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope, Site
from ankommen.finance import claims, exports, services
from ankommen.finance.models import (
    BenefitPeriod,
    FacilityCost,
    HealthInvoice,
    Income,
    ReimbursementRule,
    StatePayment,
)
from ankommen.finance.published import published_rows
from ankommen.housing.models import Occupancy
from ankommen.people.models import Responsibility
from tests.factories import CountyFactory, MembershipFactory, ProviderFactory
from tests.housing.support import beds_of, facility, household

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    """Oder-Spree (its key selects the county's published amounts) with one family: the mother
    in a GU until 14 March 2024, in a flat from the 15th, under casework until 30 June; her son
    taken in on 10 February 2024."""
    county = CountyFactory(slug="los-test", official_key="12067", name="Landkreis Oder-Spree")
    gu = facility(county, name="GU Test", rooms={"1": 2})
    flat = facility(county, name="Wohnung Test", kind=Site.Kind.APARTMENT, rooms={"W": 2})
    home, (mother, son) = household(county, ("w", 1990), ("m", 2015))
    son.allocated_on = date(2024, 2, 10)
    son.save()
    for bed, first, last in (
        (beds_of(gu, "1")[0], date(2023, 6, 1), date(2024, 3, 15)),
        (beds_of(flat, "W")[0], date(2024, 3, 15), None),
    ):
        Occupancy.objects.create(
            county=county,
            bed=bed,
            person=mother,
            household=home,
            valid_from=first,
            valid_to=last,
            move_in_reason="allocation",
        )
    BenefitPeriod.objects.create(county=county, person=mother, valid_from=date(2023, 6, 1))
    Responsibility.objects.create(
        county=county,
        household=home,
        kind=Responsibility.Kind.CASEWORK,
        provider=ProviderFactory(county=county),
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 6, 30),
    )
    Income.objects.create(
        county=county, person=mother, day=date(2024, 2, 1), kind="user_fee", amount=D("150.00")
    )
    HealthInvoice.objects.create(
        county=county, person=mother, day=date(2024, 3, 3), reference="R1", amount=D("412.30")
    )
    FacilityCost.objects.create(
        county=county, site=gu, month=date(2024, 1, 1), kind="rent", amount=D("5000")
    )
    admin = MembershipFactory(county=county, role=Role.COUNTY_ADMIN, scope=Scope.COUNTY).user
    return {"county": county, "mother": mother, "son": son, "gu": gu, "admin": admin}


def test_the_published_amounts_ship_with_their_source():
    rows = published_rows()
    assert ReimbursementRule.objects.filter(created_by=None).count() >= len(rows) == 13
    gu = {r["valid_from"].year: r["amount"] for r in rows if r["housing"] == "shared"}
    assert gu == {2017: D("6642.00"), 2019: D("6825.00"), 2021: D("7039.47")}
    assert all(r["source"] and r["paragraph"] for r in rows)


def test_first_quarter_2024_from_the_dated_history(world):
    report = claims.build_claim(world["county"], 2024, 1)
    lines = report.claim.lines
    recipient = [ln for ln in lines if ln.kind == "recipient"]
    # Leap year: 74 days in the GU (1 Jan – 14 Mar), 17 days in the flat, each / 366.
    assert [(ln.housing, ln.first, ln.last, ln.days) for ln in recipient] == [
        ("shared", date(2024, 1, 1), date(2024, 3, 14), 74),
        ("flat", date(2024, 3, 15), date(2024, 3, 31), 17),
    ]
    assert recipient[0].place == str(world["gu"].pk)
    sums = dict(report.by_kind())
    assert sums["one_off"] == D("2461.00")
    assert sums["netting"] == D("-150.00")
    assert sums["health"] == D("412.30")
    msa = Fraction(901) * 91 / 366
    exact = Fraction(D("7039.47")) * 74 / 366 + Fraction(7137) * 17 / 366 + msa
    exact += 2461 - 150 + Fraction(D("412.30"))
    assert abs(Fraction(report.total) - exact) <= Fraction(1, 200)
    assert sum(ln.amount for ln in lines) == report.total
    # Pseudonyms only: no names, the same for the mother on every line.
    data = json.dumps(exports.as_json(report))
    assert world["mother"].family_name not in data
    assert len({ln.person for ln in recipient}) == 1
    assert recipient[0].person.startswith("P-")


def test_claims_need_finance_rights_with_county_scope(world):
    county = world["county"]
    planner = MembershipFactory(county=county, role=Role.PLANNER, scope=Scope.COUNTY).user
    with pytest.raises(PermissionDenied):
        claims.claim_for(actor=planner, county=county, year=2024)
    auditor = MembershipFactory(county=county, role=Role.AUDITOR, scope=Scope.COUNTY).user
    assert claims.claim_for(actor=auditor, county=county, year=2024).total > 0
    with pytest.raises(PermissionDenied):
        services.add_rule(
            actor=auditor,
            county=county,
            kind="one_off",
            housing="",
            valid_from=date(2030, 1, 1),
            amount=D(1),
            paragraph="§",
            source="x",
        )


def test_a_new_year_is_added_as_a_rule_and_used_from_its_day(world):
    county = world["county"]
    before = claims.build_claim(county, 2024, 4).total
    services.add_rule(
        actor=world["admin"],
        county=county,
        kind="recipient",
        housing="flat",
        valid_from=date(2024, 10, 1),
        amount=D("7320.00"),
        paragraph="§ 14 Abs. 2 LAufnG i. V. m. § 5 Abs. 1 LAufnGErstV",
        source="Fundstelle",
    )
    after = claims.build_claim(county, 2024, 4)
    assert after.total - before == D("46.00")  # (7320 − 7137) × 92 / 366
    assert AuditEvent.objects.filter(object_type="finance.reimbursementrule").count() == 1
    with pytest.raises(ValidationError) as caught:
        services.add_rule(
            actor=world["admin"],
            county=county,
            kind="recipient",
            housing="flat",
            valid_from=date(2024, 10, 1),
            amount=D("1"),
            paragraph="x",
            source="y",
        )
    assert "valid_from" in caught.value.message_dict


def test_exports_add_up_and_neutralise_formulas(world):
    county = world["county"]
    services.add_rule(
        actor=None,
        county=county,
        kind="one_off",
        housing="",
        valid_from=date(2024, 2, 1),
        amount=D("2500"),
        paragraph="=HYPERLINK(1)",
        source="@quelle",
    )
    report = claims.build_claim(county, 2024, 1)
    book = load_workbook(io.BytesIO(exports.as_xlsx(report)))
    rows = list(book["Zeilen"].iter_rows(values_only=True))
    assert rows[0][0] == "Pseudonym"
    body, total = rows[1:-1], rows[-1]
    assert sum(D(str(r[8])) for r in body) == D(str(total[8])) == report.total
    assert "'=HYPERLINK(1)" in [r[2] for r in body]
    summary = [c for r in book["Zusammenfassung"].iter_rows(values_only=True) for c in r]
    assert "'@quelle" in summary
    assert exports.as_pdf(report).startswith(b"%PDF")


def test_reconciliation_and_facility_balance(world):
    county = world["county"]
    StatePayment.objects.create(
        county=county, received_on=date(2024, 5, 1), year=2024, quarter=1, amount=D("1000")
    )
    rows = claims.reconciliation(county, 2024)
    first = rows[0]
    assert first.received == D("1000")
    assert first.claimed == claims.build_claim(county, 2024, 1).total
    assert first.difference == first.claimed - D("1000")
    balances = {b.site.name: b for b in claims.facility_balances(claims.build_claim(county, 2024))}
    gu = balances["GU Test"]
    assert gu.cost == D("5000")
    # 7039.47 × 74 / 366 = 1423.2837…: whole cents by the largest remainder.
    assert abs(Fraction(gu.reimbursed) - Fraction(D("7039.47")) * 74 / 366) < Fraction(1, 100)
    assert gu.deficit == D("5000") - gu.reimbursed


def test_the_command_writes_json_only_to_stdout(world, tmp_path):
    out, err = StringIO(), StringIO()
    call_command("claim", "--county", "los-test", "--year", "2024", stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert data["quarter"] is None
    assert sum(D(s["total"]) for s in data["subjects_lines"]) == D(data["total"])
    assert "Summe" in err.getvalue()
    assert "Antrag: 100%" in err.getvalue()  # the progress bar, on stderr only
    target = tmp_path / "antrag.pdf"
    call_command(
        "claim", "--county", "los-test", "--year", "2024", "--quarter", "1",
        "--format", "pdf", "--output", str(target), stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(SystemExit) as caught:
        call_command("claim", "--county", "nirgends", "--year", "2024", stderr=StringIO())
    assert caught.value.code == 2


def test_the_rule_command_adds_a_year_or_names_the_field(world):
    out = StringIO()
    call_command(
        "finance-rule", "--county", "los-test", "--kind", "msa", "--valid-from", "2025-01-01",
        "--amount", "930", "--paragraph", "§ 14 Abs. 3 LAufnG", "--source", "ABl.",
        "--format", "json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["created"] is True
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(
            "finance-rule", "--county", "los-test", "--kind", "recipient", "--valid-from",
            "2025-01-01", "--amount", "1", "--paragraph", "x", "--source", "y", stderr=err,
        )  # fmt: skip
    assert caught.value.code == 2
    assert "housing" in err.getvalue()


def test_api_claim_and_rules(world):
    client = Client()
    token = Token.objects.create(user=world["admin"]).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    response = client.get("/api/v1/claims/?county=los-test&year=2024&quarter=1&lines=false", **auth)
    assert response.status_code == 200
    assert response.json()["total"] == str(claims.build_claim(world["county"], 2024, 1).total)
    assert "subjects_lines" not in response.json()
    bad = client.get("/api/v1/claims/?county=los-test&year=2024&quarter=5", **auth)
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    file = client.get("/api/v1/claims/file/?county=los-test&year=2024&type=xlsx", **auth)
    assert file.status_code == 200
    assert "Erstattungsantrag-los-test-2024.xlsx" in file["Content-Disposition"]
    created = client.post(
        "/api/v1/finance-rules/?county=los-test",
        {"kind": "health", "valid_from": "2025-01-01", "paragraph": "§ 15", "source": "x"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["amount"] is None


def test_the_page_shows_the_claim_and_takes_a_rule(world, settings):
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False
    client = Client()
    client.force_login(world["admin"])
    client.post("/finanzen/berechnen/?kreis=los-test&jahr=2024&quartal=1")
    page = client.get("/finanzen/?kreis=los-test&jahr=2024&quartal=1")
    assert page.status_code == 200
    total = claims.build_claim(world["county"], 2024, 1).total
    assert f"{total:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in page.text
    assert "GU Test" in page.text
    download = client.get("/finanzen/antrag.pdf?kreis=los-test&jahr=2024&quartal=1")
    assert download.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="finance.claim").exists()
    bad = client.post(
        "/finanzen/regeln/neu/?kreis=los-test",
        {"rule-kind": "recipient", "rule-valid_from": "2025-01-01", "rule-amount": "1"},
    )
    assert bad.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in bad.text
    assert not ReimbursementRule.objects.filter(valid_from=date(2025, 1, 1)).exists()
