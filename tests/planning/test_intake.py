"""Intake planning with the database: series uploads, the chain, the prior, the Aufnahmesoll
and the Freimeldung (services and reports; the pages and the API are tested elsewhere)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope
from ankommen.housing import services as housing
from ankommen.people.models import Person
from ankommen.planning import freimeldung as fm
from ankommen.planning.aufnahmesoll import aufnahmesoll
from ankommen.planning.data_intake import ASYLUM_SERIES, load_planning_data
from ankommen.planning.models_intake import (
    ChainLink,
    Factor,
    IntakeQuota,
    NationalSeries,
    SeriesValue,
    Stream,
)
from ankommen.planning.prior import county_prior, prior_streams
from ankommen.planning.services_intake import set_chain_link, set_quota, upload_series
from tests.factories import CountyFactory, MembershipFactory, PersonFactory
from tests.planning.intake_helpers import allocate, facility

pytestmark = pytest.mark.django_db

GOOD = b"month,value\n2020-01,100\n2020-02,200\n2020-03,50\n"


def _planner(county, role=Role.PLANNER, scope=Scope.COUNTY):  # type: ignore[no-untyped-def]
    return MembershipFactory(county=county, role=role, scope=scope).user


def test_upload_stores_the_series_and_records_who() -> None:
    county = CountyFactory()
    user = _planner(county)
    series = upload_series(actor=user, county=county, name="Eigene", content=GOOD, stream="p24")
    assert list(series.values.values_list("value", flat=True)) == [100.0, 200.0, 50.0]
    created = AuditEvent.objects.filter(action="create", actor=user)
    assert created.filter(object_type="planning.nationalseries").count() == 1
    # A second upload of the same name replaces the series as a whole.
    upload_series(actor=user, county=county, name="Eigene", content=b"month,value\n2021-01,1\n")
    assert SeriesValue.objects.filter(series=series).count() == 1


def test_a_bad_upload_names_every_line_and_writes_nothing() -> None:
    county = CountyFactory()
    user = _planner(county)
    content = b"month,value\n2020-01,1\n2020-03,x\n2020-04,-2\n2020-06,3\n"
    with pytest.raises(ValidationError) as caught:
        upload_series(actor=user, county=county, name="Kaputt", content=content)
    messages = caught.value.message_dict["file"]
    assert len(messages) == 3
    assert any("Zeile 3" in m and "keine Zahl" in m for m in messages)
    assert any("Zeile 4" in m and "negativ" in m for m in messages)
    assert any("Zeile 5" in m and "Lücke" in m for m in messages)
    assert not NationalSeries.objects.filter(name="Kaputt").exists()
    assert not AuditEvent.objects.filter(object_type__startswith="planning.").exists()


def test_an_upload_without_months_is_refused() -> None:
    county = CountyFactory()
    with pytest.raises(ValidationError) as caught:
        upload_series(actor=None, county=county, name="Leer", content=b"month,value\n\n")
    assert caught.value.message_dict["file"] == ["Die Datei enthält keinen Monat."]
    with pytest.raises(ValidationError) as caught:
        upload_series(actor=None, county=county, name="Leer", content=b"\xff\xfe")
    assert "UTF-8" in caught.value.message_dict["file"][0]


def test_a_failing_replacement_keeps_the_old_series() -> None:
    county = CountyFactory()
    user = _planner(county)
    series = upload_series(actor=user, county=county, name="Reihe", content=GOOD)
    with pytest.raises(ValidationError):
        upload_series(actor=user, county=county, name="Reihe", content=b"month,value\n20-1,1\n")
    assert series.values.count() == 3


def test_only_planners_of_the_county_with_county_scope_may_write() -> None:
    county, other = CountyFactory(), CountyFactory()
    for user in (
        _planner(other),
        _planner(county, role=Role.COUNTY_CASEWORKER),
        _planner(county, role=Role.COUNTY_ADMIN, scope=Scope.CASELOAD),
    ):
        with pytest.raises(PermissionDenied):
            upload_series(actor=user, county=county, name="X", content=GOOD)
        with pytest.raises(PermissionDenied):
            set_quota(actor=user, county=county, year=2024, quota=1, source="x")
    admin = _planner(county, role=Role.COUNTY_ADMIN)
    set_quota(actor=admin, county=county, year=2024, quota=1, source="Erlass")
    assert IntakeQuota.objects.get(county=county, year=2024).quota == 1


@pytest.mark.parametrize(
    ("factor", "value", "field"),
    [
        (Factor.LAND_SHARE, "101", "value"),
        (Factor.COUNTY_SHARE, "-1", "value"),
        (Factor.LAG, "2.5", "value"),
        (Factor.LAG, "25", "value"),
        (Factor.LAND_SHARE, "drei", "value"),
        (Factor.LAND_SHARE, "3.123456", "value"),
        ("fantasie", "1", "factor"),
    ],
)
def test_bad_chain_links_are_refused(factor: str, value: str, field: str) -> None:
    county = CountyFactory()
    with pytest.raises(ValidationError) as caught:
        set_chain_link(
            actor=None,
            county=county,
            stream=Stream.ASYLUM,
            factor=factor,
            valid_from=date(2020, 1, 1),
            value=value,
            source="Test",
        )
    assert field in caught.value.message_dict
    assert not ChainLink.objects.exists()


def _chain(county, stream=Stream.ASYLUM, land="50", share="10", lag="1"):  # type: ignore[no-untyped-def]
    for factor, value in (
        (Factor.LAND_SHARE, land),
        (Factor.COUNTY_SHARE, share),
        (Factor.LAG, lag),
    ):
        set_chain_link(
            actor=None,
            county=county,
            stream=stream,
            factor=factor,
            valid_from=date(2020, 1, 1),
            value=value,
            source="Test",
        )


def test_prior_applies_each_streams_chain_and_adds_the_streams() -> None:
    county = CountyFactory()
    upload_series(actor=None, county=county, name="Asyl", content=GOOD, stream=Stream.ASYLUM)
    upload_series(
        actor=None,
        county=county,
        name="Schutz",
        content=b"month,value\n2020-02,40\n",
        stream=Stream.TEMPORARY_PROTECTION,
    )
    _chain(county)  # 100 × 0.5 × 0.1, one month later
    _chain(county, Stream.TEMPORARY_PROTECTION, land="100", share="25", lag="0")
    assert county_prior(county=county) == pytest.approx(
        {"2020-02": 5.0 + 10.0, "2020-03": 10.0, "2020-04": 2.5}
    )
    assert county_prior(county=county, months=["2020-03", "2030-01"]) == pytest.approx(
        {"2020-03": 10.0}
    )
    streams = {s.stream: s for s in prior_streams(county=county)}
    assert streams[Stream.FAMILY].values == {}
    # A changed link (same date) replaces the value: the chain is editable.
    set_chain_link(
        actor=None,
        county=county,
        stream=Stream.ASYLUM,
        factor=Factor.LAG,
        valid_from=date(2020, 1, 1),
        value="0",
        source="korrigiert",
    )
    assert county_prior(county=county)["2020-01"] == pytest.approx(5.0)


def test_shipped_data_gives_oder_spree_a_prior_from_the_bamf_series() -> None:
    county = CountyFactory(slug="oder-spree", official_key="12067")
    created = load_planning_data()
    assert created["chain_links"] >= 6
    assert created["quotas"] == 1
    again = load_planning_data()
    assert again["series"] == 0
    assert again["chain_links"] == 0
    series = NationalSeries.objects.get(name=ASYLUM_SERIES, county__isnull=True)
    assert series.values.count() == 83
    prior = county_prior(county=county)
    # January 2016: 52,103 applications nationally × 3.03655 % × 8.668 %, two months later.
    jan_2016_first = SeriesValue.objects.get(series=series, month=date(2016, 1, 1)).value
    assert prior["2016-03"] == pytest.approx(jan_2016_first * 0.0303655 * 0.08668)
    assert IntakeQuota.objects.get(county=county, year=2023).verified is False


def test_aufnahmesoll_carries_the_balance_into_the_next_year() -> None:
    county = CountyFactory()
    set_quota(actor=None, county=county, year=2023, quota=10, source="Erlass 2023")
    set_quota(actor=None, county=county, year=2024, quota=8, source="Erlass 2024", verified=True)
    allocate(county, date(2023, 3, 1), 12)  # two over
    allocate(county, date(2024, 2, 1), 3)
    allocate(county, date(2024, 12, 1), 4)  # not yet arrived on the day below
    report = aufnahmesoll(county=county, year=2024, day=date(2024, 6, 30))
    last = report.current.figures
    assert (last.quota, last.carried_in, last.target, last.intake, last.balance) == (8, -2, 6, 3, 3)
    assert last.so_far
    data = report.as_json()
    assert [row["year"] for row in data["years"]] == [2023, 2024]
    assert data["years"][0]["balance"] == -2
    assert data["current"]["verified"] is True


def test_intake_counts_the_arrival_of_an_allocation_else_the_persons_allocation_date() -> None:
    county = CountyFactory()
    PersonFactory(household__county=county, allocated_on=date(2022, 12, 30))
    PersonFactory(household__county=county, allocated_on=None)  # born here: not taken in
    allocate(county, date(2023, 1, 3), 2)
    Person.objects.filter(allocation__isnull=False).update(allocated_on=date(2022, 12, 20))
    report = aufnahmesoll(county=county, year=2023, day=date(2023, 12, 31))
    assert [(r.figures.year, r.figures.intake) for r in report.rows] == [(2022, 1), (2023, 2)]


def test_freimeldung_counts_free_places_within_the_open_soll() -> None:
    county = CountyFactory()
    day = date(2024, 6, 1)
    _site, beds = facility(county, "=Haus Eiche", beds=5, day=date(2024, 1, 1))
    housing.hold_bed(actor=None, bed=beds[0], day=date(2024, 2, 1), reason="Vorhaltung")
    housing.close_bed(actor=None, bed=beds[1], day=date(2024, 2, 1), reason="Schaden")
    allocate(county, date(2024, 1, 10), 1)
    from ankommen.housing.models import Allocation

    person = Allocation.objects.get(county=county).person
    housing.assign_bed(actor=None, person=person, bed=beds[2], valid_from=date(2024, 1, 10))
    report = fm.freimeldung(county=county, day=day)
    assert report.total.free == 2  # 5 beds − 1 held − 1 closed − 1 occupied
    assert report.soll_open is None
    assert report.reportable == 2
    set_quota(actor=None, county=county, year=2024, quota=2, source="Erlass")
    report = fm.freimeldung(county=county, day=day)
    assert report.soll_open == 1
    assert report.reportable == 1
    rows = list(csv.reader(io.StringIO(fm.to_csv(report).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Ebene"
    facility_row = rows[1]
    assert facility_row[2] == "'=Haus Eiche"  # neutralised, not a formula
    assert facility_row[4:] == ["5", "1", "1", "1", "2"]
    assert rows[-1][-1] == "1"
    sheet = load_workbook(io.BytesIO(fm.to_xlsx(report))).active
    values = [c.value for c in sheet[3]]
    assert values[2] == "'=Haus Eiche"
    assert all(
        not (isinstance(v, str) and v.startswith("="))
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )
