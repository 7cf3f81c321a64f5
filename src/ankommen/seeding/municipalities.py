"""The real municipalities and Ämter of Landkreis Oder-Spree, from
``data/municipalities_oder_spree.csv`` (sources and status marks in its header)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ankommen.core.models import County, Municipality
from ankommen.seeding.origins import DATA_DIR, read_commented_csv

MUNICIPALITIES_CSV = DATA_DIR / "municipalities_oder_spree.csv"
POPULATION_YEAR = 2018

SOURCES = {
    "E": "engagementbb.de / pl.wikipedia (Einwohner 31.12.2018)",
    "L": "LBV Brandenburg, Kreisprofil Oder-Spree 2015",
    "A": "Anschriften der Gemeinde- und Stadtverwaltungen, Statist. Ämter des Bundes und der "
    "Länder, Stand 31.01.2026 (Amtszugehörigkeit nach AGS)",
}
STATUS_LABELS = {
    "V": "belegt",
    "P": "teilweise belegt: Zuordnung AGS → Name gegen GV-ISys prüfen",
    "U": "UNGEPRÜFT",
}


@dataclass(frozen=True)
class MunicipalityRow:
    name: str
    kind: str
    amt: str
    official_key: str
    population: int | None
    status: str
    source_keys: tuple[str, ...]
    note: str

    @property
    def source(self) -> str:
        """The text stored in ``Municipality.source``: sources, status mark and note."""
        sources = "; ".join(SOURCES[key] for key in self.source_keys)
        text = f"[{self.status}] {sources} – {STATUS_LABELS[self.status]}"
        if self.status == "U" and self.note:
            text = f"{text}: {self.note}"
        return text[:300]


def load_rows(path: Path = MUNICIPALITIES_CSV) -> list[MunicipalityRow]:
    rows = []
    for raw in read_commented_csv(path):
        kind = raw["kind"]
        if kind not in Municipality.Kind.values:
            raise ValueError(f"{path}: unbekannte Art „{kind}“ bei {raw['name']}")
        if raw["status"] not in STATUS_LABELS:
            raise ValueError(f"{path}: unbekannter Status „{raw['status']}“ bei {raw['name']}")
        rows.append(
            MunicipalityRow(
                name=raw["name"],
                kind=kind,
                amt=raw["amt"],
                official_key=raw["official_key"],
                population=int(raw["population_2018"]) if raw["population_2018"] else None,
                status=raw["status"],
                source_keys=tuple(raw["source"].split()),
                note=raw["note"],
            )
        )
    return rows


def ensure_municipalities(county: County, rows: list[MunicipalityRow]) -> int:
    """Create or update the county's municipalities from ``rows``; Ämter first, so members
    can point to them. Returns the number of rows created or changed (0 on a second run)."""
    changed = 0
    by_name: dict[str, Municipality] = {
        m.name: m for m in Municipality._base_manager.filter(county=county)
    }
    for row in sorted(rows, key=lambda r: r.kind != Municipality.Kind.AMT):
        wanted = {
            "kind": row.kind,
            "amt": by_name[row.amt] if row.amt else None,
            "official_key": row.official_key,
            "population": row.population,
            "population_year": POPULATION_YEAR if row.population is not None else None,
            "source": row.source,
        }
        current = by_name.get(row.name)
        if current is None:
            by_name[row.name] = Municipality._base_manager.create(
                county=county, name=row.name, **wanted
            )
            changed += 1
        elif any(getattr(current, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(current, field, value)
            current.save()
            changed += 1
    return changed
