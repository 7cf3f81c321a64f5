"""The derived origin table and its derivation from the BAMF monthly files."""

from pathlib import Path

import pytest

from ankommen.seeding.origins import (
    FIRST_APPLICATIONS,
    OTHER,
    OriginTableError,
    asylum_shares,
    derive_origin_table,
    load_origin_table,
    read_bamf_year,
)

# shared/ lies beside the repository (developer machines and CI alike).
SHARED = Path(__file__).resolve().parents[3] / "shared/data/bamf_asylgeschaeftsstatistik_monthly"


def _row(month, country, first):
    return {"YEAR_MONTH": month, "Herkunftsland": country, FIRST_APPLICATIONS: str(first)}


def test_months_are_summed_by_country_and_ranked():
    rows = [
        _row("2021-01", "Irak", 5),
        _row("2021-02", "Irak", 10),
        _row("2021-01", "Afghanistan", 12),
        _row("2021-01", "Eritrea", 1),
        _row("2021-01", "Georgien", 2),
    ]
    table = derive_origin_table(rows, top=2, detail=1)
    assert [(o.group, o.code, o.first_applications) for o in table] == [
        ("top", "IRQ", 15),
        ("top", "AFG", 12),
        ("other", OTHER, 3),
        ("other_detail", "GEO", 2),
    ]
    assert table[0].share == pytest.approx(15 / 30)


def test_a_top_country_without_iso_code_is_an_error():
    with pytest.raises(OriginTableError, match="Atlantis"):
        derive_origin_table([_row("2021-01", "Atlantis", 3)], top=1, detail=0)


def test_the_committed_table_is_complete():
    table = load_origin_table()
    top = [o for o in table if o.group == "top"]
    assert len(top) == 15
    assert top[0].code == "SYR"
    assert sum(asylum_shares(table).values()) == pytest.approx(1)
    assert all(o.decisions >= 0 for o in table)


@pytest.mark.skipif(not SHARED.is_dir(), reason="BAMF monthly files not on this machine")
def test_the_committed_table_matches_the_source_files():
    year, months, rows = read_bamf_year(SHARED)
    derived = derive_origin_table(rows)
    committed = load_origin_table()
    assert year == 2021
    assert len(months) == 11
    assert [(o.code, o.first_applications) for o in derived] == [
        (o.code, o.first_applications) for o in committed
    ]
