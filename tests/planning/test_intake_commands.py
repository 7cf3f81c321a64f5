"""The intake-planning commands: exit codes, German errors, JSON-only stdout, files."""

from __future__ import annotations

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ankommen.planning.models_intake import IntakeQuota, NationalSeries
from tests.factories import CountyFactory
from tests.planning.intake_helpers import allocate, facility

pytestmark = pytest.mark.django_db


def _call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(*args, stdout=StringIO(), stderr=err)
    assert caught.value.code == 2
    return err.getvalue()


def test_series_upload_and_list(tmp_path: Path) -> None:
    county = CountyFactory(slug="los")
    path = tmp_path / "reihe.csv"
    path.write_text("month,value\n2022-01,5\n2022-02,7\n", encoding="utf-8")
    out, _err = _call(
        "series",
        "upload",
        str(path),
        "--name",
        "Ukraine",
        "--county",
        "los",
        "--stream",
        "p24",
        "--format",
        "json",
    )
    assert json.loads(out) == {
        "id": NationalSeries.objects.get(name="Ukraine").pk,
        "name": "Ukraine",
        "county": "los",
        "months": 2,
    }
    out, _err = _call("series", "list", "--county", county.slug, "--format", "json")
    assert [row["name"] for row in json.loads(out)] == ["Ukraine"]


def test_series_upload_errors_name_the_line(tmp_path: Path) -> None:
    CountyFactory(slug="los")
    path = tmp_path / "reihe.csv"
    path.write_text("month,value\n2022-01,5\n2022-13,7\n", encoding="utf-8")
    err = _fails("series", "upload", str(path), "--name", "X", "--county", "los")
    assert "Zeile 3: Monat „2022-13“ ist nicht im Format JJJJ-MM." in err
    assert not NationalSeries.objects.exists()
    assert "gibt es nicht" in _fails(
        "series", "upload", str(path), "--name", "X", "--county", "nix"
    )


def test_aufnahmesoll_sets_and_prints_json() -> None:
    county = CountyFactory(slug="los")
    allocate(county, date(2024, 3, 1), 2)
    out, _err = _call(
        "aufnahmesoll",
        "--county",
        "los",
        "--year",
        "2024",
        "--day",
        "2024-12-31",
        "--set-quota",
        "5",
        "--source",
        "Erlass MSGIV",
        "--verified",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert data["current"] == {
        "year": 2024,
        "quota": 5,
        "verified": True,
        "source": "Erlass MSGIV",
        "carried_in": 0,
        "target": 5,
        "intake": 2,
        "balance": 3,
        "fulfilment": 0.4,
        "so_far": False,
    }
    assert IntakeQuota.objects.get(county=county).quota == 5
    assert "Quelle" in _fails(
        "aufnahmesoll", "--county", "los", "--year", "2025", "--set-quota", "5"
    )
    assert "kein Datum" in _fails(
        "aufnahmesoll", "--county", "los", "--year", "2025", "--day", "morgen"
    )


def test_freimeldung_formats(tmp_path: Path) -> None:
    county = CountyFactory(slug="los")
    facility(county, "Haus A", beds=3, day=date(2024, 1, 1))
    out, _err = _call("freimeldung", "--county", "los", "--day", "2024-05-01", "--format", "json")
    data = json.loads(out)
    assert data["free"] == 3
    assert data["reportable"] == 3
    assert data["facilities"][0]["name"] == "Haus A"
    target = tmp_path / "f.xlsx"
    _call(
        "freimeldung",
        "--county",
        "los",
        "--day",
        "2024-05-01",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet["C3"].value == "Haus A"
    target = tmp_path / "f.csv"
    _call(
        "freimeldung",
        "--county",
        "los",
        "--day",
        "2024-05-01",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert target.read_bytes().startswith("\ufeffEbene;".encode())


def test_prior_prints_a_series_the_forecast_reads(tmp_path: Path) -> None:
    CountyFactory(slug="los", official_key="12067")
    _call("load-planning-data")
    out, _err = _call("prior", "--county", "los")
    lines = out.splitlines()
    assert lines[0] == "month,value"
    assert lines[1].startswith("2015-03,")
    assert len(lines) == 84  # 83 national months, shifted by the two-month lag
    CountyFactory(slug="leer", official_key="99999")
    assert "kein Prior" in _fails("prior", "--county", "leer")
