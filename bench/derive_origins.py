"""Derive the demo's origin table from the BAMF monthly statistics.

    python bench/derive_origins.py [--source DIR] [--year YYYY] [--out PATH]

Sums the first-time asylum applications (Erstanträge) and the decisions of every monthly file
of the most recent year (or ``--year``) by Herkunftsland and writes
``src/ankommen/seeding/data/origins_bamf.csv`` with a provenance header. The monthly files are
not part of this repository (see the shared data README: BAMF Asylgeschäftsstatistik via
muc-fluechtlingsrat/bamf-asylgeschaeftsstatistik).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ankommen.seeding.origins import (
    BAMF_SOURCE,
    ORIGINS_CSV,
    TOP_COUNTRIES,
    derive_origin_table,
    read_bamf_year,
    write_origin_table,
)

DEFAULT_SOURCE = Path("/work/shared/data/bamf_asylgeschaeftsstatistik_monthly")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--year", type=int)
    parser.add_argument("--out", type=Path, default=ORIGINS_CSV)
    args = parser.parse_args()
    year, months, rows = read_bamf_year(args.source, args.year)
    table = derive_origin_table(rows)
    total = sum(o.first_applications for o in table if o.group in {"top", "other"})
    provenance = [
        f"Herkunftsländer der Asyl-Erstanträge {year} (Monate {months[0]}–{months[-1]}, "
        f"{len(months)} Monatsdateien), Summe {total} Erstanträge.",
        f"Quelle: {BAMF_SOURCE}.",
        "Herausgeber der Zahlen: Bundesamt für Migration und Flüchtlinge (BAMF); Werte wie "
        "monatlich erstveröffentlicht (Jahressummen des BAMF liegen etwas höher).",
        f"Abgeleitet mit bench/derive_origins.py am {date.today().isoformat()}: "
        f"group=top sind die {TOP_COUNTRIES} häufigsten Herkunftsländer, group=other der Rest "
        "(code OTHER), group=other_detail die größten Länder innerhalb des Rests.",
        "share = Anteil an allen Erstanträgen; decisions … formal = Entscheidungen des Jahres "
        "(alle Anträge): Asylberechtigung Art. 16a, Flüchtlingsschutz § 3 AsylG, subsidiärer "
        "Schutz § 4 AsylG, Abschiebungsverbot § 60 V/VII AufenthG, Ablehnungen, sonstige "
        "Erledigungen.",
        "code: ISO 3166-1 alpha-3; XXX = Staatsangehörigkeit ungeklärt (ICAO Doc 9303).",
    ]
    write_origin_table(table, args.out, provenance)
    print(f"{args.out}: {len(table)} Zeilen, {total} Erstanträge {year}")


if __name__ == "__main__":
    main()
