"""Where the demo's persons come from, and in which proportions.

Two streams arrive in a county:

* **Asylum seekers.** Their countries of origin follow the BAMF *Asylgeschäftsstatistik*:
  first-time asylum applications (Erstanträge) of the most recent year in
  ``/work/shared/data/bamf_asylgeschaeftsstatistik_monthly`` (2021, January–November), summed by
  Herkunftsland; the top 15 countries keep their own share, the rest is "other". The derived
  table is committed as ``data/origins_bamf.csv`` (``bench/derive_origins.py`` rebuilds it). The
  same table holds the year's decisions by outcome, from which the demo draws residence statuses.
* **Persons from Ukraine under § 24 AufenthG** (temporary protection). They do not apply for
  asylum and are missing from that statistic; their share of the demo is an assumption,
  :data:`TEMPORARY_PROTECTION_SHARE`.

This module has no Django import: it is also used by the bench scripts.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ORIGINS_CSV = DATA_DIR / "origins_bamf.csv"

# ASSUMPTION (not from a statistic): share of persons with temporary protection (§ 24 AufenthG,
# Ukraine) among all persons in the demo county's reception and integration work. Nationally,
# about 1.1 million persons from Ukraine were registered in 2022–2024 against about 0.8 million
# first-time asylum applications in the same years, but most of them found private housing and
# need the county's services less; 30 % is a round figure for a demo, not a fact about Oder-Spree.
TEMPORARY_PROTECTION_SHARE = 0.30

OTHER = "OTHER"
TOP_COUNTRIES = 15
OTHER_DETAIL_COUNTRIES = 9

BAMF_SOURCE = (
    "BAMF Asylgeschäftsstatistik (monatlich, Tabelle nach Herkunftsländern), extrahiert von "
    "muc-fluechtlingsrat/bamf-asylgeschaeftsstatistik (raw/<Jahr>/<JJJJMM>.csv, "
    "Commit 7fc82b298dd262b75efea599657c9a338ab2c16a)"
)

# BAMF's German country names (ASCII-transliterated in the source files) → ISO 3166-1 alpha-3;
# "Ungeklaert" (nationality not established) is ICAO's XXX, "Staatenlos" XXA.
BAMF_NAMES: dict[str, str] = {
    "Syrien, Arabische Republik": "SYR",
    "Afghanistan": "AFG",
    "Irak": "IRQ",
    "Tuerkei": "TUR",
    "Georgien": "GEO",
    "Somalia": "SOM",
    "Ungeklaert": "XXX",
    "Staatenlos": "XXA",
    "Eritrea": "ERI",
    "Iran, Islamische Republik": "IRN",
    "Moldau, Republik": "MDA",
    "Nigeria": "NGA",
    "Nordmazedonien": "MKD",
    "Russische Foederation": "RUS",
    "Algerien": "DZA",
    "Albanien": "ALB",
    "Pakistan": "PAK",
    "Marokko": "MAR",
    "Vietnam": "VNM",
    "Guinea": "GIN",
    "Serbien": "SRB",
    "Tunesien": "TUN",
    "Libanon": "LBN",
    "Aethiopien": "ETH",
    "Jemen": "YEM",
    "Ukraine": "UKR",
    "Libyen": "LBY",
    "Kosovo": "XKX",
    "Aegypten": "EGY",
    "Indien": "IND",
    "Armenien": "ARM",
    "Aserbaidschan": "AZE",
    "Gambia": "GMB",
    "Sudan (ohne Suedsudan)": "SDN",
    "Elfenbeinkueste": "CIV",
    "Kamerun": "CMR",
    "Venezuela": "VEN",
    "Kolumbien": "COL",
    "Bangladesch": "BGD",
    "Sri Lanka": "LKA",
    "Bosnien und Herzegowina": "BIH",
    "Sierra Leone": "SLE",
    "Ghana": "GHA",
    "Burkina Faso": "BFA",
    "Kongo, Demokratische Republik": "COD",
    "Mali": "MLI",
    "Senegal": "SEN",
    "Palaestinensische Gebiete": "PSE",
    "China": "CHN",
    "Jordanien": "JOR",
    "Kuwait": "KWT",
    "Saudi-Arabien": "SAU",
    "Tadschikistan": "TJK",
    "Usbekistan": "UZB",
    "Kasachstan": "KAZ",
    "Kirgisistan": "KGZ",
    "Weissrussland": "BLR",
    "Belarus": "BLR",
    "Mongolei": "MNG",
    "Nepal": "NPL",
    "Indonesien": "IDN",
    "Burundi": "BDI",
    "Ruanda": "RWA",
    "Uganda": "UGA",
    "Kenia": "KEN",
    "Angola": "AGO",
    "Togo": "TGO",
    "Benin": "BEN",
    "Niger": "NER",
    "Tschad": "TCD",
    "Liberia": "LBR",
    "Guinea-Bissau": "GNB",
    "Mauretanien": "MRT",
    "Suedsudan": "SSD",
    "Dschibuti": "DJI",
    "Kuba": "CUB",
    "Peru": "PER",
    "Brasilien": "BRA",
    "Ecuador": "ECU",
    "Nicaragua": "NIC",
    "El Salvador": "SLV",
    "Honduras": "HND",
    "Montenegro": "MNE",
    "Ungarn": "HUN",
    "Rumaenien": "ROU",
    "Bulgarien": "BGR",
    "Polen": "POL",
}

FIRST_APPLICATIONS = "ASYLANTRAEGE davon Erstantraege"
DECISION_COLUMNS = {
    "decisions": "ENTSCHEIDUNGEN ueber Asylantraege insgesamt",
    "asylum": "ENTSCHEIDUNGEN ueber Asylantraege Anerkennungen als Asylberechtigte "
    "(Art 16a und Familienasyl)",
    "refugee": "ENTSCHEIDUNGEN ueber Asylantraege Anerkennungen als Fluechtling "
    "gem. Par. 3 I AsylG",
    "subsidiary": "ENTSCHEIDUNGEN ueber Asylantraege Gewaehrung von subsidiaerem Schutz "
    "gem. Par. 4 I AsylG",
    "deportation_ban": "ENTSCHEIDUNGEN ueber Asylantraege Feststellung eines "
    "Abschiebungsverbotes gem. Par. 60 V/VII AufenthG",
    "rejected": "ENTSCHEIDUNGEN ueber Asylantraege Ablehnungen (unbegr. abgel./offens unbegr. "
    "abgel.)",
    "formal": "ENTSCHEIDUNGEN ueber Asylantraege sonstige Verfahrenserledigungen",
}
CSV_COLUMNS = [
    "rank",
    "group",
    "code",
    "herkunftsland_bamf",
    "first_applications",
    "share",
    *DECISION_COLUMNS,
]


class OriginTableError(ValueError):
    """The BAMF files or the derived table cannot be read."""


@dataclass(frozen=True)
class Origin:
    """One row of the derived table. ``group`` is ``top`` (own share), ``other`` (the
    remainder, code ``OTHER``) or ``other_detail`` (the largest origins inside "other", used to
    pick a nationality for a person of the "other" group)."""

    rank: int
    group: str
    code: str
    herkunftsland_bamf: str
    first_applications: int
    share: float
    decisions: int
    asylum: int
    refugee: int
    subsidiary: int
    deportation_ban: int
    rejected: int
    formal: int

    def outcome_weights(self) -> dict[str, int]:
        """Decisions of the year by outcome (counts), for drawing a residence status."""
        return {
            "asylum": self.asylum,
            "refugee": self.refugee,
            "subsidiary": self.subsidiary,
            "deportation_ban": self.deportation_ban,
            "rejected": self.rejected,
            "formal": self.formal,
        }


def _int(value: str | None) -> int:
    text = (value or "").strip().replace(".", "").replace(" ", "")
    return int(text) if text else 0


def derive_origin_table(
    rows: Iterable[Mapping[str, str]],
    *,
    top: int = TOP_COUNTRIES,
    detail: int = OTHER_DETAIL_COUNTRIES,
) -> list[Origin]:
    """Sum monthly rows by Herkunftsland and rank them by first-time applications.

    Raises :class:`OriginTableError` when a country that gets its own row has no ISO code here.
    """
    totals: Counter[str] = Counter()
    decisions: dict[str, Counter[str]] = {}
    for row in rows:
        name = row["Herkunftsland"].strip()
        totals[name] += _int(row.get(FIRST_APPLICATIONS))
        counter = decisions.setdefault(name, Counter())
        for key, column in DECISION_COLUMNS.items():
            counter[key] += _int(row.get(column))
    grand_total = sum(totals.values())
    if grand_total == 0:
        raise OriginTableError("Keine Erstanträge in den Eingabedaten.")
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    table: list[Origin] = []
    other_first = 0
    other_decisions: Counter[str] = Counter()
    for index, (name, count) in enumerate(ranked, start=1):
        if index > top:
            other_first += count
            other_decisions.update(decisions[name])
        if index > top + detail:
            continue
        code = BAMF_NAMES.get(name)
        if code is None:
            raise OriginTableError(f"Kein ISO-Code für das Herkunftsland „{name}“ (Rang {index}).")
        group = "top" if index <= top else "other_detail"
        table.append(_origin(index, group, code, name, count, grand_total, decisions[name]))
    table.insert(
        top,
        _origin(
            0, "other", OTHER, "übrige Herkunftsländer", other_first, grand_total, other_decisions
        ),
    )
    return table


def _origin(
    rank: int, group: str, code: str, name: str, count: int, total: int, outcome: Counter[str]
) -> Origin:
    return Origin(
        rank=rank,
        group=group,
        code=code,
        herkunftsland_bamf=name,
        first_applications=count,
        share=round(count / total, 6),
        **{key: outcome[key] for key in DECISION_COLUMNS},
    )


def read_bamf_year(
    directory: Path, year: int | None = None
) -> tuple[int, list[str], list[dict[str, str]]]:
    """Rows of all monthly files of ``year`` (default: the most recent year present)."""
    files = sorted(directory.glob("[0-9][0-9][0-9][0-9][0-9][0-9].csv"))
    if not files:
        raise OriginTableError(f"Keine Monatsdateien (JJJJMM.csv) in {directory}.")
    year = year or max(int(path.stem[:4]) for path in files)
    chosen = [path for path in files if int(path.stem[:4]) == year]
    rows: list[dict[str, str]] = []
    for path in chosen:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return year, [path.stem for path in chosen], rows


def write_origin_table(table: list[Origin], path: Path, provenance: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in provenance:
            handle.write(f"# {line}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for origin in table:
            writer.writerow(
                [
                    origin.rank,
                    origin.group,
                    origin.code,
                    origin.herkunftsland_bamf,
                    origin.first_applications,
                    f"{origin.share:.6f}",
                    *(getattr(origin, key) for key in DECISION_COLUMNS),
                ]
            )


def read_commented_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV whose provenance header lines start with ``#``."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def load_origin_table(path: Path = ORIGINS_CSV) -> list[Origin]:
    table = []
    for row in read_commented_csv(path):
        table.append(
            Origin(
                rank=int(row["rank"]),
                group=row["group"],
                code=row["code"],
                herkunftsland_bamf=row["herkunftsland_bamf"],
                first_applications=int(row["first_applications"]),
                share=float(row["share"]),
                **{key: int(row[key]) for key in DECISION_COLUMNS},
            )
        )
    if not any(origin.code == OTHER for origin in table):
        raise OriginTableError(f"{path}: die Zeile {OTHER} fehlt.")
    return table


def asylum_shares(table: list[Origin]) -> dict[str, float]:
    """Share of each top origin and of ``OTHER`` among first-time asylum applications."""
    shares = {o.code: o.share for o in table if o.group in {"top", "other"}}
    total = sum(shares.values())
    return {code: share / total for code, share in shares.items()}
